package io.facecluster.pipeline;

import io.facecluster.detect.Detection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable face ids: a hash of the path and the box rounded to whole pixels, so the same face in the same file
 * gets the same id in every run (and joins across runs work), whatever the partitioning.
 */
public final class FaceIds {
  private FaceIds() {}

  /**
   * The box as the id sees it (whole pixels): two faces of one file with the same key would share a face_id,
   * so the processors keep only the first of them.
   */
  static String box(Detection d) {
    return Math.round(d.x1()) + "," + Math.round(d.y1()) + "," + Math.round(d.x2()) + "," + Math.round(d.y2());
  }

  public static String of(String path, Detection d) {
    String key = path + "#" + box(d);
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
