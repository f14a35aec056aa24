package io.facecluster.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.udfs.SparkTestBase;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * All-pairs histograms on five labelled 2-d unit vectors with hand-computed cosines: person 1 at 0 and 60
 * degrees (same pair 0.5), person 2 at 90, 90 and 180 degrees (same pairs 1.0, 0, 0); different-person pairs:
 * 0 with 90 (x2): 0, 0 with 180: -1, 60 with 90 (x2): 0.866, 60 with 180: -0.5.
 */
class PairDistributionsTest extends SparkTestBase {
  @Test
  void countsEveryPairOnceInItsHistogram() {
    List<PairDistributions.Item> items = List.of(item(1, 0), item(1, 60), item(2, 90), item(2, 90), item(2, 180));
    for (int blocks : new int[] {1, 3}) {
      PairDistributions d = PairDistributions.of(
          JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(items, 2), blocks);
      double[] same = PairDistributions.moments(d.same());
      double[] diff = PairDistributions.moments(d.different());
      Offset<Double> bin = Offset.offset(0.0011);
      assertThat(same[0]).as("same-person pairs, %d blocks", blocks).isEqualTo(4.0);
      assertThat(same[1]).as("same-person mean (0.5 + 1 + 0 + 0) / 4").isCloseTo(0.375, bin);
      assertThat(diff[0]).as("different-person pairs").isEqualTo(6.0);
      assertThat(diff[1]).as("different-person mean (0 + 0 - 1 + 0.866 + 0.866 - 0.5) / 6").isCloseTo(0.0387, bin);
      // The two 0.866 pairs are 1/3 of the different pairs: FAR 1/3 starts at them, FAR 0.3 above them.
      assertThat(d.thresholdAtFar(1.0 / 3)).as("threshold at FAR 1/3").isCloseTo(0.0005, bin);
      assertThat(d.thresholdAtFar(0.3)).as("threshold at FAR 0.3").isCloseTo(0.8665, bin);
      assertThat(d.tarAt(0.4)).as("same pairs >= 0.4: 0.5 and 1.0").isEqualTo(0.5);
    }
  }

  private static PairDistributions.Item item(long label, double degrees) {
    double r = Math.toRadians(degrees);
    return new PairDistributions.Item(label, new float[] {(float) Math.cos(r), (float) Math.sin(r)});
  }
}
