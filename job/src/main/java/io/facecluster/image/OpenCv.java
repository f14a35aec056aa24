package io.facecluster.image;

/** Loads OpenCV's native library once per JVM (the org.openpnp jar carries it for each platform). */
public final class OpenCv {
  private static volatile boolean loaded;

  private OpenCv() {}

  public static void ensureLoaded() {
    if (!loaded) {
      synchronized (OpenCv.class) {
        if (!loaded) {
          nu.pattern.OpenCV.loadLocally();
          loaded = true;
        }
      }
    }
  }
}
