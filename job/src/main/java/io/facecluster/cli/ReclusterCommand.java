package io.facecluster.cli;

import io.facecluster.cluster.GraphClustering;
import io.facecluster.config.ArgParser;
import io.facecluster.config.ConfigException;
import io.facecluster.config.GraphConfig;
import io.facecluster.config.JobConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.library.Recluster;
import io.facecluster.models.ModelException;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.ModelSpecs;
import io.facecluster.run.GraphSettings;
import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * `recluster --library PATH`: every library face clustered again from scratch with the graph method, person ids
 * carried over ({@link Recluster}). The threshold is --cluster-threshold, else the clusterThreshold of the spec
 * of the embedder the library is bound to (looked up by name in models.dir).
 */
final class ReclusterCommand {
  static final String USAGE = "usage: submit.sh recluster --library <path> [--run-id ID] [graph options of run]";

  private ReclusterCommand() {}

  static int execute(String[] args, PrintStream out) {
    ArgParser.Parsed parsed = ArgParser.parse("recluster", RunOptions.RECLUSTER, args);
    if (parsed.help()) {
      out.print(ArgParser.help(USAGE, RunOptions.RECLUSTER));
      return 0;
    }
    ResolvedConfig c = config(parsed);
    String library = c.require(RunOptions.LIBRARY);
    String runId = c.get(RunOptions.RUN_ID);
    runId = runId == null ? "recluster-" + RunOptions.newRunId() : runId;
    SparkSession spark = RunCommand.session("facecluster recluster " + runId, c.get(RunOptions.MASTER));
    String embedder = Recluster.embedder(spark, library);
    Double threshold = c.get(RunOptions.CLUSTER_THRESHOLD);
    if (threshold == null) {
      threshold = specThreshold(embedder, c.require(RunOptions.MODELS_DIR));
    }
    GraphClustering.Params p = GraphSettings.params(GraphConfig.from(c), c.require(RunOptions.CLUSTER_MAX_ITER),
        c.require(RunOptions.CLUSTER_SEED), threshold);
    Map<String, Object> r = Recluster.run(spark, library, runId, p, c.require(RunOptions.LIBRARY_UNLOCK));
    out.printf("recluster %s of %s (threshold %.4f): %d faces, %d persons kept, %d merged, %d split, %d new "
            + "(%d faces), %d unassigned; %d ms clustering, %d ms commit%n", runId, library, threshold,
        r.get("library_faces"), r.get("persons_kept"), r.get("persons_merged"), r.get("persons_split"),
        r.get("new_persons"), r.get("faces_in_new_persons"), r.get("unassigned"), r.get("cluster_ms"),
        r.get("commit_ms"));
    return 0;
  }

  /**
   * Everything `recluster` does with its arguments before Spark starts (the Airflow DAG's test calls this too):
   * the options resolved, --library required, an explicit --run-id checked.
   */
  static ResolvedConfig config(ArgParser.Parsed parsed) {
    ResolvedConfig c = ResolvedConfig.resolve(RunOptions.RECLUSTER, parsed.values(), parsed.confFile());
    c.require(RunOptions.LIBRARY);
    String runId = c.get(RunOptions.RUN_ID);
    if (runId != null) {
      JobConfig.checkRunId(runId);
    }
    return c;
  }

  private static double specThreshold(String embedder, String modelsDir) {
    ModelSpec spec;
    try {
      spec = ModelSpecs.load(embedder, modelsDir, ModelSpec.FACE_EMBEDDER);
    } catch (ModelException e) {
      spec = ModelSpecs.load(embedder, modelsDir, ModelSpec.PERSON_EMBEDDER);
    }
    Double t = spec.embedding().clusterThreshold();
    if (t == null) {
      throw new ConfigException("the library's embedder spec '" + embedder + "' gives no embedding.clusterThreshold:"
          + " set --cluster-threshold");
    }
    return t;
  }
}
