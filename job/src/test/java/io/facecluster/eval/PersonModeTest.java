package io.facecluster.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Person mode on the 1,003 CUHK03 crops of ../shared/data/person-reid (105 identities), through eval-clusters:
 * every crop is embedded whole, and the README's pair protocol (every same pair, as many random different
 * pairs, best threshold) gives at least the floors: 0031 >= 78 % (reference 79.0 %), OSNet-x0.25 >= 88 %
 * (reference 88.9 %).
 */
class PersonModeTest extends SparkTestBase {
  @TempDir
  static Path tmp;

  @ParameterizedTest(name = "{0}")
  @CsvSource({"person-reidentification-retail-0031, 0.78", "osnet-x0_25, 0.88"})
  void pairAccuracyOnThePersonCrops(String embedder, double floor) {
    Path out = tmp.resolve(embedder);
    JobRunner.Result r = JobRunner.main("eval-clusters", "--mode", "person", "--embedder", embedder, "--input",
        TestData.shared().resolve("data/person-reid").toString(), "--output", out.toString(), "--run-id", "p",
        "--models-dir", TestData.modelsDir(), "--k", "105");
    assertThat(r.code()).as("exit code; stderr %s", r.err()).isZero();
    assertThat(sql("SELECT status, count(*) FROM parquet.`%s` GROUP BY status", out.resolve("images")))
        .as("every crop embedded").containsExactly(row("ok", 1003L));
    double accuracy = (Double) sql("SELECT value FROM parquet.`%s` WHERE metric = 'best_threshold_accuracy'",
        out.resolve("metrics")).get(0)[0];
    double same = (Double) sql("SELECT value FROM parquet.`%s` WHERE metric = 'same_pairs'",
        out.resolve("metrics")).get(0)[0];
    System.out.printf("%s: best-threshold pair accuracy %.4f%n", embedder, accuracy);
    assertThat(same).as("same-identity pairs of the README").isEqualTo(4332.0);
    assertThat(accuracy).as("%s best-threshold pair accuracy", embedder).isGreaterThanOrEqualTo(floor);
  }

  /**
   * Defaults only (no --k, no --cluster-threshold): the graph clusters on the spec's calibrated
   * embedding.clusterThreshold, and the run is scored. A subset of 20 identities keeps it short. Without the
   * threshold in the spec the job refuses to start (exit 2, "needs a cosine threshold").
   */
  @Test
  void clustersOnDefaultsWithTheSpecsCalibratedThreshold() throws Exception {
    Path input = tmp.resolve("subset");
    List<Path> identities;
    try (var dirs = Files.list(TestData.shared().resolve("data/person-reid"))) {
      identities = dirs.filter(Files::isDirectory).sorted().limit(20).toList();
    }
    long crops = 0;
    double recallOfSingletons = 0;
    for (Path id : identities) {
      Path to = Files.createDirectories(input.resolve(id.getFileName().toString()));
      List<Path> files;
      try (var f = Files.list(id)) {
        files = f.filter(x -> x.toString().endsWith(".jpg")).sorted().toList();
      }
      for (Path x : files) {
        Files.copy(x, to.resolve(x.getFileName()));
      }
      crops += files.size();
      recallOfSingletons += 1.0;   // each crop of an identity of n crops has BCubed recall 1/n as a singleton
    }
    Path out = tmp.resolve("defaults");
    JobRunner.Result r = JobRunner.main("eval-clusters", "--mode", "person", "--embedder", "osnet-x0_25",
        "--input", input.toString(), "--output", out.toString(), "--run-id", "d", "--models-dir",
        TestData.modelsDir());
    assertThat(r.code()).as("exit code of eval-clusters on defaults; stderr %s", r.err()).isZero();
    assertThat(sql("SELECT count(*) FROM parquet.`%s`", out.resolve("faces"))).as("crops embedded")
        .containsExactly(row(crops));
    double f1 = (Double) sql("SELECT value FROM parquet.`%s` WHERE metric = 'bcubed_f1'",
        out.resolve("metrics")).get(0)[0];
    // Every crop its own cluster: BCubed precision 1, recall = identities / crops (sum over crops of 1/n).
    double r0 = recallOfSingletons / crops;
    double singletonsF1 = 2 * r0 / (1 + r0);
    System.out.printf("osnet-x0_25 on defaults, %d crops of 20 identities: BCubed F1 %.4f (all singletons %.4f)%n",
        crops, f1, singletonsF1);
    assertThat(f1).as("BCubed F1 on defaults, above putting every crop alone").isGreaterThan(singletonsF1 + 0.1);
    assertThat(sql("SELECT count(DISTINCT cluster_id) FROM parquet.`%s` WHERE cluster_id >= 0",
        out.resolve("clusters")).get(0)[0]).as("clusters with 2 or more crops").isNotEqualTo(0L);
  }
}
