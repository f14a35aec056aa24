package io.facecluster.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.facecluster.config.JobConfig;
import io.facecluster.output.RunCounts;
import org.apache.spark.sql.Column;

/** The run's quality rules: which faces may join a cluster, and how many failed files a run may have. */
final class QualityGates {
  private QualityGates() {}

  /**
   * Why a face (column `f`, a FACE struct) may not join a cluster, or null: cluster.min-face-size on the
   * box's short side, then cluster.min-score on the detector score.
   */
  static Column faceGate(JobConfig config) {
    Column shortSide = least(col("f.box").getItem(2).minus(col("f.box").getItem(0)),
        col("f.box").getItem(3).minus(col("f.box").getItem(1)));
    return when(shortSide.lt(config.minFaceSize()), lit("face smaller than " + config.minFaceSize() + " px"))
        .when(col("f.score").lt(config.minScore()), lit("detector score below " + config.minScore()));
  }

  /**
   * Fails the run when more than --max-error-fraction of its processed files are errors (counted in the images
   * table). `known` files are not errors and not processed: they count on neither side of the share.
   */
  static void checkErrors(JobConfig config, RunCounts images) {
    if (images.processed() > 0 && images.errorShare() > config.maxErrorFraction()) {
      throw new RunFailedException(String.format(java.util.Locale.ROOT,
          "run %s failed: %d of %d files%s (%.1f %%) have status error, more than --max-error-fraction %s; "
              + "their reasons are in %s/images/run_id=%s (no commit marker written)",
          config.runId(), images.error(), images.processed(),
          images.known() == 0 ? "" : " not known to the person library", 100.0 * images.errorShare(),
          stripZeros(config.maxErrorFraction()), config.output(), config.runId()));
    }
  }

  private static String stripZeros(double d) {
    return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }
}
