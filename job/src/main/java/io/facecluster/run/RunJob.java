package io.facecluster.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import io.facecluster.config.JobConfig;
import io.facecluster.io.InputFiles;
import io.facecluster.library.LibraryRun;
import io.facecluster.models.ModelSpec;
import io.facecluster.output.RunCounts;
import io.facecluster.output.RunSummary;
import io.facecluster.output.RunTables;
import io.facecluster.output.Schemas;
import io.facecluster.pipeline.FaceExtraction;
import io.facecluster.pipeline.FaceSelection;
import io.facecluster.pipeline.ProgressLogger;
import io.facecluster.pipeline.StageMetrics;
import io.facecluster.report.RunReport;
import java.time.Instant;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run: withdraw the run id's old commit marker, list inputs, run the per-partition pipeline once
 * (persisted), write images (then the error gate), faces, cluster, write clusters; then the summary from the
 * committed tables, the command's evaluation and report, and last the commit marker ({@link RunMarker}).
 */
public final class RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(RunJob.class);

  /** What a command adds to a run before it commits: `run` writes its report; eval-clusters scores first. */
  public interface Finish {
    RunSummary evaluate(RunSummary summary);

    /** Writes the run's report.html and returns its path. */
    String report(SparkSession spark, JobConfig config, RunSummary summary);
  }

  /** The plain `run`: no evaluation, the run report. */
  public static final Finish RUN = new Finish() {
    @Override
    public RunSummary evaluate(RunSummary summary) {
      return summary;
    }

    @Override
    public String report(SparkSession spark, JobConfig config, RunSummary summary) {
      return RunReport.run(spark, config, summary);
    }
  };

  /** A committed run: its summary, the marker's path and the report's. */
  public record Committed(RunSummary summary, String marker, String report) {}

  private final SparkSession spark;
  private final JobConfig config;
  private final FaceExtraction extraction;
  private final ClusterStep clustering;
  /** Test hook: runs once the tables are written, before the summary (a test corrupts the accumulators). */
  private Consumer<StageMetrics> beforeSummary = m -> {};

  /** Loads and checks the model specs and files first: bad configuration fails before Spark does any work. */
  public RunJob(SparkSession spark, JobConfig config, FaceSelection selection) {
    this.spark = spark;
    this.config = config;
    this.extraction = new FaceExtraction(spark, config.pipeline(), selection);
    this.clustering = new ClusterStep(config, extraction.embedder());
  }

  /**
   * The content hashes of the person library's images (one string column of hex sha256; null: none): those
   * files come out `known` without running a model ({@link FaceExtraction#knownImages}).
   */
  public RunJob knownImages(Dataset<Row> sha256Hex) {
    extraction.knownImages(sha256Hex);
    return this;
  }

  RunJob beforeSummary(Consumer<StageMetrics> hook) {
    this.beforeSummary = hook;
    return this;
  }

  public Committed run() {
    return run(RUN);
  }

  public Committed run(Finish finish) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    // The library's lock and recovery come before anything is written: a second writer stops here, untouched.
    LibraryRun library = config.library() == null ? null : LibraryRun.open(spark, config.library(),
        config.runId(), extraction.embedder().name(), extraction.embedderSha256(), config.libraryUnlock());
    try {
      // First: a rerun killed midway must not still be listed as committed by its predecessor's marker.
      RunMarker.withdraw(hadoop, config.output(), config.runId());
      return run(finish, hadoop, library);
    } finally {
      if (library != null) {
        library.close();
      }
    }
  }

  private Committed run(Finish finish, Configuration hadoop, LibraryRun library) {
    if (library != null) {
      extraction.knownImages(library.knownImages());
    }
    ChunkedExtraction chunked = new ChunkedExtraction(spark, config, extraction);
    chunked.prepare();
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    // Persisted: listed once, then counted and partitioned.
    Dataset<Row> paths = InputFiles.list(spark, config).persist(StorageLevel.MEMORY_AND_DISK());
    long files = paths.count();
    LOG.info("run {}: {} input files", config.runId(), files);
    long tList = System.nanoTime();

    ModelSpec embedder = extraction.embedder();
    Dataset<Row> results = null;
    int partitions;
    // The accumulators drive the progress lines only; summary.json reads the committed tables.
    try (ProgressLogger progress = new ProgressLogger(spark.sparkContext(), "run " + config.runId(),
        extraction.metrics(), files, config.progressIntervalSeconds())) {
      // Stages of the progress log: extract (the persisted pipeline runs while the images table is written),
      // write (faces table, from the cache), cluster (clustering and the clusters table), summary (counts).
      progress.stage("extract");
      // Chunk by chunk, each committed to the run's staging (--resume keeps them); then read back, no model runs.
      ChunkedExtraction.Result extracted = chunked.run(paths, files);
      partitions = extracted.partitions();
      results = extracted.rows().persist(StorageLevel.MEMORY_AND_DISK());
      RunTables.write(results.withColumn("run_id", lit(config.runId())), Schemas.IMAGES, config.output(), "images");
      QualityGates.checkErrors(config, RunCounts.ofImages(spark, config.output(), config.runId()));
      Dataset<Row> faces = results.filter(col("status").equalTo(Schemas.OK))
          .select(col("path"), explode(col("faces")).as("f"))
          .select(col("f.face_id").as("face_id"), col("path"), col("f.box").as("box"), col("f.score").as("score"),
              col("f.landmarks").as("landmarks"), col("f.embedding").as("embedding"),
              lit(embedder.name()).as("embedder"), QualityGates.faceGate(config).as("gate"),
              lit(config.runId()).as("run_id"));
      progress.stage("write");
      RunTables.write(faces, Schemas.FACES, config.output(), "faces");
      long tPipeline = System.nanoTime();

      progress.stage("cluster");
      // Gated faces (too small, low score) keep their rows but take the noise label instead of a cluster.
      Dataset<Row> clusters = clustering.run(faces.filter(col("gate").isNull()))
          .unionByName(faces.filter(col("gate").isNotNull()).select(col("face_id"), lit(-1L).as("cluster_id")))
          .withColumn("run_id", lit(config.runId()));
      if (library != null) {
        // From the committed tables of this run, as every later step: what the library takes is what was written.
        progress.stage("library");
        Dataset<Row> personOf = library.update(RunTables.read(spark, config.output(), "images", config.runId()),
            RunTables.read(spark, config.output(), "faces", config.runId()), clustering.libraryParams());
        clusters = clusters.join(personOf, "face_id", "left");
      } else {
        clusters = clusters.withColumn("person_id", lit(null).cast("string"));
      }
      RunTables.write(clusters, Schemas.CLUSTERS, config.output(), "clusters");
      if (library != null) {
        // The library commits before the run's marker: a run killed in between is redone whole by its rerun.
        library.commit();
      }
      long tCluster = System.nanoTime();
      progress.stage("summary");
      beforeSummary.accept(extraction.metrics());

      RunCounts counts = RunCounts.of(spark, config.output(), config.runId());
      TaskTotals tasks = TaskTotals.read(spark, config.output(), config.runId());
      RunSummary summary = new RunSummary(config.runId(), config.input(), config.output(), started.toString(),
          Instant.now().toString(), counts,
          new RunSummary.Timings(ms(tList - t0), ms(tPipeline - tList), ms(tCluster - tPipeline),
              ms(System.nanoTime() - t0), tasks.millisByStage()),
          extraction.describeModels(), clustering.describe(),
          new RunSummary.SparkInfo(spark.sparkContext().master(), partitions, tasks.sessions()),
          new TreeMap<>(config.raw()), null, null, null, null);
      if (library != null) {
        summary = summary.withLibrary(library.committedRow());
      }
      summary = finish.evaluate(summary);
      String report = finish.report(spark, config, summary);
      Committed committed = new Committed(summary, RunMarker.commit(hadoop, summary), report);
      chunked.cleanUp();
      return committed;
    } finally {
      if (results != null) {
        results.unpersist();
      }
      paths.unpersist();
      // The input rows are read from the listing's staging file: only now is it no longer needed.
      InputFiles.removeStaging(spark.sparkContext().hadoopConfiguration(), config);
    }
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
