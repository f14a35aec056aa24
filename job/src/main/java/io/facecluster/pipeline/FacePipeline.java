package io.facecluster.pipeline;

import io.facecluster.align.FaceAligner;
import io.facecluster.detect.FaceDetector;
import io.facecluster.embed.FaceEmbedder;
import io.facecluster.image.ImageDecoder;
import io.facecluster.io.HadoopConf;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.OrtSessions;
import io.facecluster.models.OrtSessions.ModelBytes;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * The per-partition function: paths in, one result row per path out (schema {@code Schemas.IMAGE_RESULT}).
 * Model sessions come from the JVM-wide {@link OrtSessions} cache, with intra-op threads = spark.task.cpus;
 * everything else built here is a light wrapper. Rows stream through: at most one embedder batch of images
 * is held in memory.
 */
public final class FacePipeline implements MapPartitionsFunction<Row, Row> {
  private final ModelSpec detectorSpec;
  private final ModelSpec embedderSpec;
  private final ModelBytes detectorBytes;
  private final ModelBytes embedderBytes;
  private final Broadcast<HadoopConf> hadoopConf;
  private final PipelineSettings settings;
  private final StageMetrics metrics;

  public FacePipeline(ModelSpec detectorSpec, ModelBytes detectorBytes, ModelSpec embedderSpec,
      ModelBytes embedderBytes, Broadcast<HadoopConf> hadoopConf, PipelineSettings settings, StageMetrics metrics) {
    this.detectorSpec = detectorSpec;
    this.embedderSpec = embedderSpec;
    this.detectorBytes = detectorBytes;
    this.embedderBytes = embedderBytes;
    this.hadoopConf = hadoopConf;
    this.settings = settings;
    this.metrics = metrics;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> paths) {
    TaskContext task = TaskContext.get();
    int threads = task == null ? 1 : Math.max(1, task.cpus());
    Runnable created = () -> metrics.sessionsCreated(1);
    FaceDetector detector = new FaceDetector(detectorSpec,
        OrtSessions.get(detectorSpec, detectorBytes, threads, created), settings.detectLongSide(),
        settings.detectScore(), settings.detectNms());
    FaceEmbedder embedder = new FaceEmbedder(embedderSpec,
        OrtSessions.get(embedderSpec, embedderBytes, threads, created), settings.embedBatch());
    ModelSpec.Input in = embedderSpec.input();
    FaceAligner aligner = new FaceAligner(embedderSpec.alignment().template(), in.width(), in.height());
    ImageProcessor processor = new ImageProcessor(new ImageDecoder(settings.maxPixels()), detector, aligner,
        metrics::add);
    return new BatchingIterator(paths, hadoopConf.value().get(), processor, embedder, metrics);
  }
}
