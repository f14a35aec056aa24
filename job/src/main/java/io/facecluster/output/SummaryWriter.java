package io.facecluster.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Writes the small JSON and binary files of the commands (any Hadoop file system, s3a:// included). */
public final class SummaryWriter {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SummaryWriter() {}

  public static String toJson(Map<String, Object> summary) {
    try {
      return JSON.writeValueAsString(summary);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes `<output>/<name>` as indented JSON, replacing it. */
  public static void writeJson(Configuration conf, String output, String name, Map<String, Object> summary) {
    writeBytes(conf, RunTables.path(output, name), toJson(summary).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Writes one small file (local, hdfs:// or s3a://), replacing it. */
  public static void writeBytes(Configuration conf, String path, byte[] bytes) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(conf);
      fs.setWriteChecksum(false);
      try (OutputStream out = fs.create(p, true)) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p + ": " + e.getMessage(), e);
    }
  }
}
