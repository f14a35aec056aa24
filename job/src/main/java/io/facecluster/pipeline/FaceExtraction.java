package io.facecluster.pipeline;

import io.facecluster.config.PipelineConfig;
import io.facecluster.detect.DetectionDecoder;
import io.facecluster.io.HadoopConf;
import io.facecluster.io.InputFiles;
import io.facecluster.models.ModelFiles;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.ModelSpecs;
import io.facecluster.output.Schemas;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Paths in, one {@link Schemas#IMAGE_RESULT} row per path out: the step every command shares (`run`,
 * `eval-lfw`, `eval-clusters`), so evaluation measures exactly what production runs. Specs and model files
 * are loaded and checked in the constructor, before Spark does any work.
 */
public final class FaceExtraction {
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

  public FaceExtraction(SparkSession spark, PipelineConfig config, FaceSelection selection) {
    this.spark = spark;
    this.config = config;
    this.selection = selection;
    this.detector = ModelSpecs.load(config.detector(), config.modelsDir(), ModelSpec.DETECTOR,
        new ModelSpecs.Files(config.modelsPath(), config.detectorFile(), "--detector-file"));
    this.landmarks = !config.refineLandmarks() ? null : ModelSpecs.load(config.landmarks(), config.modelsDir(),
        ModelSpec.LANDMARKS, new ModelSpecs.Files(config.modelsPath(), config.landmarksFile(), "--landmarks-file"));
    this.embedder = ModelSpecs.load(config.embedder(), config.modelsDir(), ModelSpec.FACE_EMBEDDER,
        new ModelSpecs.Files(config.modelsPath(), config.embedderFile(), "--embedder-file"));
    DetectionDecoder.of(detector);
    this.detectorBytes = ModelFiles.readVerified(detector);
    this.landmarksBytes = landmarks == null ? null : ModelFiles.readVerified(landmarks);
    this.embedderBytes = ModelFiles.readVerified(embedder);
    this.metrics = new StageMetrics(spark.sparkContext());
  }

  public ModelSpec detector() {
    return detector;
  }

  /** The landmark refiner's spec, or null when it is off. */
  public ModelSpec landmarks() {
    return landmarks;
  }

  public ModelSpec embedder() {
    return embedder;
  }

  public StageMetrics metrics() {
    return metrics;
  }

  /** Lazy: partitions `paths` (one column "path", `count` rows) by count and runs the pipeline on them. */
  public Dataset<Row> apply(Dataset<Row> paths, long count) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ModelSet models = new ModelSet(detector, new BroadcastBytes(jsc.broadcast(detectorBytes)), landmarks,
        landmarks == null ? null : new BroadcastBytes(jsc.broadcast(landmarksBytes)), embedder,
        new BroadcastBytes(jsc.broadcast(embedderBytes)));
    FacePipeline pipeline = new FacePipeline(models, jsc.broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration())),
        PipelineSettings.of(config, selection), metrics);
    return InputFiles.partitionByCount(paths, count, config.imagesPerPartition())
        .mapPartitions(pipeline, Encoders.row(Schemas.IMAGE_RESULT));
  }
}
