package io.facecluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bench` measures the same work twice: the bare ORT loop and the job find the same faces in the same images
 * (a correctness check of the benchmark; the speeds it reports are not asserted).
 */
class BenchCommandTest extends SparkTestBase {
  @TempDir
  Path tmp;

  @Test
  void bareLoopAndJobEmbedTheSameFaces() throws Exception {
    JobRunner.Result r = JobRunner.main("bench", "--images", TestData.sample().toString(), "--limit", "12",
        "--output", tmp.toString(), "--models-dir", TestData.modelsDir(), "--embedder", "mobilefacenet-paddlex",
        "--scaling", "false", "--repeat", "2");
    assertThat(r.code()).as("exit code; stderr %s", r.err()).isZero();
    assertThat(r.out()).as("printed ratio line").containsPattern("job/bare ratio: \\d+\\.\\d\\d");
    JsonNode b = new ObjectMapper().readTree(tmp.resolve("bench.json").toFile());
    assertThat(b.at("/images").asInt()).as("images measured").isEqualTo(12);
    assertThat(b.at("/repetitions").size()).as("repetitions").isEqualTo(2);
    for (JsonNode rep : b.at("/repetitions")) {
      assertThat(rep.at("/bare_faces").asLong()).as("faces embedded by the bare loop = by the job")
          .isEqualTo(b.at("/job_faces").asLong()).isGreaterThanOrEqualTo(12);
      assertThat(rep.at("/job_task_time_by_stage_ms/detect_run").asLong()).as("detector runs inside detect")
          .isPositive().isLessThanOrEqualTo(rep.at("/job_task_time_by_stage_ms/detect").asLong());
    }
    java.util.List<String> csv = java.nio.file.Files.readAllLines(tmp.resolve("stages.csv"));
    assertThat(csv).as("stages.csv: header + one row per stage").hasSize(9);
    assertThat(csv.get(4)).as("session.run of the detector, both loops").startsWith("\"detect: session.run\",")
        .doesNotContain(",,");
    java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(tmp.resolve("stages.png").toFile());
    assertThat(png).as("stages.png decodes").isNotNull();
    assertThat(png.getWidth()).as("chart width").isEqualTo(1000);
  }
}
