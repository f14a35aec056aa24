package io.facecluster.pipeline;

import io.facecluster.align.FaceAligner;
import io.facecluster.detect.FaceDetector;
import io.facecluster.embed.FaceEmbedder;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.OrtSessions;
import io.facecluster.models.OrtSessions.ModelBytes;

/**
 * The detector, aligner and embedder of one task, built on the JVM-wide sessions. The same construction
 * serves the Spark partitions, the evaluation commands and the tests, so all of them run one code path.
 */
public record FaceModels(FaceDetector detector, FaceAligner aligner, FaceEmbedder embedder) {

  public static FaceModels create(ModelSpec detectorSpec, ModelBytes detectorBytes, ModelSpec embedderSpec,
      ModelBytes embedderBytes, PipelineSettings settings, int threads, Runnable onSessionCreated) {
    FaceDetector detector = new FaceDetector(detectorSpec,
        OrtSessions.get(detectorSpec, detectorBytes, threads, onSessionCreated), settings.detectLongSide(),
        settings.detectScore(), settings.detectNms());
    FaceEmbedder embedder = new FaceEmbedder(embedderSpec,
        OrtSessions.get(embedderSpec, embedderBytes, threads, onSessionCreated), settings.embedBatch());
    ModelSpec.Input in = embedderSpec.input();
    FaceAligner aligner = new FaceAligner(embedderSpec.alignment().template(), in.width(), in.height());
    return new FaceModels(detector, aligner, embedder);
  }
}
