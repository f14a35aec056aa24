package io.facecluster.pipeline;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs pipeline progress at a steady interval while a long stage runs: images done (as tasks finish),
 * faces, rate and ETA. Accumulators reach the driver when tasks end, so progress moves per partition.
 */
public final class ProgressLogger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLogger.class);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "facecluster-progress");
    t.setDaemon(true);
    return t;
  });

  public ProgressLogger(String what, StageMetrics metrics, long total, long intervalSeconds) {
    long start = System.nanoTime();
    timer.scheduleAtFixedRate(() -> {
      long done = metrics.images();
      double secs = (System.nanoTime() - start) / 1e9;
      double rate = done / Math.max(secs, 1e-9);
      String eta = done == 0 ? "?" : String.format("%.0f s", (total - done) / Math.max(rate, 1e-9));
      LOG.info("{}: {}/{} images ({} %), {} faces, {} images/s, ETA {}", what, done, total,
          String.format("%.1f", 100.0 * done / Math.max(1, total)), metrics.faces(), String.format("%.1f", rate),
          eta);
    }, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
