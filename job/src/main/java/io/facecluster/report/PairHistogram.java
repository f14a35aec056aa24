package io.facecluster.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Cosine similarities of same-person and different-person pairs, counted in bins of 0.001 over [-1, 1] (the
 * binning of eval.PairDistributions): Spark counts them, only the 2 x 2,001 counts reach the driver. From
 * them the report draws the two distributions (in coarser bins) and, where no exact ROC table exists, the ROC.
 */
record PairHistogram(long[] same, long[] different) {
  static final int BINS = 2001;

  /** The SQL expression of a cosine's bin (clamped: rounding can step just outside [-1, 1]). */
  static String binSql(String cosine) {
    return "cast(greatest(0, least(" + (BINS - 1) + ", round((" + cosine + " + 1) * 1000))) AS int)";
  }

  static double centre(int bin) {
    return bin / 1000.0 - 1;
  }

  static long total(long[] h) {
    long n = 0;
    for (long v : h) {
      n += v;
    }
    return n;
  }

  static double mean(long[] h) {
    double s = 0;
    for (int i = 0; i < h.length; i++) {
      s += h[i] * centre(i);
    }
    return s / total(h);
  }

  /** First and last fine bin holding any pair, or null when both histograms are empty. */
  int[] range() {
    int lo = -1;
    int hi = -1;
    for (int i = 0; i < BINS; i++) {
      if (same[i] + different[i] > 0) {
        lo = lo < 0 ? i : lo;
        hi = i;
      }
    }
    return lo < 0 ? null : new int[] {lo, hi};
  }

  /** Shares of one histogram in coarse bins of `width` fine bins, starting at fine bin `from`, `n` of them. */
  static double[] shares(long[] h, int from, int width, int n) {
    double[] out = new double[n];
    double total = Math.max(1, total(h));
    for (int i = 0; i < n; i++) {
      for (int j = from + i * width; j < Math.min(BINS, from + (i + 1) * width); j++) {
        out[i] += h[j] / total;
      }
    }
    return out;
  }

  /**
   * ROC points (far, tar) accepting a pair when its similarity is at least a bin's centre, from the highest
   * bin down; exact up to the bin width of 0.001.
   */
  List<double[]> roc() {
    double ns = Math.max(1, total(same));
    double nd = Math.max(1, total(different));
    List<double[]> out = new ArrayList<>();
    long s = 0;
    long d = 0;
    for (int i = BINS - 1; i >= 0; i--) {
      s += same[i];
      d += different[i];
      if (same[i] + different[i] > 0) {
        out.add(new double[] {d / nd, s / ns});
      }
    }
    return out;
  }
}
