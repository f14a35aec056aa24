package io.facecluster.image;

/** An input file that is not a usable image. Expected, so it carries a reason and no stack trace. */
public final class BadImageException extends Exception {
  public BadImageException(String reason) {
    super(reason, null, false, false);
  }
}
