package io.facecluster.pipeline;

import static io.facecluster.TinyOnnx.floats;
import static io.facecluster.TinyOnnx.integer;
import static io.facecluster.TinyOnnx.ints;
import static io.facecluster.TinyOnnx.longs;
import static io.facecluster.TinyOnnx.node;
import static io.facecluster.TinyOnnx.valueInfo;
import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.TinyOnnx;
import io.facecluster.TinyOnnx.Msg;
import io.facecluster.cli.JobRunner;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that fails at run time is a fault of the run, not of the files: the job fails with one clear line
 * that names the model, exit code 1, and no images table of `error` rows that would pass for a finished run.
 * The embedder here is a real ONNX file that loads and passes the spec's checks at start (input 112 x 112,
 * output `e` [N, 128]) and fails in every run: it gathers channel 5 of 3.
 */
class ModelFaultJobTest extends SparkTestBase {
  @TempDir
  static Path tmp;

  private static Path brokenEmbedder() throws Exception {
    byte[] graph = new Msg()
        .msg(1, node("ReduceMean", new String[] {"x"}, "m", ints("axes", 2, 3), integer("keepdims", 0)))
        .msg(1, node("Gather", new String[] {"m", "idx"}, "g", integer("axis", 1)))
        .msg(1, node("MatMul", new String[] {"g", "W"}, "e"))
        .string(2, "gathers-out-of-range")
        .msg(5, longs("idx", new long[] {1}, new long[] {5}))
        .msg(5, floats("W", new long[] {1, 128}, new float[128]))
        .msg(11, valueInfo("x", TinyOnnx.FLOAT, "N", 3, 112, 112))
        .msg(12, valueInfo("e", TinyOnnx.FLOAT, "N", 128))
        .done();
    Files.write(tmp.resolve("broken.onnx"), TinyOnnx.model(graph));
    String mobile = Files.readString(Path.of(TestData.modelsDir(), "mobilefacenet-paddlex.json"));
    String spec = mobile.replace("\"name\": \"mobilefacenet-paddlex\"", "\"name\": \"broken-embedder\"")
        .replaceAll("\"file\": \"[^\"]+\"", "\"file\": \"broken.onnx\"")
        .replaceAll("\"sha256\": \"[0-9a-f]+\",", "")
        .replace("\"reshape2_0.tmp_0\"", "\"e\"");
    assertThat(spec).as("spec of the broken embedder").contains("\"broken-embedder\"", "\"broken.onnx\"", "\"e\"")
        .doesNotContain("sha256");
    return Files.writeString(tmp.resolve("broken-embedder.json"), spec);
  }

  @Test
  void aModelThatFailsToRunFailsTheRunInOneLine() throws Exception {
    Path spec = brokenEmbedder();
    Path out = tmp.resolve("out");
    JobRunner.Result r = JobRunner.main("run", "--input", TestData.sample().toString(), "--output", out.toString(),
        "--models-dir", TestData.modelsDir(), "--embedder", spec.toString(), "--k", "2", "--run-id", "broken");
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
    List<String> lines = r.err().lines().toList();
    assertThat(lines).as("stderr").hasSize(1);
    assertThat(lines.get(0)).as("the one line")
        .startsWith("facecluster: error: Model 'broken-embedder': ONNX Runtime failed to run it: ")
        .contains("Gather");
    List<Path> parquet;
    try (var walk = Files.walk(tmp)) {
      parquet = walk.filter(p -> p.toString().endsWith(".parquet")).toList();
    }
    assertThat(parquet).as("Parquet files written by the failed run (no images table of error rows)").isEmpty();
  }
}
