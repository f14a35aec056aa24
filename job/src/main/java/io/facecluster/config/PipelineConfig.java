package io.facecluster.config;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The typed options of the pipeline and its models ({@link RunOptions#PIPELINE}), shared by `run` and the
 * evaluation commands so that evaluation runs exactly what production runs. Null score / NMS mean "the
 * detector spec's".
 */
public record PipelineConfig(
    Mode mode,
    int imagesPerPartition,
    long maxPixels,
    String modelsDir,
    List<String> modelsPath,
    String detector,
    String detectorFile,
    String landmarks,
    String landmarksFile,
    String embedder,
    String embedderFile,
    int detectLongSide,
    int detectSecondLongSide,
    Double detectScore,
    Double detectNms,
    int embedBatch,
    boolean flip,
    String master) implements Serializable {

  public static PipelineConfig from(ResolvedConfig c) {
    Mode mode = c.require(RunOptions.MODE);
    String embedder = c.get(RunOptions.EMBEDDER);
    return new PipelineConfig(mode, c.require(RunOptions.IMAGES_PER_PARTITION), c.require(RunOptions.MAX_PIXELS),
        c.require(RunOptions.MODELS_DIR), list(c.get(RunOptions.MODELS_PATH)), c.require(RunOptions.DETECTOR),
        c.get(RunOptions.DETECTOR_FILE), c.require(RunOptions.LANDMARKS), c.get(RunOptions.LANDMARKS_FILE),
        embedder != null ? embedder : mode.defaultEmbedder(), c.get(RunOptions.EMBEDDER_FILE),
        c.require(RunOptions.DETECT_LONG_SIDE), c.require(RunOptions.DETECT_SECOND_PASS),
        c.get(RunOptions.DETECT_SCORE), c.get(RunOptions.DETECT_NMS),
        c.require(RunOptions.EMBED_BATCH), c.require(RunOptions.EMBED_FLIP), c.get(RunOptions.MASTER));
  }

  /** A landmark refiner is configured (anything but "none"). */
  public boolean refineLandmarks() {
    return !"none".equals(landmarks);
  }

  /** A comma-separated option as a list (blanks dropped). */
  public static List<String> list(String commaSeparated) {
    if (commaSeparated == null) {
      return List.of();
    }
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }
}
