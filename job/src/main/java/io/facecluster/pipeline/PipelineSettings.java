package io.facecluster.pipeline;

import io.facecluster.config.JobConfig;
import java.io.Serializable;

/** The part of the config that executors need, kept small because it is shipped with every task. */
public record PipelineSettings(int detectLongSide, Double detectScore, Double detectNms, int embedBatch,
    long maxPixels) implements Serializable {

  public static PipelineSettings of(JobConfig c) {
    return new PipelineSettings(c.detectLongSide(), c.detectScore(), c.detectNms(), c.embedBatch(), c.maxPixels());
  }
}
