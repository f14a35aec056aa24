package io.facecluster.pipeline;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's progress log of a long job: one INFO line per interval naming the stage the driver is in, and
 * one line when each stage ends, so every stage shows its final counts whatever the interval. For example:
 *
 * <pre>
 * run 2024-03-05: extract 1:02 | 1200/35000 images (3.4 %), 1433 faces, 19.4 images/s, ETA 29:53
 *     | Spark tasks 18/547 (1 stage) | task time read 3.1 s, decode 40.2 s, detect 130.5 s, align 2.0 s, ...
 * run 2024-03-05: extract done in 30:11 | 35000/35000 images (100.0 %), 41230 faces, 19.3 images/s | ...
 * run 2024-03-05: cluster 0:40 | 35000/35000 images, 41230 faces | Spark tasks 120/400 (2 stages)
 * </pre>
 *
 * Images (decoded or not: every file counts) and faces (embedded) come from the pipeline's accumulators, which
 * reach the driver as tasks end, so they move per finished partition; the rate and ETA are over the current
 * stage. Later stages (write, cluster) have no image counter of their own: Spark's task counts of the active
 * stages show that they move.
 */
public final class ProgressLogger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLogger.class);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "facecluster-progress");
    t.setDaemon(true);
    return t;
  });
  private final JavaSparkStatusTracker tracker;
  private final String what;
  private final StageMetrics metrics;
  private final long total;
  private String stage;
  private long stageStart;
  private long imagesAtStart;

  /** Starts the timer; nothing is logged until {@link #stage} names the first stage. */
  public ProgressLogger(SparkContext sc, String what, StageMetrics metrics, long total, double intervalSeconds) {
    this.tracker = JavaSparkContext.fromSparkContext(sc).statusTracker();
    this.what = what;
    this.metrics = metrics;
    this.total = total;
    long millis = Math.max(1, Math.round(intervalSeconds * 1000));
    timer.scheduleAtFixedRate(this::tick, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Ends the current stage (logging its final line) and starts the next one, e.g. extract, write, cluster. */
  public synchronized void stage(String next) {
    endStage();
    stage = next;
    stageStart = System.nanoTime();
    imagesAtStart = metrics.images();
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    endStage();
  }

  private synchronized void tick() {
    if (stage != null) {
      LOG.info(line(false));
    }
  }

  private void endStage() {
    if (stage != null) {
      LOG.info(line(true));
      stage = null;
    }
  }

  private String line(boolean done) {
    double secs = (System.nanoTime() - stageStart) / 1e9;
    long images = metrics.images();
    StringJoiner parts = new StringJoiner(" | ", what + ": " + stage + (done ? " done in " : " ") + clock(secs)
        + " | ", "");
    long moved = images - imagesAtStart;
    if (moved > 0 || images < total) {
      // This stage processes images: progress, rate and what is left.
      double rate = moved / Math.max(secs, 1e-9);
      String line = String.format(Locale.ROOT, "%d/%d images (%.1f %%), %d faces, %.1f images/s", images, total,
          100.0 * images / Math.max(1, total), metrics.faces(), rate);
      if (!done) {
        line += ", ETA " + (moved == 0 ? "?" : clock((total - images) / rate));
      }
      parts.add(line);
    } else {
      parts.add(String.format(Locale.ROOT, "%d/%d images, %d faces", images, total, metrics.faces()));
    }
    if (!done) {
      parts.add(sparkTasks());
    }
    if (moved > 0) {
      parts.add("task time " + taskTime(metrics.millisByStage()));
    }
    return parts.toString();
  }

  /** Tasks done / all tasks of Spark's active stages: what moves while no image counter does. */
  private String sparkTasks() {
    int done = 0;
    int all = 0;
    int stages = 0;
    for (int id : tracker.getActiveStageIds()) {
      SparkStageInfo info = tracker.getStageInfo(id);
      if (info != null) {
        done += info.numCompletedTasks();
        all += info.numTasks();
        stages++;
      }
    }
    return stages == 0 ? "no Spark stage running" : String.format(Locale.ROOT, "Spark tasks %d/%d (%d stage%s)",
        done, all, stages, stages == 1 ? "" : "s");
  }

  /** Time summed over tasks per pipeline stage (read, decode, detect, align, embed): where the cores go. */
  static String taskTime(Map<String, Long> millis) {
    StringJoiner j = new StringJoiner(", ");
    millis.forEach((stage, ms) -> j.add(String.format(Locale.ROOT, "%s %.1f s", stage, ms / 1000.0)));
    return j.toString();
  }

  /** m:ss, or h:mm:ss from an hour on. */
  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
