package io.facecluster.eval;

import io.facecluster.config.EvalLfwConfig;
import io.facecluster.output.LfwSummary;
import io.facecluster.output.RunTables;
import io.facecluster.output.Schemas;
import io.facecluster.output.SummaryWriter;
import io.facecluster.pipeline.FaceExtraction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Computes the LFW metrics from scored pairs and writes them: Parquet tables, the run's summary.json. */
public final class LfwReport {
  private LfwReport() {}

  public static LfwSummary write(SparkSession spark, EvalLfwConfig config, FaceExtraction extraction,
      LfwScores s) {
    Verification.Result folds = s.tenFold();
    double auc = Roc.auc(s.score(), s.same());
    Roc.Point far3 = Roc.tarAtFar(s.score(), s.same(), 1e-3);
    Roc.Point far2 = Roc.tarAtFar(s.score(), s.same(), 1e-2);
    double meanThreshold = folds.folds().stream().mapToDouble(Verification.Fold::threshold).average().orElse(0);

    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("accuracy_mean", folds.mean());
    metrics.put("accuracy_std", folds.std());
    metrics.put("threshold_mean", meanThreshold);
    metrics.put("roc_auc", auc);
    metrics.put("tar_at_far_1e-3", far3.tar());
    metrics.put("threshold_at_far_1e-3", far3.threshold());
    metrics.put("tar_at_far_1e-2", far2.tar());
    metrics.put("threshold_at_far_1e-2", far2.threshold());
    metrics.put("fallback_share", s.fallbackShare());
    metrics.put("pairs", (double) s.score().length);
    metrics.put("images", (double) s.images());

    String run = config.runId();
    List<Row> metricRows = new ArrayList<>();
    metrics.forEach((k, v) -> metricRows.add(RowFactory.create("lfw", k, v, run)));
    write(spark, metricRows, Schemas.METRICS, config.output(), "metrics");
    List<Row> foldRows = new ArrayList<>();
    folds.folds().forEach(f -> foldRows.add(RowFactory.create(f.fold(), f.threshold(), f.trainAccuracy(),
        f.testAccuracy(), run)));
    write(spark, foldRows, Schemas.LFW_FOLDS, config.output(), "lfw_folds");
    List<Row> rocRows = new ArrayList<>();
    Roc.curve(s.score(), s.same()).forEach(p -> rocRows.add(RowFactory.create(
        Double.isInfinite(p.threshold()) ? -1.0 : p.threshold(), p.tar(), p.far(), run)));
    write(spark, rocRows, Schemas.ROC, config.output(), "lfw_roc");
    List<Row> pairRows = new ArrayList<>();
    for (int i = 0; i < s.score().length; i++) {
      pairRows.add(RowFactory.create(s.fold()[i], s.a()[i], s.b()[i], s.same()[i], s.score()[i], run));
    }
    write(spark, pairRows, Schemas.LFW_PAIRS, config.output(), "lfw_pairs");

    List<LfwSummary.Fold> foldList = new ArrayList<>();
    folds.folds().forEach(f -> foldList.add(new LfwSummary.Fold(f.fold() + 1, f.threshold(), f.testAccuracy())));
    LfwSummary summary = new LfwSummary(run, "lfw-10-fold", config.lfw(), config.pairs(), config.pipeline().flip(),
        extraction.describeModels(), metrics, foldList, s.faceSources(),
        new LfwSummary.Timings(s.elapsedNanos() / 1_000_000, s.taskMillisByStage()), spark.sparkContext().master());
    SummaryWriter.writeBytes(spark.sparkContext().hadoopConfiguration(),
        RunTables.runFile(config.output(), run, "summary.json"), summary.toJson().getBytes(StandardCharsets.UTF_8));
    return summary;
  }

  private static void write(SparkSession spark, List<Row> rows, StructType schema, String output, String table) {
    RunTables.write(spark.createDataFrame(rows, schema), schema, output, table);
  }
}
