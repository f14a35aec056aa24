package io.facecluster.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** PLACEHOLDER until the lock branch lands: create(overwrite=false) only. */
public final class LibraryLock implements AutoCloseable {
  private final FileSystem fs;
  private final Path path;

  private LibraryLock(FileSystem fs, Path path) {
    this.fs = fs;
    this.path = path;
  }

  public static LibraryLock acquire(Configuration conf, String root, String runId) {
    Path p = new Path(root + "/_facecluster_lock");
    try {
      FileSystem fs = p.getFileSystem(conf);
      try (var out = fs.create(p, false)) {
        out.write(runId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return new LibraryLock(fs, p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public record Holder(String runId, String host, java.time.Instant since) {}

  public static java.util.Optional<Holder> holder(Configuration conf, String root) {
    Path p = new Path(root + "/_facecluster_lock");
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return java.util.Optional.empty();
      }
      try (var in = fs.open(p)) {
        return java.util.Optional.of(new Holder(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
            "?", java.time.Instant.EPOCH));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static boolean forceUnlock(Configuration conf, String root) {
    Path p = new Path(root + "/_facecluster_lock");
    try {
      return p.getFileSystem(conf).delete(p, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      fs.delete(path, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
