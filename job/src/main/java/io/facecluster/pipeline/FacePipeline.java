package io.facecluster.pipeline;

import io.facecluster.image.ImageDecoder;
import io.facecluster.io.HadoopConf;
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
  private final ModelSet models;
  private final Broadcast<HadoopConf> hadoopConf;
  private final PipelineSettings settings;
  private final StageMetrics metrics;
  /** The person library's image hashes, or null: none known (a broadcast: one copy per executor JVM). */
  private final Broadcast<KnownImages> known;

  public FacePipeline(ModelSet models, Broadcast<HadoopConf> hadoopConf, PipelineSettings settings,
      StageMetrics metrics, Broadcast<KnownImages> known) {
    this.models = models;
    this.hadoopConf = hadoopConf;
    this.settings = settings;
    this.metrics = metrics;
    this.known = known;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> paths) {
    TaskContext task = TaskContext.get();
    int threads = task == null ? 1 : Math.max(1, task.cpus());
    FaceModels built = FaceModels.create(models, settings, threads, () -> metrics.sessionsCreated(1));
    if (task != null) {
      task.addTaskCompletionListener((TaskContext ctx) -> built.close());
    }
    ImageDecoder decoder = new ImageDecoder(settings.maxPixels());
    ImageClock clock = new ImageClock(metrics);
    FileProcessor processor = built.detector() == null
        ? new PersonCropProcessor(decoder, models.embedder().input().width(), models.embedder().input().height(),
            clock)
        : new ImageProcessor(decoder, built, settings.selection(), clock);
    return new BatchingIterator(paths, hadoopConf.value().get(), processor, built, metrics, clock,
        RunsOn.here(models), known == null ? null : known.value());
  }
}
