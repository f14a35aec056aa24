package io.facecluster.cli;

import io.facecluster.config.ArgParser;
import io.facecluster.config.EvalLfwConfig;
import io.facecluster.config.EvalOptions;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.eval.LfwEvaluation;
import io.facecluster.eval.LfwReport;
import io.facecluster.eval.LfwScores;
import io.facecluster.output.LfwSummary;
import io.facecluster.report.RunReport;
import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** `eval-lfw`: the LFW View 2 10-fold protocol through the job's own pipeline. */
final class EvalLfwCommand {
  static final String USAGE = "usage: submit.sh eval-lfw --lfw <dir> --pairs <pairs.txt> --output <dir> "
      + "[--embedder NAME] [--flip true|false] [options]";

  private EvalLfwCommand() {}

  /** Everything `eval-lfw` does with its arguments before Spark starts (the Airflow DAG's test calls this too). */
  static EvalLfwConfig config(ArgParser.Parsed parsed) {
    return EvalLfwConfig.from(ResolvedConfig.resolve(EvalOptions.LFW_ALL, parsed.values(), parsed.confFile()));
  }

  static int execute(String[] args, PrintStream out) {
    ArgParser.Parsed parsed = ArgParser.parse("eval-lfw", EvalOptions.LFW_ALL, args);
    if (parsed.help()) {
      out.print(ArgParser.help(USAGE, EvalOptions.LFW_ALL));
      return 0;
    }
    EvalLfwConfig config = config(parsed);
    SparkSession spark = RunCommand.session("facecluster eval-lfw " + config.runId(), config.pipeline().master());
    LfwEvaluation evaluation = new LfwEvaluation(spark, config);
    LfwScores scores = evaluation.score();
    LfwSummary summary = LfwReport.write(spark, config, evaluation.extraction(), scores);
    Map<String, Double> m = summary.metrics();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("LFW 10-fold (%s, flip %s) -> %s%n", evaluation.extraction().embedder().name(),
        config.pipeline().flip(), config.output()));
    sb.append(String.format("  accuracy        %.2f %% +- %.2f%n", 100 * m.get("accuracy_mean"),
        100 * m.get("accuracy_std")));
    sb.append(String.format("  threshold       %.4f (mean over folds)%n", m.get("threshold_mean")));
    sb.append(String.format("  ROC AUC         %.5f%n", m.get("roc_auc")));
    sb.append(String.format("  TAR @ FAR 1e-3  %.2f %%%n", 100 * m.get("tar_at_far_1e-3")));
    sb.append(String.format("  TAR @ FAR 1e-2  %.2f %%%n", 100 * m.get("tar_at_far_1e-2")));
    sb.append(String.format("  faces           %s (fallback share %.3f %%)%n", summary.faceSources(),
        100 * m.get("fallback_share")));
    sb.append(String.format("  time            %.1f s%n", scores.elapsedNanos() / 1e9));
    for (LfwSummary.Fold f : summary.folds()) {
      sb.append(String.format("    fold %2s  threshold %.4f  accuracy %.2f %%%n", f.fold(), f.threshold(),
          100 * f.accuracy()));
    }
    sb.append("  report:  ").append(RunReport.lfw(spark, config, summary)).append('\n');
    out.print(sb);
    return 0;
  }
}
