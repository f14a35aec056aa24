package io.facecluster.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reads a model file and refuses it unless its sha256 is the one its spec names. */
public final class ModelFiles {
  private ModelFiles() {}

  public static byte[] readVerified(ModelSpec spec) {
    Path path = Path.of(spec.file());
    if (!Files.isRegularFile(path)) {
      throw new ModelException("Model '" + spec.name() + "': file not found: " + path);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new ModelException("Model '" + spec.name() + "': cannot read " + path + ": " + e.getMessage(), e);
    }
    String actual = sha256(bytes);
    if (!actual.equals(spec.sha256())) {
      throw new ModelException("Model '" + spec.name() + "': sha256 mismatch for " + path + ": the spec says "
          + spec.sha256() + " but the file has " + actual + "; refusing to load it");
    }
    return bytes;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
