package io.facecluster.pipeline;

import io.facecluster.config.ConfigException;
import io.facecluster.config.Mode;
import io.facecluster.config.PipelineConfig;
import io.facecluster.detect.DetectionDecoder;
import io.facecluster.io.HadoopConf;
import io.facecluster.io.InputFiles;
import io.facecluster.models.ModelFiles;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.ModelSpecs;
import io.facecluster.output.Schemas;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paths in, one {@link Schemas#IMAGE_RESULT} row per path out: the step every command shares (`run`,
 * `eval-lfw`, `eval-clusters`), so evaluation measures exactly what production runs. Specs and model files
 * are loaded and checked in the constructor, before Spark does any work.
 */
public final class FaceExtraction {
  private static final Logger LOG = LoggerFactory.getLogger(FaceExtraction.class);
  private final SparkSession spark;
  private final PipelineConfig config;
  private final FaceSelection selection;
  private final ModelSpec detector;
  private final ModelSpec landmarks;
  private final ModelSpec embedder;
  private final byte[] detectorBytes;
  private final byte[] landmarksBytes;
  private final byte[] embedderBytes;
  private final StageMetrics metrics;
  /** The person library's image hashes, broadcast once set; null: none known. */
  private Broadcast<KnownImages> known;

  public FaceExtraction(SparkSession spark, PipelineConfig config, FaceSelection selection) {
    this.spark = spark;
    this.config = config;
    this.selection = selection;
    boolean person = config.mode() == Mode.PERSON;
    HadoopModelStore store = new HadoopModelStore(spark.sparkContext().hadoopConfiguration());
    if (person && config.refineLandmarks()) {
      throw new ConfigException("--landmarks " + config.landmarks() + " refines face landmarks; --mode person has none");
    }
    this.detector = person ? null : ModelSpecs.load(config.detector(), config.modelsDir(), ModelSpec.DETECTOR,
        new ModelSpecs.Files(config.modelsPath(), config.detectorFile(), "--detector-file", store));
    this.landmarks = !config.refineLandmarks() ? null : ModelSpecs.load(config.landmarks(), config.modelsDir(),
        ModelSpec.LANDMARKS,
        new ModelSpecs.Files(config.modelsPath(), config.landmarksFile(), "--landmarks-file", store));
    this.embedder = ModelSpecs.load(config.embedder(), config.modelsDir(),
        person ? ModelSpec.PERSON_EMBEDDER : ModelSpec.FACE_EMBEDDER,
        new ModelSpecs.Files(config.modelsPath(), config.embedderFile(), "--embedder-file", store));
    if (detector != null) {
      DetectionDecoder.of(detector);
    }
    this.detectorBytes = detector == null ? null : ModelFiles.readVerified(detector, store);
    this.landmarksBytes = landmarks == null ? null : ModelFiles.readVerified(landmarks, store);
    this.embedderBytes = ModelFiles.readVerified(embedder, store);
    this.metrics = new StageMetrics(spark.sparkContext());
  }

  /** The detector's spec, or null in person mode. */
  public ModelSpec detector() {
    return detector;
  }

  /** The models of this run, for summary.json: detector (absent in person mode), landmarks when on, embedder. */
  public java.util.Map<String, Object> describeModels() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("mode", config.mode().name().toLowerCase(java.util.Locale.ROOT));
    if (detector != null) {
      m.put("detector", detector.describe());
    }
    if (landmarks != null) {
      m.put("landmarks", landmarks.describe());
    }
    m.put("embedder", embedder.describe());
    return m;
  }

  /**
   * This pipeline's models in the calling JVM, from the bytes already read and verified here, on the JVM-wide
   * sessions that the local tasks share (the speed benchmark's bare loop runs them).
   */
  public FaceModels localModels(int threads) {
    ModelSet set = new ModelSet(detector, detector == null ? null : () -> detectorBytes, landmarks,
        landmarks == null ? null : () -> landmarksBytes, embedder, () -> embedderBytes);
    return FaceModels.create(set, PipelineSettings.of(config, selection), threads, () -> {});
  }

  /** The landmark refiner's spec, or null when it is off. */
  public ModelSpec landmarks() {
    return landmarks;
  }

  /** sha256 of the embedder's file as loaded (also for a user's file whose spec names none). */
  public String embedderSha256() {
    return io.facecluster.models.ModelFiles.sha256(embedderBytes);
  }

  public ModelSpec embedder() {
    return embedder;
  }

  public StageMetrics metrics() {
    return metrics;
  }

  /**
   * The images the person library holds, by content: files whose sha256 is among them come out `known`,
   * read and hashed but neither decoded nor given to a model. `sha256Hex`: one string column of lower-case hex
   * sha256 (distinct or not; nulls ignored), collected here as 8 bytes a hash and broadcast; null clears it.
   * Applies to the datasets {@link #apply} returns from now on.
   */
  public FaceExtraction knownImages(Dataset<Row> sha256Hex) {
    if (sha256Hex == null) {
      known = null;
      return this;
    }
    KnownImages set = KnownImages.of(sha256Hex);
    LOG.info("known images: {} content hashes of the person library", set.size());
    known = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(set);
    return this;
  }

  /** Lazy: partitions `paths` (one column "path", `count` rows) by count and runs the pipeline on them. */
  public Dataset<Row> apply(Dataset<Row> paths, long count) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ModelSet models = new ModelSet(detector,
        detector == null ? null : new BroadcastBytes(jsc.broadcast(detectorBytes)), landmarks,
        landmarks == null ? null : new BroadcastBytes(jsc.broadcast(landmarksBytes)), embedder,
        new BroadcastBytes(jsc.broadcast(embedderBytes)));
    FacePipeline pipeline = new FacePipeline(models, jsc.broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration())),
        PipelineSettings.of(config, selection), metrics, known);
    return InputFiles.partitionByCount(paths, count, config.imagesPerPartition())
        .mapPartitions(pipeline, Encoders.row(Schemas.IMAGE_RESULT));
  }
}
