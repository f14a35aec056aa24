package io.facecluster.cli;

import io.facecluster.config.ArgParser;
import io.facecluster.config.JobConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.eval.ClusterScoring;
import io.facecluster.eval.ClusteringMetrics;
import io.facecluster.eval.LabelPairs;
import io.facecluster.output.RunTables;
import io.facecluster.output.Schemas;
import io.facecluster.output.SummaryWriter;
import io.facecluster.pipeline.FaceSelection;
import io.facecluster.report.RunReport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * `eval-clusters`: the full `run` on a labelled folder tree (label = parent folder name), one centre face per
 * image (a labelled photo shows its label's person; other faces in it are unlabelled bystanders), then the
 * clustering metrics of the run and pair verification at the best threshold ({@link LabelPairs}: the person
 * re-ID protocol), written to `<output>/metrics` and summary.json.
 */
final class EvalClustersCommand {
  static final String USAGE = "usage: submit.sh eval-clusters --input <labelled dir> --output <dir> "
      + "[--cluster auto|kmeans|bisecting|threshold] [--k N] [options of run]";

  private EvalClustersCommand() {}

  static int execute(String[] args, PrintStream out) {
    ArgParser.Parsed parsed = ArgParser.parse("eval-clusters", RunOptions.ALL, args);
    if (parsed.help()) {
      out.print(ArgParser.help(USAGE, RunOptions.ALL));
      return 0;
    }
    JobConfig config = JobConfig.from(ResolvedConfig.resolve(RunOptions.ALL, parsed.values(), parsed.confFile()));
    SparkSession spark = RunCommand.session(config);
    long t0 = System.nanoTime();
    Map<String, Object> summary = new RunJob(spark, config, FaceSelection.CENTRE).run();
    ClusteringMetrics m = ClusterScoring.score(spark, config.output(), config.runId());
    Map<String, Double> metrics = m.asMap();
    List<Row> rows = new ArrayList<>();
    metrics.forEach((k, v) -> rows.add(RowFactory.create("clusters:" + config.cluster().label(), k, v,
        config.runId())));
    summary.put("clustering_metrics", metrics);
    Map<String, Double> pairs = LabelPairs.score(spark, config.output(), config.runId(), 7);
    pairs.forEach((k, v) -> rows.add(RowFactory.create("pairs:best-threshold", k, v, config.runId())));
    summary.put("pair_verification", pairs);
    RunTables.write(spark.createDataFrame(rows, Schemas.METRICS), Schemas.METRICS, config.output(), "metrics");
    summary.put("eval_clusters_ms", (System.nanoTime() - t0) / 1_000_000);
    SummaryWriter.write(spark.sparkContext().hadoopConfiguration(), config.output(), summary);
    out.println(SummaryTable.format(summary));
    out.printf("  clustering (%s): %d faces, %d clusters for %d identities (%d singletons)%n",
        config.cluster().label(), m.items(), m.clusters(), m.labels(), m.singletons());
    out.printf("    pairwise  P %.4f  R %.4f  F1 %.4f%n", m.pairwisePrecision(), m.pairwiseRecall(), m.pairwiseF1());
    out.printf("    BCubed    P %.4f  R %.4f  F1 %.4f%n", m.bcubedPrecision(), m.bcubedRecall(), m.bcubedF1());
    out.printf("    NMI       %.4f%n", m.nmi());
    out.printf("  pairs (every same-label pair, as many random different ones): %.0f + %.0f, mean cosine %.3f / %.3f,"
        + " best-threshold accuracy %.2f %% at %.3f%n", pairs.get("same_pairs"), pairs.get("different_pairs"),
        pairs.get("mean_cosine_same"), pairs.get("mean_cosine_different"),
        100 * pairs.get("best_threshold_accuracy"), pairs.get("best_threshold"));
    out.println("  report:  " + RunReport.evalClusters(spark, config, summary));
    return 0;
  }
}
