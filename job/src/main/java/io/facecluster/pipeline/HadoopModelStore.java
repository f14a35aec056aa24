package io.facecluster.pipeline;

import io.facecluster.models.ModelStore;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Specs and model files at s3a://, hdfs:// (any Hadoop file system) read on the driver with the job's Hadoop
 * configuration, the same credentials as the images; plain paths stay local.
 */
final class HadoopModelStore implements ModelStore {
  private final Configuration conf;

  HadoopModelStore(Configuration conf) {
    this.conf = conf;
  }

  @Override
  public boolean isFile(String location) {
    if (!ModelStore.isUri(location)) {
      return LOCAL.isFile(location);
    }
    try {
      Path p = new Path(location);
      FileSystem fs = p.getFileSystem(conf);
      return fs.exists(p) && fs.getFileStatus(p).isFile();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public byte[] read(String location) throws IOException {
    if (!ModelStore.isUri(location)) {
      return LOCAL.read(location);
    }
    Path p = new Path(location);
    FileSystem fs = p.getFileSystem(conf);
    FileStatus status = fs.getFileStatus(p);
    try (InputStream in = fs.open(p)) {
      byte[] out = in.readAllBytes();
      if (out.length != status.getLen()) {
        throw new IOException(location + ": read " + out.length + " of " + status.getLen() + " bytes");
      }
      return out;
    }
  }
}
