package io.facecluster.pipeline;

import io.facecluster.align.FaceAligner;
import io.facecluster.detect.FaceDetector;
import io.facecluster.detect.LandmarkRefiner;
import io.facecluster.embed.FaceEmbedder;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.OrtSessions;
import io.facecluster.models.OrtSessions.ModelBytes;

/**
 * The detector, aligner and embedder of one task (not shared between threads: they reuse their tensors),
 * built on the JVM-wide sessions. The same construction
 * serves the Spark partitions, the evaluation commands and the tests, so all of them run one code path.
 */
public record FaceModels(FaceDetector detector, FaceDetector fallbackDetector, LandmarkRefiner refiner,
    FaceAligner aligner, FaceEmbedder embedder) implements AutoCloseable {

  /** Frees the task's own buffers (the JVM-wide sessions stay open for the next task). */
  @Override
  public void close() {
    if (detector != null) {
      detector.close();
    }
    if (fallbackDetector != null) {
      fallbackDetector.close();
    }
    if (refiner != null) {
      refiner.close();
    }
    if (embedder != null) {
      embedder.close();
    }
  }

  public static FaceModels create(ModelSpec detectorSpec, ModelBytes detectorBytes, ModelSpec embedderSpec,
      ModelBytes embedderBytes, PipelineSettings settings, int threads, Runnable onSessionCreated) {
    return create(new ModelSet(detectorSpec, detectorBytes, null, null, embedderSpec, embedderBytes), settings,
        threads, onSessionCreated);
  }

  public static FaceModels create(ModelSet set, PipelineSettings settings, int threads, Runnable onSessionCreated) {
    ModelSpec detectorSpec = set.detector();
    ModelSpec embedderSpec = set.embedder();
    ModelBytes detectorBytes = set.detectorBytes();
    ModelBytes embedderBytes = set.embedderBytes();
    FaceEmbedder embedder = new FaceEmbedder(embedderSpec,
        OrtSessions.get(embedderSpec, embedderBytes, threads, onSessionCreated), settings.embedBatch(),
        settings.flip());
    if (detectorSpec == null) {
      // person mode: crops are embedded whole, nothing to detect or align
      return new FaceModels(null, null, null, null, embedder);
    }
    var detectorSession = OrtSessions.get(detectorSpec, detectorBytes, threads, onSessionCreated);
    FaceDetector detector = new FaceDetector(detectorSpec, detectorSession, settings.detectLongSide(),
        settings.detectSecondLongSide(), settings.detectScore(), settings.detectNms());
    FaceDetector fallback = settings.selection() == FaceSelection.CENTRE
        ? new FaceDetector(detectorSpec, detectorSession, settings.detectLongSide(), FaceSelection.FALLBACK_SCORE,
            settings.detectNms())
        : null;
    LandmarkRefiner refiner = set.landmarks() == null ? null : new LandmarkRefiner(set.landmarks(),
        OrtSessions.get(set.landmarks(), set.landmarksBytes(), threads, onSessionCreated));
    ModelSpec.Input in = embedderSpec.input();
    FaceAligner aligner = new FaceAligner(embedderSpec.alignment().template(), in.width(), in.height());
    return new FaceModels(detector, fallback, refiner, aligner, embedder);
  }
}
