package io.facecluster.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `eval-lfw` and `eval-clusters` end to end on small real inputs, through the CLI. */
class EvalCommandsTest extends SparkTestBase {
  @TempDir
  Path tmp;

  @Test
  void evalLfwScoresAPairsFileThroughThePipeline() throws Exception {
    // Two folds of 2 matched + 2 mismatched pairs, the first lines of the official file's first two folds.
    List<String> official = Files.readAllLines(TestData.shared().resolve("data/lfw-protocol/pairs.txt"));
    Path pairs = tmp.resolve("pairs.txt");
    Files.write(pairs, List.of("2\t2", official.get(1), official.get(2), official.get(301), official.get(302),
        official.get(601), official.get(602), official.get(901), official.get(902)));
    JobRunner.Result r = JobRunner.main("eval-lfw", "--lfw", TestData.lfw().toString(), "--pairs", pairs.toString(),
        "--output", tmp.resolve("out").toString(), "--run-id", "tiny", "--flip", "true", "--models-dir",
        TestData.modelsDir());
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
    assertThat(r.out()).as("printed table").contains("accuracy        100.00 %").contains("fold  2");
    JsonNode s = new ObjectMapper().readTree(Files.readString(tmp.resolve("out/runs/run_id=tiny/summary.json")));
    assertThat(s.at("/metrics/pairs").asDouble()).as("pairs scored").isEqualTo(8);
    assertThat(s.at("/metrics/accuracy_mean").asDouble()).as("easy pairs: all right").isEqualTo(1.0);
    int images = LfwPairs.read(pairs).images().size();
    assertThat(images).as("distinct images of the 8 pairs (some repeat)").isEqualTo(13);
    assertThat(s.at("/face_sources/ok:detector").asLong()).as("images with a detected centre face").isEqualTo(13);
    assertThat(s.at("/flip").asBoolean()).as("flip recorded").isTrue();
    assertThat(sql("SELECT count(*), sum(CASE WHEN same THEN 1 ELSE 0 END) FROM parquet.`%s`",
        tmp.resolve("out/lfw_pairs"))).as("pairs table: 8 pairs, 4 same").containsExactly(row(8L, 4L));
    assertThat(sql("SELECT count(*) FROM parquet.`%s` WHERE metric = 'roc_auc' AND value = 1.0",
        tmp.resolve("out/metrics"))).as("AUC 1 on separable pairs").containsExactly(row(1L));
  }

  @Test
  void evalClustersScoresTheSamplesPeople() throws Exception {
    JobRunner.Result r = JobRunner.main("eval-clusters", "--input", TestData.sample().resolve("lfw").toString(),
        "--output", tmp.resolve("ec").toString(), "--run-id", "ec", "--models-dir", TestData.modelsDir());
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
    JsonNode m = new ObjectMapper().readTree(Files.readString(tmp.resolve("ec/runs/run_id=ec/summary.json")))
        .get("clustering_metrics");
    assertThat(m.get("faces").asLong()).as("one centre face per image").isEqualTo(20);
    assertThat(m.get("identities").asLong()).as("labels from folder names").isEqualTo(5);
    assertThat(m.get("clusters").asLong()).as("clusters at the spec's LFW threshold").isEqualTo(5);
    assertThat(m.get("bcubed_f1").asDouble()).as("BCubed F1").isEqualTo(1.0);
    assertThat(m.get("pairwise_f1").asDouble()).as("pairwise F1").isEqualTo(1.0);
  }
}
