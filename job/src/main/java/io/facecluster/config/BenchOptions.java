package io.facecluster.config;

import java.util.List;

/** Options of the calibration and cluster-benchmark commands (no images: they read or make embeddings). */
public final class BenchOptions {
  private BenchOptions() {}

  public static final ConfigOption<String> FACES_OF = ConfigOption.string("input", null,
      "output directory of an eval-clusters run (its faces table; label = parent folder of each path)");
  public static final ConfigOption<String> RUN_ID = ConfigOption.string("run-id", null,
      "the eval-clusters run to read");
  public static final ConfigOption<String> OUTPUT = ConfigOption.string("output", null,
      "directory for the result (calibration.json or bench-clusters.json)");
  public static final ConfigOption<String> MASTER = RunOptions.MASTER;

  public static final ConfigOption<Long> FACES = ConfigOption.positiveLong("faces", null,
      "number of synthetic faces");
  public static final ConfigOption<Double> ALPHA = ConfigOption.positiveDouble("identity-alpha", "2.0",
      "identity sizes follow P(n) ~ n^-alpha");
  public static final ConfigOption<Integer> MIN_IDENTITY = ConfigOption.positiveInt("identity-min", "10",
      "smallest identity (faces); 1 gives an LFW-like tail of people seen once");
  public static final ConfigOption<Integer> MAX_IDENTITY = ConfigOption.positiveInt("identity-max", "1000",
      "largest identity (faces)");
  public static final ConfigOption<Integer> SEED = ConfigOption.positiveInt("seed", "7", "generator seed");
  public static final ConfigOption<Integer> PARTITIONS = ConfigOption.positiveInt("partitions", "16",
      "partitions of the generated faces");
  public static final ConfigOption<Integer> RECALL_QUERIES = ConfigOption.nonNegativeInt("recall-queries", "2000",
      "faces whose approximate kNN is checked against exact search over the whole set (0 = skip)");
  public static final ConfigOption<Long> RECALL_SAMPLE = ConfigOption.nonNegativeLong("recall-sample", "50000",
      "also index a random sample of this many faces and measure recall@10 inside it (0 = skip)");

  public static final List<ConfigOption<?>> BENCH_CLUSTERS = RunOptions.concat(List.of(FACES, OUTPUT, ALPHA,
      MIN_IDENTITY, MAX_IDENTITY, SEED, PARTITIONS, RECALL_QUERIES, RECALL_SAMPLE, RunOptions.CLUSTER_THRESHOLD,
      RunOptions.CLUSTER_KNN, RunOptions.CLUSTER_MUTUAL, RunOptions.ONE_WAY_MARGIN, RunOptions.CLUSTER_MIN_SIZE, RunOptions.CLUSTER_MAX_SIZE,
      RunOptions.CLUSTER_INDEX, RunOptions.EXACT_LIMIT, RunOptions.IVF_CELL_SIZE, RunOptions.IVF_PROBES, RunOptions.IVF_TRAIN_SAMPLE,
      RunOptions.CLUSTER_MAX_ITER, RunOptions.CLUSTER_SEED, RunOptions.MODELS_DIR, RunOptions.EMBEDDER), List.of(MASTER));

  public static final List<ConfigOption<?>> CALIBRATE = List.of(FACES_OF, RUN_ID, OUTPUT, MASTER);
}
