package io.facecluster.models;

/**
 * A model failed while running (ONNX Runtime refused the inputs, the spec names an output the model does not
 * have, a session could not be made): a fault of the model or the system, the same for every image. It must fail
 * the task and the run, never become a per-file `error` row; its message is one line that names the model.
 */
public class ModelRunException extends RuntimeException {
  private final String model;

  public ModelRunException(String model, String what, Throwable cause) {
    super("Model '" + model + "': " + firstLine(what), cause);
    this.model = model;
  }

  /** The model's spec name. */
  public String model() {
    return model;
  }

  // ORT messages can carry a native stack after a newline; the user gets one line (the log has the cause).
  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
