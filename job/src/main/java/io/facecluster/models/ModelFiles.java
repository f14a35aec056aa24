package io.facecluster.models;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.LoggerFactory;

/**
 * Reads a model file and refuses it unless its sha256 is the one its spec names (a spec without sha256, for a
 * user-supplied file, is logged with the file's actual hash) and its inputs and outputs agree with the spec.
 */
public final class ModelFiles {
  private ModelFiles() {}

  public static byte[] readVerified(ModelSpec spec) {
    return readVerified(spec, ModelStore.LOCAL);
  }

  public static byte[] readVerified(ModelSpec spec, ModelStore store) {
    String path = spec.file();
    if (!store.isFile(path)) {
      throw new ModelException("Model '" + spec.name() + "': file not found: " + path);
    }
    byte[] bytes;
    try {
      bytes = store.read(path);
    } catch (IOException e) {
      throw new ModelException("Model '" + spec.name() + "': cannot read " + path + ": " + e.getMessage(), e);
    }
    String actual = sha256(bytes);
    if (spec.unverified()) {
      LoggerFactory.getLogger(ModelFiles.class).warn("Model '{}': the spec gives no sha256 (user-supplied file);"
          + " {} has sha256 {}", spec.name(), path, actual);
    } else if (!actual.equals(spec.sha256())) {
      throw new ModelException("Invalid model spec '" + spec.name() + "': field sha256: the spec says "
          + spec.sha256() + " but " + path + " has " + actual + "; refusing to load it");
    }
    ModelCheck.verify(spec, bytes);
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
