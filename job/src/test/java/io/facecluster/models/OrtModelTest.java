package io.facecluster.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.facecluster.TestData;
import io.facecluster.embed.TinyFaceNet;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one class that feeds and fetches a model, on real model files: a batch gives what its items give one by
 * one, the spec's constant inputs reach the model, and a model fault (a missing output, an input ONNX Runtime
 * refuses) is a {@link ModelRunException} that names the model.
 */
class OrtModelTest {
  @TempDir
  static Path tmp;

  private static final ModelSpec EMBEDDER = TestData.embedderSpec();

  private static OrtModel model(ModelSpec spec) {
    byte[] bytes = ModelFiles.readVerified(spec);
    return new OrtModel(spec, OrtSessions.get(spec, () -> bytes, 1, () -> {}));
  }

  private static ModelSpec with(ModelSpec s, Map<String, String> outputs, Map<String, Object> constants) {
    return new ModelSpec(s.name(), s.role(), s.file(), s.sha256(), s.licence(), s.source(), s.input(), outputs,
        s.decoder(), s.alignment(), s.embedding(), s.thresholds(), constants, s.crop(), s.notes());
  }

  /** A face-sized input that differs from item to item (a ramp with a per-item phase, in the model's range). */
  private static void fill(FloatBuffer b, int items, int perItem) {
    for (int i = 0; i < items; i++) {
      for (int k = 0; k < perItem; k++) {
        b.put((float) Math.sin(0.001 * k * (i + 1) + i));
      }
    }
  }

  @Test
  void aBatchOfTwoGivesWhatTwoSingleRunsGive() {
    int per = 3 * 112 * 112;
    try (OrtModel m = model(EMBEDDER)) {
      long[] two = {2, 3, 112, 112};
      fill(m.input(two).asFloatBuffer(), 2, per);
      m.run(two);
      float[] batch = m.output("embedding").clone();
      assertThat(batch).as("two 128-d embeddings").hasSize(256);
      long[] one = {1, 3, 112, 112};
      for (int i = 0; i < 2; i++) {
        FloatBuffer b = m.input(one).asFloatBuffer();
        for (int k = 0; k < per; k++) {
          b.put((float) Math.sin(0.001 * k * (i + 1) + i));
        }
        m.run(one);
        float[] single = m.output("embedding");
        assertThat(single).as("one embedding").hasSize(128);
        for (int d = 0; d < 128; d++) {
          assertThat(single[d]).as("item %d dimension %d alone vs in the batch", i, d)
              .isCloseTo(batch[i * 128 + d], within(1e-4f));
        }
      }
      float diff = 0;
      for (int d = 0; d < 128; d++) {
        diff += Math.abs(batch[d] - batch[128 + d]);
      }
      assertThat(diff).as("the two items' embeddings differ (the model saw two inputs)").isGreaterThan(0.1f);
      assertThat(m.runNanos()).as("time spent in the runs").isPositive();
    }
  }

  @Test
  void theSpecsConstantInputsAreFed() throws Exception {
    ModelSpec facenet = ModelSpecs.load("facenet-20180408", TestData.modelsDir(), ModelSpec.FACE_EMBEDDER,
        new ModelSpecs.Files(List.of(), TinyFaceNet.write(tmp.resolve("tiny.onnx")).toString(), "--embedder-file"));
    assertThat(facenet.constants()).as("the shipped spec's constants").isEqualTo(Map.of("phase_train", false));
    // the tiny graph adds phase_train (0 or 1) to every dimension of the per-channel means
    for (boolean phase : new boolean[] {false, true}) {
      try (OrtModel m = model(with(facenet, facenet.outputs(), Map.of("phase_train", phase)))) {
        long[] shape = {1, 160, 160, 3};
        FloatBuffer b = m.input(shape).asFloatBuffer();
        for (int k = 0; k < 160 * 160 * 3; k++) {
          b.put(0.25f);
        }
        m.run(shape);
        float[] e = m.output("embedding");
        float p = phase ? 1f : 0f;
        assertThat(e[0]).as("dimension 0 = channel mean + phase_train %s", phase).isCloseTo(0.25f + p, within(1e-5f));
        assertThat(e[511]).as("dimension 511 = phase_train %s", phase).isEqualTo(p);
      }
    }
  }

  @Test
  void anOutputTheModelLacksIsAModelFaultNamingModelAndOutput() {
    // the file passes the start checks with its own spec; the runner reads what the other spec names
    ModelSpec wrong = with(EMBEDDER, Map.of("embedding", "no_such_output"), null);
    byte[] bytes = ModelFiles.readVerified(EMBEDDER);
    try (OrtModel m = new OrtModel(wrong, OrtSessions.get(EMBEDDER, () -> bytes, 1, () -> {}))) {
      long[] one = {1, 3, 112, 112};
      fill(m.input(one).asFloatBuffer(), 1, 3 * 112 * 112);
      m.run(one);
      assertThatThrownBy(() -> m.output("embedding")).isInstanceOf(ModelRunException.class)
          .hasMessage("Model 'mobilefacenet-paddlex': the model has no output 'no_such_output'"
              + " (its outputs: reshape2_0.tmp_0)");
    }
  }

  @Test
  void anInputOnnxRuntimeRefusesIsAModelFaultInOneLine() {
    try (OrtModel m = model(EMBEDDER)) {
      long[] wrong = {1, 3, 50, 50};
      fill(m.input(wrong).asFloatBuffer(), 1, 3 * 50 * 50);
      assertThatThrownBy(() -> m.run(wrong)).isInstanceOf(ModelRunException.class)
          .hasMessageStartingWith("Model 'mobilefacenet-paddlex': ONNX Runtime failed to run it: ")
          .hasMessageNotContaining("\n")
          .satisfies(e -> assertThat(((ModelRunException) e).model()).isEqualTo("mobilefacenet-paddlex"))
          .hasCauseInstanceOf(ai.onnxruntime.OrtException.class);
    }
  }
}
