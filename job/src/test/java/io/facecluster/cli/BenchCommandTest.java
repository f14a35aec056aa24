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
        "--scaling", "false");
    assertThat(r.code()).as("exit code; stderr %s", r.err()).isZero();
    assertThat(r.out()).as("printed ratio line").containsPattern("job/bare ratio: \\d+\\.\\d\\d");
    JsonNode b = new ObjectMapper().readTree(tmp.resolve("bench.json").toFile());
    assertThat(b.at("/images").asInt()).as("images measured").isEqualTo(12);
    assertThat(b.at("/bare/faces").asLong()).as("faces embedded by the bare loop = by the job")
        .isEqualTo(b.at("/job/faces").asLong()).isGreaterThanOrEqualTo(12);
  }
}
