package io.facecluster.eval;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The metrics of {@link ClusteringMetrics}, computed by Spark from the contingency table for collections too
 * large to bring to the driver (a million faces): every sum is an aggregation over the (cluster, label) cells,
 * the cluster sizes or the label sizes, and only a handful of numbers reach the driver. Same definitions; noise
 * (-1) items are singletons.
 */
public final class DistributedClusteringMetrics {
  private DistributedClusteringMetrics() {}

  /** @param clusterLabel (cluster, label) per item; cluster NOISE = its own singleton */
  public static ClusteringMetrics of(JavaPairRDD<Long, Long> clusterLabel) {
    JavaPairRDD<Long, Long> items = clusterLabel.zipWithUniqueId()
        .mapToPair(t -> new Tuple2<>(t._1()._1() == ClusteringMetrics.NOISE ? -2 - t._2() : t._1()._1(),
            t._1()._2()))
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      long n = items.count();
      if (n == 0) {
        return ClusteringMetrics.of(new long[0], new String[0]);
      }
      JavaPairRDD<Long, Long> clusterSize = items.mapToPair(t -> new Tuple2<>(t._1(), 1L)).reduceByKey(Long::sum)
          .persist(StorageLevel.MEMORY_AND_DISK());
      JavaPairRDD<Long, Long> labelSize = items.mapToPair(t -> new Tuple2<>(t._2(), 1L)).reduceByKey(Long::sum)
          .persist(StorageLevel.MEMORY_AND_DISK());
      // cell (cluster, label) -> count
      JavaPairRDD<Tuple2<Long, Long>, Long> cells = items.mapToPair(t -> new Tuple2<>(t, 1L)).reduceByKey(Long::sum);
      // (n_cl, n_c, n_l) per cell
      JavaRDD<long[]> joined = cells
          .mapToPair(t -> new Tuple2<>(t._1()._1(), new Tuple2<>(t._1()._2(), t._2())))
          .join(clusterSize)
          .mapToPair(t -> new Tuple2<>(t._2()._1()._1(), new long[] {t._2()._1()._2(), t._2()._2()}))
          .join(labelSize)
          .map(t -> new long[] {t._2()._1()[0], t._2()._1()[1], t._2()._2()});
      double[] s = joined.map(c -> {
        double ncl = c[0];
        double nc = c[1];
        double nl = c[2];
        return new double[] {pairs(ncl), ncl * ncl / nc, ncl * ncl / nl, ncl / n * Math.log(ncl * n / (nc * nl))};
      }).reduce(DistributedClusteringMetrics::plus);
      double[] cs = sizes(clusterSize, n);
      double[] ls = sizes(labelSize, n);
      double tp = s[0];
      double pp = cs[0] == 0 ? 1 : tp / cs[0];
      double pr = ls[0] == 0 ? 1 : tp / ls[0];
      double bp = s[1] / n;
      double br = s[2] / n;
      double nmi = cs[1] + ls[1] == 0 ? 1.0 : 2 * s[3] / (cs[1] + ls[1]);
      clusterSize.unpersist(false);
      labelSize.unpersist(false);
      return new ClusteringMetrics(n, (long) cs[2], (long) ls[2], (long) cs[3], pp, pr, f1(pp, pr), bp, br, f1(bp, br),
          nmi);
    } finally {
      items.unpersist(false);
    }
  }

  /** {pairs inside, entropy, count, singletons} of a size table. */
  private static double[] sizes(JavaPairRDD<Long, Long> size, long n) {
    return size.map(t -> new double[] {pairs(t._2()), -(double) t._2() / n * Math.log((double) t._2() / n), 1,
        t._2() == 1 ? 1 : 0}).fold(new double[4], DistributedClusteringMetrics::plus);
  }

  private static double[] plus(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] + b[i];
    }
    return out;
  }

  private static double pairs(double v) {
    return v * (v - 1) / 2.0;
  }

  private static double f1(double p, double r) {
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
}
