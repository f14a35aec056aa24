package io.facecluster.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The LFW 10-fold verification protocol on similarity scores: for each fold, the threshold that maximises
 * accuracy on the other folds is applied to the held-out fold; accuracy is the mean (and population std) of
 * the held-out accuracies. A pair is predicted "same" when its score is strictly above the threshold.
 *
 * <p>Threshold candidates are the midpoints between consecutive distinct training scores, plus one below the
 * lowest and one above the highest. Ties in training accuracy go to the smallest such threshold (the first
 * best one in ascending order, as an argmax over ascending thresholds does).
 */
public final class Verification {
  /** One held-out fold: threshold chosen on the others, its training accuracy and the held-out accuracy. */
  public record Fold(int fold, double threshold, double trainAccuracy, double testAccuracy) {}

  /** Folds, mean and std of the held-out accuracies. */
  public record Result(List<Fold> folds, double mean, double std) {}

  private Verification() {}

  public static Result tenFold(double[] scores, boolean[] same, int[] fold) {
    int folds = Arrays.stream(fold).max().orElse(-1) + 1;
    List<Fold> out = new ArrayList<>();
    for (int k = 0; k < folds; k++) {
      List<Integer> train = new ArrayList<>();
      List<Integer> test = new ArrayList<>();
      for (int i = 0; i < scores.length; i++) {
        (fold[i] == k ? test : train).add(i);
      }
      double[] best = bestThreshold(pick(scores, train), pick(same, train));
      out.add(new Fold(k, best[0], best[1], accuracy(pick(scores, test), pick(same, test), best[0])));
    }
    double mean = out.stream().mapToDouble(Fold::testAccuracy).average().orElse(Double.NaN);
    double var = out.stream().mapToDouble(f -> (f.testAccuracy() - mean) * (f.testAccuracy() - mean)).average()
        .orElse(Double.NaN);
    return new Result(out, mean, Math.sqrt(var));
  }

  /** {threshold, accuracy} maximising accuracy on these pairs (smallest threshold on ties). */
  public static double[] bestThreshold(double[] scores, boolean[] same) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(scores[x], scores[y]));
    // Threshold below every score: every pair predicted same, so the correct ones are the positives.
    int correct = 0;
    for (boolean s : same) {
      correct += s ? 1 : 0;
    }
    double bestT = n == 0 ? 0 : scores[order[0]] - 1e-6;
    int bestCorrect = correct;
    int i = 0;
    while (i < n) {
      int j = i;
      // Passing a group of equal scores moves all of them to "different" at once.
      while (j < n && scores[order[j]] == scores[order[i]]) {
        correct += same[order[j]] ? -1 : 1;
        j++;
      }
      double t = j < n ? (scores[order[i]] + scores[order[j]]) / 2 : scores[order[i]] + 1e-6;
      if (correct > bestCorrect) {
        bestCorrect = correct;
        bestT = t;
      }
      i = j;
    }
    return new double[] {bestT, n == 0 ? Double.NaN : (double) bestCorrect / n};
  }

  public static double accuracy(double[] scores, boolean[] same, double threshold) {
    int correct = 0;
    for (int i = 0; i < scores.length; i++) {
      correct += (scores[i] > threshold) == same[i] ? 1 : 0;
    }
    return (double) correct / scores.length;
  }

  private static double[] pick(double[] v, List<Integer> idx) {
    return idx.stream().mapToDouble(i -> v[i]).toArray();
  }

  private static boolean[] pick(boolean[] v, List<Integer> idx) {
    boolean[] out = new boolean[idx.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v[idx.get(i)];
    }
    return out;
  }
}
