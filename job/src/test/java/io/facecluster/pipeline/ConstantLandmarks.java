package io.facecluster.pipeline;

import static io.facecluster.TinyOnnx.floats;
import static io.facecluster.TinyOnnx.integer;
import static io.facecluster.TinyOnnx.ints;
import static io.facecluster.TinyOnnx.node;
import static io.facecluster.TinyOnnx.valueInfo;

import io.facecluster.TestData;
import io.facecluster.TinyOnnx;
import io.facecluster.TinyOnnx.Msg;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A landmark model with the signature of landmarks-regression-retail-0009 (input `0` [N, 3, 48, 48], output
 * `95` [N, 10]) that puts all five points at the centre of every box: 0 x (channel means) + 0.5. Real ONNX, run
 * by the real ONNX Runtime as the refiner: the degenerate landmarks a broken or confused model gives.
 */
final class ConstantLandmarks {
  private ConstantLandmarks() {}

  /** The shipped refiner's spec with this model as its file and no sha256 (a user's own file), in `dir`. */
  static Path spec(Path dir) throws Exception {
    write(dir.resolve("centre.onnx"));
    String json = Files.readString(Path.of(TestData.modelsDir(), "landmarks-regression-retail-0009.json"))
        .replaceAll("\"file\": \"[^\"]+\"", "\"file\": \"centre.onnx\"")
        .replaceAll("\"sha256\": \"[0-9a-f]+\",", "");
    return Files.writeString(dir.resolve("centre.json"), json);
  }

  static Path write(Path file) throws Exception {
    float[] half = new float[10];
    java.util.Arrays.fill(half, 0.5f);
    byte[] graph = new Msg()
        .msg(1, node("ReduceMean", new String[] {"0"}, "m", ints("axes", 2, 3), integer("keepdims", 0)))
        .msg(1, node("MatMul", new String[] {"m", "W"}, "z"))
        .msg(1, node("Add", new String[] {"z", "B"}, "95"))
        .string(2, "constant-landmarks")
        .msg(5, floats("W", new long[] {3, 10}, new float[30]))
        .msg(5, floats("B", new long[] {10}, half))
        .msg(11, valueInfo("0", TinyOnnx.FLOAT, "N", 3, 48, 48))
        .msg(12, valueInfo("95", TinyOnnx.FLOAT, "N", 10))
        .done();
    Files.write(file, TinyOnnx.model(graph));
    return file;
  }
}
