package io.facecluster.report;

import static org.apache.spark.sql.functions.col;

import io.facecluster.output.RunTables;
import io.facecluster.output.Schemas;
import io.facecluster.udfs.FaceUdfs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the report shows of an evaluation, from the tables the evaluation commands write (metrics, and for LFW
 * lfw_folds, lfw_roc, lfw_pairs) or, for eval-clusters, from the faces table and the folder labels. Only
 * aggregates reach the driver: metric rows, ten folds, ROC points bucketed on the log FAR axis, and the
 * 2 x 2,001 bin counts of the similarity histograms.
 */
final class EvalFacts {
  /** Different-label pairs of eval-clusters are all pairs among at most this many faces (chosen by hash). */
  static final int DIFFERENT_SAMPLE = 1000;
  /** ROC points per decade of FAR kept for the chart (the last point of each bucket). */
  private static final int ROC_BUCKETS_PER_DECADE = 40;

  /** evaluation -> metric -> value, as in `<output>/metrics`. */
  final Map<String, Map<String, Double>> metrics = new TreeMap<>();
  /** LFW folds: fold (1-based), threshold, test accuracy. */
  final List<double[]> folds = new ArrayList<>();
  /** ROC points (far, tar). */
  List<double[]> roc = List.of();
  PairHistogram pairs;
  /** How the pairs were chosen, for the reader. */
  String pairsNote = "";

  static EvalFacts lfw(SparkSession spark, String output, String runId) {
    EvalFacts f = readMetrics(spark, output, runId);
    for (Row r : RunFacts.table(spark, output, "lfw_folds", Schemas.LFW_FOLDS, runId).orderBy("fold")
        .collectAsList()) {
      f.folds.add(new double[] {r.getInt(0) + 1, r.getDouble(1), r.getDouble(3)});
    }
    RunFacts.table(spark, output, "lfw_roc", Schemas.ROC, runId).createOrReplaceTempView("report_lfw_roc");
    // lfw_roc has one point per distinct score (up to 6,001): the chart keeps the last point of each bucket of
    // the log FAR axis; the curve is monotone, so the bucket's largest FAR and TAR belong to that point.
    List<double[]> roc = new ArrayList<>();
    for (Row r : spark.sql("SELECT max(far), max(tar) FROM report_lfw_roc GROUP BY CASE WHEN far <= 0 THEN -1e9 "
        + "ELSE floor(log10(far) * " + ROC_BUCKETS_PER_DECADE + ") END").collectAsList()) {
      roc.add(new double[] {r.getDouble(0), r.getDouble(1)});
    }
    f.roc = roc;
    Dataset<Row> pairs = RunFacts.table(spark, output, "lfw_pairs", Schemas.LFW_PAIRS, runId);
    pairs.createOrReplaceTempView("report_lfw_pairs");
    f.pairs = histogram(spark.sql("SELECT same, " + PairHistogram.binSql("score") + " AS bin, count(*) "
        + "FROM report_lfw_pairs GROUP BY 1, 2"));
    f.pairsNote = "the pairs of the pairs file (a pair whose image could not be embedded scores -1)";
    return f;
  }

  /**
   * eval-clusters: labels are parent folder names (as eval-clusters defines them). Same-label pairs: every one;
   * different-label pairs: all of them among up to {@link #DIFFERENT_SAMPLE} faces chosen by a hash of face_id
   * (all faces of a small run), so the cost stays bounded on a large tree.
   */
  static EvalFacts labelledFolders(SparkSession spark, String output, String runId) {
    EvalFacts f = readMetrics(spark, output, runId);
    if (!spark.catalog().functionExists("cosine_similarity")) {
      FaceUdfs.register(spark); // the commands' sessions have it; a notebook's may not
    }
    RunFacts.table(spark, output, "faces", Schemas.FACES, runId)
        .selectExpr("face_id", "embedding", "element_at(split(path, '/'), -2) AS label")
        .createOrReplaceTempView("report_labelled");
    String bin = PairHistogram.binSql("cosine_similarity(x.embedding, y.embedding)");
    Dataset<Row> same = spark.sql("SELECT true AS same, " + bin + " AS bin FROM report_labelled x "
        + "JOIN report_labelled y ON x.label = y.label AND x.face_id < y.face_id");
    spark.sql("SELECT * FROM report_labelled ORDER BY xxhash64(face_id), face_id LIMIT " + DIFFERENT_SAMPLE)
        .createOrReplaceTempView("report_sampled");
    Dataset<Row> different = spark.sql("SELECT false AS same, " + bin + " AS bin FROM report_sampled x "
        + "JOIN report_sampled y ON x.label <> y.label AND x.face_id < y.face_id");
    f.pairs = histogram(same.unionByName(different).where(col("bin").isNotNull()).groupBy("same", "bin").count());
    f.roc = f.pairs.roc();
    f.pairsNote = "every pair of faces from the same folder, and every pair from different folders among "
        + "up to " + DIFFERENT_SAMPLE + " faces chosen by a hash of face_id; the ROC is read from these "
        + "histograms (bins of 0.001)";
    return f;
  }

  private static EvalFacts readMetrics(SparkSession spark, String output, String runId) {
    EvalFacts f = new EvalFacts();
    for (Row r : RunFacts.table(spark, output, "metrics", Schemas.METRICS, runId).collectAsList()) {
      f.metrics.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getString(1), r.getDouble(2));
    }
    return f;
  }

  /** Rows (same, bin, count) into the two histograms. */
  private static PairHistogram histogram(Dataset<Row> counts) {
    long[] same = new long[PairHistogram.BINS];
    long[] different = new long[PairHistogram.BINS];
    for (Row r : counts.collectAsList()) {
      (r.getBoolean(0) ? same : different)[r.getInt(1)] += r.getLong(2);
    }
    return new PairHistogram(same, different);
  }
}
