package io.facecluster.cli;

import io.facecluster.config.ArgParser;
import io.facecluster.config.JobConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.io.S3aCredentials;
import io.facecluster.pipeline.FaceSelection;
import io.facecluster.report.RunReport;
import io.facecluster.udfs.FaceUdfs;
import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** `run`: parse options, get (or start) the Spark session, run the job, print the summary. */
final class RunCommand {
  static final String USAGE = "usage: submit.sh run --input <dir|glob|s3a://bucket/prefix> --output <dir|s3a://...> "
      + "[--run-id ID] [--k N] [--cluster auto|kmeans|bisecting|threshold] [--conf FILE] [options]";

  private RunCommand() {}

  static int execute(String[] args, PrintStream out) {
    ArgParser.Parsed parsed = ArgParser.parse("run", RunOptions.ALL, args);
    if (parsed.help()) {
      out.print(ArgParser.help(USAGE, RunOptions.ALL));
      return 0;
    }
    JobConfig config = config(parsed);
    SparkSession spark = session(config);
    RunJob job = new RunJob(spark, config, FaceSelection.ALL);
    Map<String, Object> summary = job.run();
    out.println(SummaryTable.format(summary));
    out.println("  report:  " + RunReport.run(spark, config, summary));
    return 0;
  }

  /** Everything `run` does with its arguments before Spark starts (the Airflow DAG's test calls this too). */
  static JobConfig config(ArgParser.Parsed parsed) {
    return JobConfig.from(ResolvedConfig.resolve(RunOptions.ALL, parsed.values(), parsed.confFile()));
  }

  /** The active session (spark-submit, notebooks, tests), or an embedded local one when none is configured. */
  static SparkSession session(JobConfig config) {
    return session("facecluster run " + config.runId(), config.pipeline().master());
  }

  static SparkSession session(String appName, String master) {
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    if (!new SparkConf().contains("spark.master")) {
      b.master(master != null ? master : "local[*]");
    }
    SparkSession spark = b.getOrCreate();
    // conf/spark-defaults.conf's S3A credentials chain is an SDK v1 class; on Spark 4 (SDK v2) it needs mapping.
    S3aCredentials.adapt(spark.sparkContext().hadoopConfiguration());
    FaceUdfs.register(spark);
    return spark;
  }
}
