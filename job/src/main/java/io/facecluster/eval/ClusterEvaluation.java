package io.facecluster.eval;

import io.facecluster.config.JobConfig;
import io.facecluster.output.RunSummary;
import io.facecluster.output.RunTables;
import io.facecluster.output.Schemas;
import io.facecluster.report.RunReport;
import io.facecluster.run.RunJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * What `eval-clusters` adds to a run before it commits: the clustering metrics against the folder labels,
 * pair verification at the best threshold ({@link LabelPairs}), both written to `<output>/metrics` and into
 * summary.json, and the eval-clusters report. Create it just before the run: its time counts from then.
 */
public final class ClusterEvaluation implements RunJob.Finish {
  private final SparkSession spark;
  private final JobConfig config;
  private final long t0 = System.nanoTime();
  private ClusteringMetrics metrics;
  private Map<String, Double> pairs;

  public ClusterEvaluation(SparkSession spark, JobConfig config) {
    this.spark = spark;
    this.config = config;
  }

  @Override
  public RunSummary evaluate(RunSummary summary) {
    metrics = ClusterScoring.score(spark, config.output(), config.runId());
    List<Row> rows = new ArrayList<>();
    metrics.asMap().forEach((k, v) -> rows.add(RowFactory.create("clusters:" + config.cluster().label(), k, v,
        config.runId())));
    pairs = LabelPairs.score(spark, config.output(), config.runId(), 7);
    pairs.forEach((k, v) -> rows.add(RowFactory.create("pairs:best-threshold", k, v, config.runId())));
    RunTables.write(spark.createDataFrame(rows, Schemas.METRICS), Schemas.METRICS, config.output(), "metrics");
    return summary.withEvaluation(metrics.asMap(), pairs, (System.nanoTime() - t0) / 1_000_000);
  }

  @Override
  public String report(SparkSession spark, JobConfig config, RunSummary summary) {
    return RunReport.evalClusters(spark, config, summary);
  }

  /** The clustering metrics, once {@link #evaluate} has run. */
  public ClusteringMetrics metrics() {
    return metrics;
  }

  /** Pair verification at the best threshold, once {@link #evaluate} has run. */
  public Map<String, Double> pairs() {
    return pairs;
  }
}
