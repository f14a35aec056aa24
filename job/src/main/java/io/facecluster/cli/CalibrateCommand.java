package io.facecluster.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.split;

import io.facecluster.cluster.GraphClustering;
import io.facecluster.config.ArgParser;
import io.facecluster.config.BenchOptions;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.eval.PairDistributions;
import io.facecluster.eval.SyntheticFaces;
import io.facecluster.output.RunTables;
import io.facecluster.output.Schemas;
import io.facecluster.output.SummaryWriter;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * `calibrate`: from the faces of a labelled eval-clusters run (all of LFW), the cosine distributions of all
 * same-person and different-person pairs: the graph threshold of the embedder spec is read off them (FAR over
 * all different-person pairs), and the synthetic benchmark's generator is fitted to them.
 */
final class CalibrateCommand {
  static final String USAGE = "usage: submit.sh calibrate --input <eval-clusters output> --run-id <id> --output <dir>";
  static final double[] FARS = {1e-3, 1e-4, 1e-5, 1e-6};

  private CalibrateCommand() {}

  static int execute(String[] args, PrintStream out) {
    ArgParser.Parsed parsed = ArgParser.parse("calibrate", BenchOptions.CALIBRATE, args);
    if (parsed.help()) {
      out.print(ArgParser.help(USAGE, BenchOptions.CALIBRATE));
      return 0;
    }
    ResolvedConfig c = ResolvedConfig.resolve(BenchOptions.CALIBRATE, parsed.values(), parsed.confFile());
    String input = c.require(BenchOptions.FACES_OF);
    String runId = c.require(BenchOptions.RUN_ID);
    String output = c.require(BenchOptions.OUTPUT);
    SparkSession spark = RunCommand.session("facecluster calibrate", c.get(BenchOptions.MASTER));
    JavaRDD<PairDistributions.Item> items = spark.read().schema(Schemas.FACES)
        .parquet(RunTables.path(input, "faces")).where(col("run_id").equalTo(runId))
        .select(element_at(split(col("path"), "/"), -2).as("label"), col("embedding"))
        .javaRDD()
        .map(r -> new PairDistributions.Item(GraphClustering.key64(r.getString(0)),
            GraphClustering.toFloats(r.getList(1))));
    PairDistributions d = PairDistributions.of(items, 8);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("input", input);
    result.put("run_id", runId);
    result.put("same", describe(d.same()));
    result.put("different", describe(d.different()));
    Map<String, Object> far = new LinkedHashMap<>();
    for (double f : FARS) {
      double t = d.thresholdAtFar(f);
      far.put(String.valueOf(f), Map.of("threshold", t, "tar", d.tarAt(t)));
    }
    result.put("threshold_at_far", far);
    SyntheticFaces.Params fit = SyntheticFaces.Params.fit(PairDistributions.moments(d.same()),
        PairDistributions.moments(d.different()));
    result.put("synthetic_fit", fit.describe());
    SummaryWriter.writeJson(spark.sparkContext().hadoopConfiguration(), output, "calibration.json", result);
    out.println(SummaryWriter.toJson(result));
    return 0;
  }

  private static Map<String, Object> describe(long[] h) {
    double[] m = PairDistributions.moments(h);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pairs", (long) m[0]);
    out.put("mean", m[1]);
    out.put("std", m[2]);
    for (double q : new double[] {0.001, 0.01, 0.05, 0.5, 0.95, 0.99, 0.999}) {
      out.put("q" + q, PairDistributions.quantile(h, q));
    }
    return out;
  }
}
