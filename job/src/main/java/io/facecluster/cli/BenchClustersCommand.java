package io.facecluster.cli;

import io.facecluster.cluster.FaceVector;
import io.facecluster.cluster.GraphClustering;
import io.facecluster.cluster.IvfKnn;
import io.facecluster.cluster.KnnSearch;
import io.facecluster.cluster.Neighbours;
import io.facecluster.config.ArgParser;
import io.facecluster.config.BenchOptions;
import io.facecluster.config.GraphConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.eval.ClusteringMetrics;
import io.facecluster.eval.DistributedClusteringMetrics;
import io.facecluster.eval.SyntheticFaces;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.ModelSpecs;
import io.facecluster.output.SummaryWriter;
import io.facecluster.run.GraphSettings;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * `bench-clusters`: synthetic faces shaped like MobileFaceNet PaddleX on LFW ({@link SyntheticFaces}), clustered
 * by the job's graph method (same classes, same defaults), with the wall time of each stage, kNN recall@10
 * against exact search, peak memory and the clustering metrics (computed by Spark). Writes
 * `<output>/bench-clusters.json`.
 */
final class BenchClustersCommand {
  static final String USAGE = "usage: submit.sh bench-clusters --faces N --output <dir> [options]";

  private BenchClustersCommand() {}

  static int execute(String[] args, PrintStream out) {
    ArgParser.Parsed parsed = ArgParser.parse("bench-clusters", BenchOptions.BENCH_CLUSTERS, args);
    if (parsed.help()) {
      out.print(ArgParser.help(USAGE, BenchOptions.BENCH_CLUSTERS));
      return 0;
    }
    ResolvedConfig c = ResolvedConfig.resolve(BenchOptions.BENCH_CLUSTERS, parsed.values(), parsed.confFile());
    long n = c.require(BenchOptions.FACES);
    String output = c.require(BenchOptions.OUTPUT);
    GraphConfig graph = GraphConfig.from(c);
    // The generator is fitted to MobileFaceNet PaddleX on LFW, so its threshold is the default here.
    ModelSpec embedder = ModelSpecs.load(
        c.get(RunOptions.EMBEDDER) != null ? c.get(RunOptions.EMBEDDER) : "mobilefacenet-paddlex", c.require(RunOptions.MODELS_DIR),
        ModelSpec.FACE_EMBEDDER);
    Double t = c.get(RunOptions.CLUSTER_THRESHOLD);
    double threshold = t != null ? t : embedder.embedding().clusterThreshold();
    int seed = c.require(BenchOptions.SEED);
    GraphClustering.Params params = GraphSettings.params(graph, c.require(RunOptions.CLUSTER_MAX_ITER),
        c.require(RunOptions.CLUSTER_SEED), threshold);

    SparkSession spark = RunCommand.session("facecluster bench-clusters", c.get(RunOptions.MASTER));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<String, Object> result = new LinkedHashMap<>();
    Map<String, Object> times = new LinkedHashMap<>();
    Map<String, Object> stats = new LinkedHashMap<>();
    Stopwatch sw = new Stopwatch();

    int[] sizes = SyntheticFaces.identitySizes(n, c.require(BenchOptions.ALPHA), c.require(BenchOptions.MIN_IDENTITY),
        c.require(BenchOptions.MAX_IDENTITY), seed);
    SyntheticFaces.Params shape = SyntheticFaces.Params.paddlexLfw();
    JavaRDD<FaceVector> faces = SyntheticFaces.generate(jsc, shape, sizes, seed, c.require(BenchOptions.PARTITIONS))
        .map(Tuple2::_1).persist(StorageLevel.MEMORY_AND_DISK_SER());
    faces.count();
    times.put("generate", sw.lap());

    KnnSearch.Result found = KnnSearch.search(faces, n, params.knn(), (float) threshold, params.search(), stats);
    IvfKnn.Index index = found.index();
    JavaPairRDD<Long, Neighbours> lists = found.lists();
    lists = lists.persist(StorageLevel.DISK_ONLY());
    stats.put("faces_with_neighbours", lists.count());
    // knn_search includes training the IVF cells (stats.ivf_train_ms).
    times.put("knn_search", sw.lap());
    JavaPairRDD<Long, Long> labels = GraphClustering.fromNeighbours(faces, lists, params, stats);
    labels.count();
    times.put("graph_components_split", sw.lap());
    // Clustering = everything after generating the faces: index training, kNN search, graph steps.
    long clusteringMs = times.values().stream().skip(1).mapToLong(v -> (Long) v).sum();

    Broadcast<long[]> offsets = jsc.broadcast(offsets(sizes));
    ClusteringMetrics m = DistributedClusteringMetrics.of(labels.mapToPair(v ->
        new Tuple2<>(v._2(), (long) identityOf(offsets.value(), v._1()))));
    times.put("metrics", sw.lap());

    int queries = c.require(BenchOptions.RECALL_QUERIES);
    if (queries > 0) {
      List<FaceVector> q = faces.takeSample(false, queries, seed);
      result.put("recall_full_set", Recall.measure(faces, q, index, params, lists));
      times.put("recall_full_set", sw.lap());
    }
    long sample = c.require(BenchOptions.RECALL_SAMPLE);
    if (sample > 0 && queries > 0) {
      double fraction = Math.min(1.0, (double) sample / n);
      JavaRDD<FaceVector> sub = faces.sample(false, fraction, seed).persist(StorageLevel.MEMORY_AND_DISK_SER());
      long subN = sub.count();
      IvfKnn.Index subIndex = IvfKnn.train(sub, subN, params.search().ivf());
      List<FaceVector> q = sub.takeSample(false, queries, seed);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("sample_faces", subN);
      r.put("ivf_cells", subIndex.cells());
      r.put("recall_at_10", Recall.recall(IvfKnn.topK(sub, q, null, 0, 10),
          IvfKnn.topK(sub, q, subIndex, params.search().ivf().probes(), 10)));
      result.put("recall_sample", r);
      sub.unpersist(false);
      times.put("recall_sample", sw.lap());
    }

    result.put("faces", n);
    result.put("identities", sizes.length);
    result.put("identity_sizes", Map.of("alpha", c.require(BenchOptions.ALPHA), "min", c.require(BenchOptions.MIN_IDENTITY),
        "max", c.require(BenchOptions.MAX_IDENTITY), "largest", Arrays.stream(sizes).max().orElse(0),
        "singletons", Arrays.stream(sizes).filter(s -> s == 1).count()));
    result.put("generator", shape.describe());
    result.put("threshold", threshold);
    result.put("graph", GraphSettings.describe(graph));
    result.put("stats", stats);
    result.put("clustering_ms", clusteringMs);
    result.put("timings_ms", times);
    result.put("metrics", m.asMap());
    result.put("memory", Stopwatch.memory());
    result.put("spark", Map.of("master", spark.sparkContext().master(),
        "default_parallelism", spark.sparkContext().defaultParallelism()));
    SummaryWriter.writeJson(spark.sparkContext().hadoopConfiguration(), output, "bench-clusters.json", result);
    out.println(SummaryWriter.toJson(result));
    return 0;
  }

  static long[] offsets(int[] sizes) {
    long[] o = new long[sizes.length];
    for (int i = 1; i < sizes.length; i++) {
      o[i] = o[i - 1] + sizes[i - 1];
    }
    return o;
  }

  /** The identity of a dense face id: the last offset <= id. */
  static int identityOf(long[] offsets, long id) {
    int i = Arrays.binarySearch(offsets, id);
    return i >= 0 ? i : -i - 2;
  }
}
