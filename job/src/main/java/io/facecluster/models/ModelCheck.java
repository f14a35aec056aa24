package io.facecluster.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares a spec with the ONNX file it names, on the driver before any task runs: the input tensor and its
 * declared size and channels, the constant inputs and every output the spec reads must be in the file. A spec
 * that disagrees is refused with its name and the field, instead of failing later inside every task.
 */
final class ModelCheck {
  private ModelCheck() {}

  static void verify(ModelSpec spec, byte[] bytes) {
    String where = "model spec '" + spec.name() + "' (" + spec.file() + ")";
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = OrtSessions.env().createSession(bytes, options)) {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      ModelSpec.Input in = spec.input();
      NodeInfo info = inputs.get(in.name());
      if (info == null) {
        fail(where, "input.name", "'" + in.name() + "' is not an input of the file, which has " + inputs.keySet());
      }
      long[] shape = ((TensorInfo) info.getInfo()).getShape();
      if (shape.length != 4) {
        fail(where, "input.layout", "the file's input '" + in.name() + "' has " + shape.length + " dimensions, not 4");
      }
      boolean nhwc = in.nhwc();
      check(where, "input.layout", "channels", 3, shape[nhwc ? 3 : 1]);
      check(where, "input.height", "height", in.height(), shape[nhwc ? 1 : 2]);
      check(where, "input.width", "width", in.width(), shape[nhwc ? 2 : 3]);
      if (spec.constants() != null) {
        for (String name : spec.constants().keySet()) {
          if (!inputs.containsKey(name)) {
            fail(where, "constants." + name, "the file has no input '" + name + "' (inputs " + inputs.keySet() + ")");
          }
        }
      }
      for (String name : outputNames(spec)) {
        if (!outputs.containsKey(name)) {
          fail(where, "outputs", "the file has no output '" + name + "' (outputs " + outputs.keySet() + ")");
        }
      }
    } catch (OrtException e) {
      throw new ModelException("Model '" + spec.name() + "': ONNX Runtime cannot load " + spec.file() + ": "
          + e.getMessage(), e);
    }
  }

  /** A fixed dimension of the file must equal the spec's (0 in the spec = dynamic, which a fixed file is not). */
  private static void check(String where, String field, String what, int declared, long actual) {
    if (actual > 0 && declared != actual) {
      fail(where, field, "the spec says " + what + " " + (declared == 0 ? "dynamic" : declared)
          + " but the file declares " + actual);
    }
  }

  static List<String> outputNames(ModelSpec spec) {
    List<String> names = new ArrayList<>();
    if (spec.outputs() == null) {
      return names;
    }
    int[] strides = spec.decoder() == null || spec.decoder().strides() == null ? new int[0]
        : spec.decoder().strides();
    spec.outputs().forEach((role, name) -> {
      if (name.contains("{s}")) {
        for (int s : strides) {
          if (!spec.outputs().containsKey(role + "_" + s)) {
            names.add(name.replace("{s}", Integer.toString(s)));
          }
        }
      } else {
        names.add(name);
      }
    });
    return names;
  }

  private static void fail(String where, String field, String why) {
    throw new ModelException("Invalid " + where + ": field " + field + ": " + why);
  }
}
