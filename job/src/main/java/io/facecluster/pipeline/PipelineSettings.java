package io.facecluster.pipeline;

import io.facecluster.config.PipelineConfig;
import java.io.Serializable;

/** The part of the config that executors need, kept small because it is shipped with every task. */
public record PipelineSettings(int detectLongSide, int detectSecondLongSide, Double detectScore, Double detectNms, int embedBatch,
    boolean flip, long maxPixels, FaceSelection selection) implements Serializable {

  public static PipelineSettings of(PipelineConfig c, FaceSelection selection) {
    return new PipelineSettings(c.detectLongSide(), c.detectSecondLongSide(), c.detectScore(), c.detectNms(), c.embedBatch(), c.flip(),
        c.maxPixels(), selection);
  }
}
