package io.facecluster.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Path;
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
}
