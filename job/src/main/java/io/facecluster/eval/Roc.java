package io.facecluster.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** ROC of similarity scores against same / different labels: AUC, TAR at a FAR, and the curve's points. */
public final class Roc {
  /** A point: pairs with score > threshold are accepted. */
  public record Point(double threshold, double tar, double far) {}

  private Roc() {}

  /** Area under the ROC curve (Mann-Whitney U, ties counted half). */
  public static double auc(double[] scores, boolean[] same) {
    double[] pos = select(scores, same, true);
    double[] neg = select(scores, same, false);
    Arrays.sort(neg);
    double sum = 0;
    for (double p : pos) {
      int below = lowerBound(neg, p);
      int notAbove = upperBound(neg, p);
      sum += below + 0.5 * (notAbove - below);
    }
    return sum / ((double) pos.length * neg.length);
  }

  /**
   * TAR at the threshold that accepts at most floor(far x negatives) negatives: the threshold is the
   * (allowed + 1)-th highest negative score, and a pair is accepted when its score is above it.
   */
  public static Point tarAtFar(double[] scores, boolean[] same, double far) {
    double[] neg = select(scores, same, false);
    double[] pos = select(scores, same, true);
    Arrays.sort(neg);
    Arrays.sort(pos);
    int allowed = (int) Math.floor(far * neg.length);
    double t = neg[Math.max(0, neg.length - 1 - allowed)];
    return new Point(t, fractionAbove(pos, t), fractionAbove(neg, t));
  }

  /** One point per distinct score, from the highest threshold down, plus the (1, 1) end. */
  public static List<Point> curve(double[] scores, boolean[] same) {
    double[] pos = select(scores, same, true);
    double[] neg = select(scores, same, false);
    Arrays.sort(pos);
    Arrays.sort(neg);
    double[] distinct = Arrays.stream(scores).distinct().sorted().toArray();
    List<Point> out = new ArrayList<>();
    for (int i = distinct.length - 1; i >= 0; i--) {
      double t = distinct[i];
      out.add(new Point(t, fractionAbove(pos, t), fractionAbove(neg, t)));
    }
    out.add(new Point(Double.NEGATIVE_INFINITY, 1, 1));
    return out;
  }

  /** Share of a sorted array strictly above t. */
  private static double fractionAbove(double[] sorted, double t) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return (double) (sorted.length - upperBound(sorted, t)) / sorted.length;
  }

  private static double[] select(double[] scores, boolean[] same, boolean which) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      if (same[i] == which) {
        out.add(scores[i]);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** First index with a[i] >= v. */
  private static int lowerBound(double[] a, double v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** First index with a[i] > v. */
  private static int upperBound(double[] a, double v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
