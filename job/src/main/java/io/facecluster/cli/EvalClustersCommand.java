package io.facecluster.cli;

import io.facecluster.config.ArgParser;
import io.facecluster.config.JobConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.eval.ClusterEvaluation;
import io.facecluster.eval.ClusteringMetrics;
import io.facecluster.pipeline.FaceSelection;
import io.facecluster.run.RunJob;
import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * `eval-clusters`: the full `run` on a labelled folder tree (label = parent folder name), one centre face per
 * image (a labelled photo shows its label's person; other faces in it are unlabelled bystanders), then the
 * clustering metrics of the run and pair verification at the best threshold ({@link LabelPairs}: the person
 * re-ID protocol), written to `<output>/metrics` and the run's summary.json ({@link ClusterEvaluation}).
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
    ClusterEvaluation evaluation = new ClusterEvaluation(spark, config);
    RunJob.Committed run = new RunJob(spark, config, FaceSelection.CENTRE).run(evaluation);
    ClusteringMetrics m = evaluation.metrics();
    Map<String, Double> pairs = evaluation.pairs();
    out.println(SummaryTable.format(run.summary(), run.marker()));
    out.printf("  clustering (%s): %d faces, %d clusters for %d identities (%d singletons)%n",
        config.cluster().label(), m.items(), m.clusters(), m.labels(), m.singletons());
    out.printf("    pairwise  P %.4f  R %.4f  F1 %.4f%n", m.pairwisePrecision(), m.pairwiseRecall(), m.pairwiseF1());
    out.printf("    BCubed    P %.4f  R %.4f  F1 %.4f%n", m.bcubedPrecision(), m.bcubedRecall(), m.bcubedF1());
    out.printf("    NMI       %.4f%n", m.nmi());
    out.printf("  pairs (every same-label pair, as many random different ones): %.0f + %.0f, mean cosine %.3f / %.3f,"
        + " best-threshold accuracy %.2f %% at %.3f%n", pairs.get("same_pairs"), pairs.get("different_pairs"),
        pairs.get("mean_cosine_same"), pairs.get("mean_cosine_different"),
        100 * pairs.get("best_threshold_accuracy"), pairs.get("best_threshold"));
    out.println("  report:  " + run.report());
    return 0;
  }
}
