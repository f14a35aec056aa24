package io.facecluster.pipeline;

import java.util.function.ObjLongConsumer;

/**
 * Times the stages of one image at a time. Every interval goes to the progress accumulators (which may count a
 * recomputed partition twice: they only drive progress lines) and to the current image's own times, which
 * travel as data in its images row (`stage_us`) and are what summary.json sums.
 */
final class ImageClock implements ObjLongConsumer<Stage> {
  private final StageMetrics progress;
  private long[] current = new long[Stage.values().length];

  ImageClock(StageMetrics progress) {
    this.progress = progress;
  }

  @Override
  public void accept(Stage stage, long nanos) {
    progress.add(stage, nanos);
    current[stage.ordinal()] += nanos;
  }

  /** Adds time to the current image only (session time the accumulators receive once per partition). */
  void addToImage(Stage stage, long nanos) {
    current[stage.ordinal()] += nanos;
  }

  /** The current image's nanoseconds per stage (indexed by ordinal); the clock starts the next image at zero. */
  long[] take() {
    long[] t = current;
    current = new long[Stage.values().length];
    return t;
  }
}
