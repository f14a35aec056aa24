package io.facecluster.config;

import java.io.Serializable;

/**
 * The typed options of the pipeline and its models ({@link RunOptions#PIPELINE}), shared by `run` and the
 * evaluation commands so that evaluation runs exactly what production runs. Null score / NMS mean "the
 * detector spec's".
 */
public record PipelineConfig(
    int imagesPerPartition,
    long maxPixels,
    String modelsDir,
    String detector,
    String embedder,
    int detectLongSide,
    Double detectScore,
    Double detectNms,
    int embedBatch,
    boolean flip,
    String master) implements Serializable {

  public static PipelineConfig from(ResolvedConfig c) {
    return new PipelineConfig(c.require(RunOptions.IMAGES_PER_PARTITION), c.require(RunOptions.MAX_PIXELS),
        c.require(RunOptions.MODELS_DIR), c.require(RunOptions.DETECTOR), c.require(RunOptions.EMBEDDER),
        c.require(RunOptions.DETECT_LONG_SIDE), c.get(RunOptions.DETECT_SCORE), c.get(RunOptions.DETECT_NMS),
        c.require(RunOptions.EMBED_BATCH), c.require(RunOptions.EMBED_FLIP), c.get(RunOptions.MASTER));
  }
}
