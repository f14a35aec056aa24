package io.facecluster.cli;

import io.facecluster.config.ArgParser;
import io.facecluster.config.JobConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.io.S3aCredentials;
import io.facecluster.pipeline.FaceSelection;
import io.facecluster.run.RunJob;
import io.facecluster.udfs.FaceUdfs;
import java.io.PrintStream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** `run`: parse options, get (or start) the Spark session, hand over to {@link RunJob}, print the summary. */
final class RunCommand {
  static final String USAGE = "usage: submit.sh run --input <dir|glob|s3a://bucket/prefix> --output <dir|s3a://...> "
      + "[--run-id ID] [--k N] [--cluster auto|kmeans|bisecting|threshold] [--conf FILE] [options]";

  /** System property set by submit.sh's embedded mode: the job jar and the S3A jars, comma-separated. */
  static final String EXECUTOR_JARS = "facecluster.executor-jars";

  private RunCommand() {}

  static int execute(String[] args, PrintStream out) {
    ArgParser.Parsed parsed = ArgParser.parse("run", RunOptions.ALL, args);
    if (parsed.help()) {
      out.print(ArgParser.help(USAGE, RunOptions.ALL));
      return 0;
    }
    JobConfig config = config(parsed);
    RunJob.Committed run = new RunJob(session(config), config, FaceSelection.ALL).run();
    out.println(SummaryTable.format(run.summary(), run.marker()));
    out.println("  report:  " + run.report());
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
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      b.master(master != null ? master : "local[*]");
    }
    String effective = conf.get("spark.master", master != null ? master : "local[*]");
    String executorJars = System.getProperty(EXECUTOR_JARS);
    boolean inProcess = effective.equals("local") || effective.startsWith("local[");
    if (!inProcess && executorJars != null && !conf.contains("spark.jars")) {
      // submit.sh's embedded driver against a cluster (--spark-master spark://...): executors in other JVMs
      // load the job's classes and the S3A jars from spark.jars, as spark-submit would ship them.
      b.config("spark.jars", executorJars);
    }
    SparkSession spark = b.getOrCreate();
    // conf/spark-defaults.conf's S3A credentials chain is an SDK v1 class; on Spark 4 (SDK v2) it needs mapping.
    S3aCredentials.adapt(spark.sparkContext().hadoopConfiguration());
    FaceUdfs.register(spark);
    return spark;
  }
}
