package io.facecluster.eval;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The scored LFW pairs (fold, image a, image b, same, score), how each image's face was found
 * ("ok:detector", "ok:low-score", "ok:centre-crop", "error"), the task time per stage summed from the images'
 * rows (`stage_us`, never accumulators), and the metrics computed from them.
 */
public record LfwScores(int[] fold, String[] a, String[] b, boolean[] same, double[] score,
    Map<String, Long> faceSources, long images, long elapsedNanos, Map<String, Long> taskMillisByStage) {

  static LfwScores of(List<Row> rows, Map<String, Long> sources, long images, long elapsed,
      Map<String, Long> taskMillisByStage) {
    int n = rows.size();
    int[] fold = new int[n];
    String[] a = new String[n];
    String[] b = new String[n];
    boolean[] same = new boolean[n];
    double[] score = new double[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      fold[i] = r.getInt(0);
      a[i] = r.getString(1);
      b[i] = r.getString(2);
      same[i] = r.getBoolean(3);
      score[i] = ((Number) r.get(4)).doubleValue();
    }
    return new LfwScores(fold, a, b, same, score, sources, images, elapsed, taskMillisByStage);
  }

  public Verification.Result tenFold() {
    return Verification.tenFold(score, same, fold);
  }

  /** Images whose face came from a fallback (low-score pass or centre crop), over all images. */
  public double fallbackShare() {
    long fallback = faceSources.entrySet().stream()
        .filter(e -> e.getKey().endsWith(":low-score") || e.getKey().endsWith(":centre-crop"))
        .mapToLong(Map.Entry::getValue).sum();
    return (double) fallback / images;
  }
}
