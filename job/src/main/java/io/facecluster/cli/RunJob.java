package io.facecluster.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.facecluster.cluster.GraphClustering;
import io.facecluster.cluster.KMeansClustering;
import io.facecluster.cluster.ThresholdClustering;
import io.facecluster.config.ClusterMethod;
import io.facecluster.config.ConfigException;
import io.facecluster.config.JobConfig;
import io.facecluster.io.InputFiles;
import io.facecluster.models.ModelSpec;
import io.facecluster.output.RunTables;
import io.facecluster.output.Schemas;
import io.facecluster.output.SummaryWriter;
import io.facecluster.pipeline.FaceExtraction;
import io.facecluster.pipeline.FaceSelection;
import io.facecluster.pipeline.ProgressLogger;
import io.facecluster.pipeline.StageMetrics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The `run` command: list inputs, run the per-partition pipeline once (persisted), write images and faces,
 * cluster, write clusters and summary.json. Returns the summary.
 */
public final class RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(RunJob.class);

  private final SparkSession spark;
  private final JobConfig config;
  private final FaceExtraction extraction;

  /** Loads and checks the model specs and files first: bad configuration fails before Spark does any work. */
  public RunJob(SparkSession spark, JobConfig config, FaceSelection selection) {
    this.spark = spark;
    this.config = config;
    this.extraction = new FaceExtraction(spark, config.pipeline(), selection);
    if (config.clusterThreshold() == null && config.cluster() != ClusterMethod.KMEANS
        && config.cluster() != ClusterMethod.BISECTING && specThreshold() == null) {
      throw new ConfigException("--cluster " + config.cluster().name().toLowerCase(java.util.Locale.ROOT)
          + " needs a cosine threshold, and the embedder spec '" + extraction.embedder().name() + "' gives no embedding."
          + (config.cluster() == ClusterMethod.GRAPH ? "clusterThreshold" : "threshold")
          + ": set --cluster-threshold (or calibrate the spec: `submit.sh calibrate`, docs/accuracy.md)");
    }
  }

  private Double specThreshold() {
    ModelSpec.Embedding e = extraction.embedder().embedding();
    return config.cluster() == ClusterMethod.GRAPH ? e.clusterThreshold() : e.threshold();

  }

  public Map<String, Object> run() {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    // Persisted: listed once, then counted and partitioned.
    Dataset<Row> paths = InputFiles.list(spark, config).persist(StorageLevel.MEMORY_AND_DISK());
    long files = paths.count();
    LOG.info("run {}: {} input files", config.runId(), files);
    long tList = System.nanoTime();

    StageMetrics metrics = extraction.metrics();
    ModelSpec embedder = extraction.embedder();
    Dataset<Row> results = extraction.apply(paths, files).persist(StorageLevel.MEMORY_AND_DISK());
    try (ProgressLogger progress = new ProgressLogger(spark.sparkContext(), "run " + config.runId(), metrics, files,
        config.progressIntervalSeconds())) {
      // Stages of the progress log: extract (the persisted pipeline runs while the images table is written),
      // write (faces table, from the cache), cluster (clustering and the clusters table), summary (counts).
      progress.stage("extract");
      RunTables.write(results.withColumn("run_id", lit(config.runId())), Schemas.IMAGES, config.output(), "images");
      Dataset<Row> faces = results.filter(col("status").equalTo(Schemas.OK))
          .select(col("path"), explode(col("faces")).as("f"))
          .select(col("f.face_id").as("face_id"), col("path"), col("f.box").as("box"), col("f.score").as("score"),
              col("f.landmarks").as("landmarks"), col("f.embedding").as("embedding"),
              lit(embedder.name()).as("embedder"), gate().as("gate"), lit(config.runId()).as("run_id"));
      progress.stage("write");
      RunTables.write(faces, Schemas.FACES, config.output(), "faces");
      long tPipeline = System.nanoTime();

      progress.stage("cluster");
      // Gated faces (too small, low score) keep their rows but take the noise label instead of a cluster.
      Dataset<Row> clusters = cluster(faces.filter(col("gate").isNull()))
          .unionByName(faces.filter(col("gate").isNotNull()).select(col("face_id"), lit(-1L).as("cluster_id")))
          .withColumn("run_id", lit(config.runId()));
      RunTables.write(clusters, Schemas.CLUSTERS, config.output(), "clusters");
      long tCluster = System.nanoTime();
      progress.stage("summary");

      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("run_id", config.runId());
      summary.put("input", config.input());
      summary.put("output", config.output());
      summary.put("started_at", started.toString());
      summary.put("finished_at", Instant.now().toString());
      summary.put("counts", RunCounts.of(spark, results, config));
      Map<String, Object> timings = new LinkedHashMap<>();
      timings.put("list", ms(tList - t0));
      timings.put("pipeline_and_write", ms(tPipeline - tList));
      timings.put("cluster", ms(tCluster - tPipeline));
      timings.put("total", ms(System.nanoTime() - t0));
      timings.put("task_time_by_stage", metrics.millisByStage());
      summary.put("timings_ms", timings);
      summary.put("models", extraction.describeModels());
      summary.put("cluster", clusterSettings());
      Map<String, Object> sparkInfo = new LinkedHashMap<>();
      sparkInfo.put("master", spark.sparkContext().master());
      sparkInfo.put("partitions", metrics.partitions());
      sparkInfo.put("model_sessions_created", metrics.sessionsCreated());
      summary.put("spark", sparkInfo);
      summary.put("config", new java.util.TreeMap<>(config.raw()));
      SummaryWriter.write(spark.sparkContext().hadoopConfiguration(), config.output(), summary);
      return summary;
    } finally {
      results.unpersist();
      paths.unpersist();
      // The input rows are read from the listing's staging file: only now is it no longer needed.
      InputFiles.removeStaging(spark.sparkContext().hadoopConfiguration(), config);
    }
  }

  private Map<String, Object> graphStats = Map.of();

  private Dataset<Row> cluster(Dataset<Row> faces) {
    ClusterMethod m = config.cluster();
    if (m == ClusterMethod.KMEANS || m == ClusterMethod.BISECTING) {
      return KMeansClustering.run(faces, m == ClusterMethod.BISECTING, config.k(), config.clusterMaxIter(),
          config.clusterSeed());
    }
    if (m == ClusterMethod.GRAPH) {
      GraphClustering.Result r = GraphClustering.run(faces, GraphSettings.params(config, clusterThreshold()));
      graphStats = r.stats();
      return r.clusters();
    }
    return ThresholdClustering.run(faces, clusterThreshold(), config.clusterMaxIter());
  }

  /** Why a face may not join a cluster, or null: the quality gates of cluster.min-face-size / min-score. */
  private Column gate() {
    Column shortSide = least(col("f.box").getItem(2).minus(col("f.box").getItem(0)),
        col("f.box").getItem(3).minus(col("f.box").getItem(1)));
    return when(shortSide.lt(config.minFaceSize()), lit("face smaller than " + config.minFaceSize() + " px"))
        .when(col("f.score").lt(config.minScore()), lit("detector score below " + config.minScore()));
  }

  private double clusterThreshold() {
    return config.clusterThreshold() != null ? config.clusterThreshold() : specThreshold();  }

  private Map<String, Object> clusterSettings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", config.cluster().label());
    m.put("min_face_size", config.minFaceSize());
    m.put("min_score", config.minScore());
    if (config.k() != null) {
      m.put("k", config.k());
    }
    if (config.cluster() == ClusterMethod.THRESHOLD || config.cluster() == ClusterMethod.GRAPH) {
      m.put("threshold", clusterThreshold());
    }
    if (config.cluster() == ClusterMethod.GRAPH) {
      m.putAll(GraphSettings.describe(config.graph()));
      m.put("stats", graphStats);
    }
    return m;
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
