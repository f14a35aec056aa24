package io.facecluster.models;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where specs and model files are read from: local paths, or URIs (s3a://, hdfs://) through a reader that the
 * Spark side provides with the job's Hadoop configuration. Locations are strings so that a spec's relative
 * `file` resolves against its spec's folder the same way on both.
 */
public interface ModelStore {
  boolean isFile(String location);

  byte[] read(String location) throws IOException;

  /** The local file system (any location without a scheme). */
  ModelStore LOCAL = new ModelStore() {
    @Override
    public boolean isFile(String location) {
      return Files.isRegularFile(Path.of(location));
    }

    @Override
    public byte[] read(String location) throws IOException {
      return Files.readAllBytes(Path.of(location));
    }
  };

  static boolean isUri(String location) {
    return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
  }

  /** `relative` against the folder of `base` (a spec file); absolute paths and URIs stay as they are. */
  static String resolveSibling(String base, String relative) {
    if (isUri(relative) || Path.of(relative).isAbsolute()) {
      return relative;
    }
    if (isUri(base)) {
      return URI.create(base).resolve(relative).normalize().toString();
    }
    return Path.of(base).toAbsolutePath().getParent().resolve(relative).normalize().toString();
  }

  /** `relative` under folder `dir`. */
  static String under(String dir, String relative) {
    if (isUri(dir)) {
      return URI.create(dir.endsWith("/") ? dir : dir + "/").resolve(relative).normalize().toString();
    }
    return Path.of(dir).resolve(relative).toAbsolutePath().normalize().toString();
  }
}
