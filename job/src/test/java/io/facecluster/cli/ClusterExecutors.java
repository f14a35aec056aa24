package io.facecluster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The executor JVMs of an application on a {@link StandaloneCluster}, found the way an operator would: the
 * master's app list, the workers' CoarseGrainedExecutorBackend command lines and their stderr logs. Used to pick
 * an executor to SIGKILL at a chosen moment (ExecutorLossTest, the LfwSoak of bench/soak.sh).
 */
final class ClusterExecutors {
  private static final Pattern RUNNING = Pattern.compile("Running (task \\S+ in stage \\S+ \\(TID \\d+\\))");
  private final StandaloneCluster cluster;

  ClusterExecutors(StandaloneCluster cluster) {
    this.cluster = cluster;
  }

  /** Decides, from the app id and the driver's log so far, which executor to kill now (empty: not yet). */
  interface Trigger {
    Optional<String> executorToKill(String appId, String driverLog) throws IOException;
  }

  /** What {@link #watch} did: the executor killed (null: none), whether its JVM was alive then and gone after. */
  record Kill(String executorId, boolean aliveAtKill, boolean deadAfter) {}

  /**
   * Waits for `driver` (a `submit.sh run` whose app is named `appName`, logging to `log`) to exit, and SIGKILLs
   * the first executor JVM `trigger` names (one at most): no shutdown hook, no goodbye to the driver. Fails when
   * the driver is still running after `timeout`; the driver never outlives this call.
   */
  Kill watch(Process driver, String appName, Path log, Trigger trigger, Duration timeout) throws Exception {
    String killed = null;
    boolean alive = false;
    boolean dead = false;
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      String appId = null;
      while (driver.isAlive() && System.nanoTime() < deadline) {
        if (appId == null) {
          appId = appId(appName);
        }
        if (appId != null && killed == null) {
          Optional<String> id = trigger.executorToKill(appId, Files.readString(log));
          if (id.isPresent()) {
            ProcessHandle jvm = jvm(appId, id.get());
            killed = id.get();
            alive = jvm.isAlive();
            jvm.destroyForcibly();
            dead = jvm.onExit().get(30, TimeUnit.SECONDS) != null && !jvm.isAlive();
          }
        }
        driver.waitFor(100, TimeUnit.MILLISECONDS);
      }
      if (driver.isAlive()) {
        throw new AssertionError("'" + appName + "' did not finish in " + timeout + "; log " + log);
      }
    } finally {
      driver.destroyForcibly();
    }
    return new Kill(killed, alive, dead);
  }

  /** The app id the master gave the running app of that name, or null while it has not registered. */
  String appId(String name) throws IOException {
    for (JsonNode app : cluster.masterState().path("activeapps")) {
      if (app.path("name").asText().equals(name)) {
        return app.path("id").asText();
      }
    }
    return null;
  }

  /** Ids of the app's executor JVMs running now, in id order. */
  List<String> of(String appId) {
    return jvms(appId, a -> true).map(h -> argAfter(h, "--executor-id")).sorted().toList();
  }

  ProcessHandle jvm(String appId, String executorId) {
    return jvms(appId, h -> executorId.equals(argAfter(h, "--executor-id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no JVM of executor " + executorId + " of " + appId));
  }

  /** The workers' executor JVMs (CoarseGrainedExecutorBackend) of this app, found by their command line. */
  private static Stream<ProcessHandle> jvms(String appId, Predicate<ProcessHandle> which) {
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(h -> h.info().arguments().map(List::of).orElse(List.of())
            .contains("org.apache.spark.executor.CoarseGrainedExecutorBackend"))
        .filter(h -> appId.equals(argAfter(h, "--app-id"))).filter(which);
  }

  private static String argAfter(ProcessHandle h, String flag) {
    List<String> args = h.info().arguments().map(List::of).orElse(List.of());
    int i = args.indexOf(flag);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
  }

  /** The executor's stderr in its worker's work dir ({@code <app id>/<executor id>/stderr}); "" if none yet. */
  String log(String appId, String executorId) {
    for (Path work : cluster.workDirs()) {
      Path f = work.resolve(appId).resolve(executorId).resolve("stderr");
      if (Files.exists(f)) {
        try {
          return Files.readString(f);
        } catch (IOException e) {
          return "";
        }
      }
    }
    return "";
  }

  /** Whether an executor's log has a task it started ("Running task ... (TID n)") and has not ended. */
  static boolean runsATask(String executorLog) {
    Matcher m = RUNNING.matcher(executorLog);
    while (m.find()) {
      String task = m.group(1);
      if (!executorLog.contains("Finished " + task) && !executorLog.contains("Exception in " + task)
          && !executorLog.contains("killed " + task)) {
        return true;
      }
    }
    return false;
  }
}
