package io.facecluster.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.udfs.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The Spark aggregation gives the driver-side metrics' numbers, noise included. */
class DistributedClusteringMetricsTest extends SparkTestBase {
  @Test
  void sameNumbersAsTheDriverSideMetrics() {
    Random r = new Random(5);
    int n = 2000;
    long[] cluster = new long[n];
    String[] label = new String[n];
    List<Tuple2<Long, Long>> pairs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int l = r.nextInt(60);
      // mostly the label's cluster, sometimes a wrong one, sometimes noise
      cluster[i] = r.nextInt(10) == 0 ? -1 : r.nextInt(5) == 0 ? r.nextInt(80) : l;
      label[i] = "p" + l;
      pairs.add(new Tuple2<>(cluster[i], (long) l));
    }
    ClusteringMetrics local = ClusteringMetrics.of(cluster, label);
    ClusteringMetrics spark = DistributedClusteringMetrics.of(
        JavaSparkContext.fromSparkContext(SparkTestBase.spark.sparkContext()).parallelizePairs(pairs, 3));
    Offset<Double> eps = Offset.offset(1e-12);
    assertThat(spark.items()).as("items").isEqualTo(local.items());
    assertThat(spark.clusters()).as("clusters (noise as singletons)").isEqualTo(local.clusters());
    assertThat(spark.labels()).as("labels").isEqualTo(local.labels());
    assertThat(spark.singletons()).as("singletons").isEqualTo(local.singletons());
    assertThat(spark.pairwisePrecision()).as("pairwise P").isCloseTo(local.pairwisePrecision(), eps);
    assertThat(spark.pairwiseRecall()).as("pairwise R").isCloseTo(local.pairwiseRecall(), eps);
    assertThat(spark.bcubedPrecision()).as("BCubed P").isCloseTo(local.bcubedPrecision(), eps);
    assertThat(spark.bcubedRecall()).as("BCubed R").isCloseTo(local.bcubedRecall(), eps);
    assertThat(spark.nmi()).as("NMI").isCloseTo(local.nmi(), eps);
    assertThat(local.pairwiseF1()).as("a clustering that is neither perfect nor empty").isBetween(0.3, 0.95);
  }
}
