package io.facecluster.pipeline;

import io.facecluster.image.ImageDecoder;
import io.facecluster.io.HadoopConf;
import io.facecluster.models.ModelSpec;
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
    FaceModels models = FaceModels.create(detectorSpec, detectorBytes, embedderSpec, embedderBytes, settings,
        threads, () -> metrics.sessionsCreated(1));
    ImageProcessor processor = new ImageProcessor(new ImageDecoder(settings.maxPixels()), models,
        settings.selection(), metrics::add);
    return new BatchingIterator(paths, hadoopConf.value().get(), processor, models.embedder(), metrics);
  }
}
