package io.facecluster.models;

/** A model spec or model file that cannot be used: raised at start, before any image is read. */
public class ModelException extends RuntimeException {
  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
