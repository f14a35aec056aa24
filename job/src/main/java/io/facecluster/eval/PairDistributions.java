package io.facecluster.eval;

import io.facecluster.cluster.VectorBlock;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Cosine similarity of every pair of labelled faces, as two histograms (same label, different labels) with bins
 * of 0.001: from them the means, spreads and quantiles that calibrate the graph threshold (FAR on all pairs
 * of LFW, not only the 3,000 negative pairs of pairs.txt) and the synthetic embeddings of the benchmark.
 * Computed by blocks of faces on the executors; only the two histograms reach the driver.
 */
public final class PairDistributions implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int BINS = 2001;
  final long[] same;
  final long[] different;

  PairDistributions(long[] same, long[] different) {
    this.same = same;
    this.different = different;
  }

  /** A labelled unit vector. */
  public static final class Item implements Serializable {
    private static final long serialVersionUID = 1L;
    final long label;
    final float[] vector;

    public Item(long label, float[] vector) {
      this.label = label;
      this.vector = vector;
    }
  }

  public static PairDistributions of(JavaRDD<Item> items, int blocks) {
    JavaRDD<Tuple2<Integer, List<Item>>> byBlock = items.zipWithIndex()
        .mapToPair(t -> new Tuple2<>((int) (t._2() % blocks), t._1()))
        .groupByKey(blocks)
        .map(g -> {
          List<Item> list = new ArrayList<>();
          g._2().forEach(list::add);
          return new Tuple2<>(g._1(), list);
        });
    return byBlock.cartesian(byBlock)
        .filter(p -> p._1()._1() <= p._2()._1())
        .map(p -> count(p._1()._2(), p._2()._2(), p._1()._1().equals(p._2()._1())))
        .reduce(PairDistributions::plus);
  }

  static PairDistributions count(List<Item> a, List<Item> b, boolean sameBlock) {
    long[] same = new long[BINS];
    long[] different = new long[BINS];
    for (int i = 0; i < a.size(); i++) {
      Item x = a.get(i);
      for (int j = sameBlock ? i + 1 : 0; j < b.size(); j++) {
        Item y = b.get(j);
        float sim = VectorBlock.dot(x.vector, 0, y.vector, 0, x.vector.length);
        (x.label == y.label ? same : different)[bin(sim)]++;
      }
    }
    return new PairDistributions(same, different);
  }

  static int bin(double sim) {
    return (int) Math.max(0, Math.min(BINS - 1, Math.round((sim + 1) * 1000)));
  }

  static double centre(int bin) {
    return bin / 1000.0 - 1;
  }

  PairDistributions plus(PairDistributions o) {
    for (int i = 0; i < BINS; i++) {
      same[i] += o.same[i];
      different[i] += o.different[i];
    }
    return this;
  }

  /** Count, mean and standard deviation of one histogram (bin centres). */
  public static double[] moments(long[] h) {
    double n = 0;
    double s = 0;
    double ss = 0;
    for (int i = 0; i < h.length; i++) {
      n += h[i];
      s += h[i] * centre(i);
      ss += h[i] * centre(i) * centre(i);
    }
    double mean = s / n;
    return new double[] {n, mean, Math.sqrt(Math.max(0, ss / n - mean * mean))};
  }

  /** The q-quantile of a histogram (bin centre). */
  public static double quantile(long[] h, double q) {
    double total = 0;
    for (long v : h) {
      total += v;
    }
    double acc = 0;
    for (int i = 0; i < h.length; i++) {
      acc += h[i];
      if (acc >= q * total) {
        return centre(i);
      }
    }
    return 1;
  }

  /** The smallest threshold (bin edge) at which at most `far` of the different-label pairs score >= it. */
  public double thresholdAtFar(double far) {
    double total = moments(different)[0];
    double above = 0;
    for (int i = BINS - 1; i >= 0; i--) {
      if (above + different[i] > far * total) {
        return centre(i) + 0.0005;
      }
      above += different[i];
    }
    return -1;
  }

  /** Share of same-label pairs with similarity >= t. */
  public double tarAt(double t) {
    double total = moments(same)[0];
    double above = 0;
    for (int i = 0; i < BINS; i++) {
      if (centre(i) >= t) {
        above += same[i];
      }
    }
    return above / total;
  }

  public long[] same() {
    return same.clone();
  }

  public long[] different() {
    return different.clone();
  }
}
