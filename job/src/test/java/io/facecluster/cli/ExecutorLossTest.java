package io.facecluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor JVM killed with SIGKILL (`kill -9`) on the standalone cluster (a master and two workers of 1 core,
 * each its own JVM on 127.0.0.1): once while the executor is inside an extraction task (both of its ONNX sessions
 * created, the driver not yet past extraction) and once inside a task of the cluster stage. Each run goes
 * through `submit.sh run --spark-master spark://...` on the sample, 2 images per partition (11 tasks), and must
 * exit 0 with exactly the rows of an undisturbed local-mode run of the same input ("calm", in this JVM): same
 * images rows, faces with embeddings within 1e-5 (other JVMs, other ONNX thread counts), the same cluster ids,
 * no face_id twice. The driver's own log must show the executor lost inside the stage the kill aimed at, so the
 * test cannot pass with a kill that came too early, too late or not at all.
 */
class ExecutorLossTest extends SparkTestBase {
  private static final String EMBEDDER_SESSION =
      "ONNX Runtime session for model 'face-reidentification-retail-0095' created";
  @TempDir
  static Path tmp;
  static StandaloneCluster cluster;
  static ClusterExecutors executors;
  static Path calmOut;
  static Killed extracting;
  static Killed clustering;

  /** A run with a killed executor: its output, driver log, the executor killed and whether it was alive then. */
  record Killed(String runId, Path output, String log, String executorId, boolean aliveAtKill, boolean deadAfter) {}

  @BeforeAll
  static void runCalmThenKillAnExecutorTwice() throws Exception {
    JobJar.current();
    calmOut = tmp.resolve("out-calm");
    JobRunner.run(TestData.sample().toString(), calmOut.toString(), "--run-id", "calm",
        "--input-images-per-partition", "2");
    cluster = StandaloneCluster.start(tmp.resolve("cluster"),
        TestData.root().resolve("job/target/spark-classpath.txt"), 2);
    executors = new ClusterExecutors(cluster);
    // (a) An executor that has created its embedder session is inside its first extraction task.
    extracting = submitAndKill("kill-extract", (appId, log) -> log.contains(": extract done in") ? Optional.empty()
        : executors.of(appId).stream().filter(id -> executors.log(appId, id).contains(EMBEDDER_SESSION)).findFirst());
    // (b) The faces table is written: the driver is in the cluster stage (kNN search, components, clusters);
    // the executor killed is one with a task of that stage running.
    clustering = submitAndKill("kill-cluster", (appId, log) -> log.contains("kill-cluster: write done in")
        ? executors.of(appId).stream().filter(id -> ClusterExecutors.runsATask(executors.log(appId, id))).findFirst()
        : Optional.empty());
    for (Killed k : List.of(extracting, clustering)) {
      printLoss(k);
    }
  }

  /** What the driver saw of the loss, for docs/reliability.md: its stage lines and Spark's lost / resubmitted. */
  private static void printLoss(Killed k) {
    System.out.printf("%s: executor %s killed; driver log:%n", k.runId(), k.executorId());
    k.log().lines().filter(l -> l.contains(" done in ") || l.contains("Lost executor") || l.contains("Lost task")
        || l.contains("FetchFailed") || l.contains("esubmit") || l.contains("removed"))
        .forEach(l -> System.out.println("  " + (l.length() > 300 ? l.substring(0, 300) + " ..." : l)));
  }

  @AfterAll
  static void stopTheCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** `submit.sh run` on the cluster; SIGKILL to one executor JVM when the trigger names it; waits for the exit. */
  static Killed submitAndKill(String runId, ClusterExecutors.Trigger trigger) throws Exception {
    Path output = tmp.resolve("out-" + runId);
    Path log = tmp.resolve("submit-" + runId + ".log");
    List<String> cmd = List.of(TestData.root().resolve("submit.sh").toString(), "run", "--input",
        TestData.sample().toString(), "--output", output.toString(), "--run-id", runId, "--models-dir",
        TestData.modelsDir(), "--input-images-per-partition", "2", "--progress-interval-seconds", "1",
        "--spark-master", cluster.masterUrl());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("FACECLUSTER_EMBEDDED", "1");
    // Both executors registered before the first task, so that both are busy when one is killed.
    pb.environment().put("FACECLUSTER_JAVA_OPTS", "-Xmx2g -Dspark.scheduler.minRegisteredResourcesRatio=1.0 "
        + "-Dspark.scheduler.maxRegisteredResourcesWaitingTime=120s");
    Process p = pb.start();
    ClusterExecutors.Kill kill = executors.watch(p, "facecluster run " + runId, log, trigger,
        Duration.ofSeconds(480));
    String text = Files.readString(log);
    assertThat(kill.executorId()).as("an executor was killed during run %s; driver log:%n%s", runId, text)
        .isNotNull();
    assertThat(p.exitValue()).as("exit code of submit.sh run --run-id %s; output:%n%s", runId, text).isZero();
    return new Killed(runId, output, text, kill.executorId(), kill.aliveAtKill(), kill.deadAfter());
  }

  /** Where in the driver's log a line of the run's progress (or Spark's) first appears; fails when absent. */
  private static int at(Killed k, String text) {
    int i = k.log().indexOf(text);
    assertThat(i).as("'%s' in the driver log of %s:%n%s", text, k.runId(), k.log()).isNotNegative();
    return i;
  }

  @Test
  void theExecutorWasAliveAtTheKillAndLostDuringExtraction() {
    assertThat(extracting.aliveAtKill()).as("executor JVM alive when killed").isTrue();
    assertThat(extracting.deadAfter()).as("executor JVM gone after SIGKILL").isTrue();
    int lost = at(extracting, "Lost executor " + extracting.executorId() + " on");
    assertThat(lost).as("executor lost after extraction began").isGreaterThan(at(extracting, "22 input files"));
    assertThat(lost).as("executor lost before extraction ended")
        .isLessThan(at(extracting, "kill-extract: extract done in"));
    // The executor was inside a task: Spark records that task as lost with it and runs it again elsewhere.
    assertThat(at(extracting, "ExecutorLostFailure (executor " + extracting.executorId() + " exited"))
        .as("a running task lost with the executor, during extraction")
        .isLessThan(at(extracting, "kill-extract: extract done in"));
  }

  @Test
  void theExecutorWasAliveAtTheKillAndLostDuringClustering() {
    assertThat(clustering.aliveAtKill()).as("executor JVM alive when killed").isTrue();
    assertThat(clustering.deadAfter()).as("executor JVM gone after SIGKILL").isTrue();
    int lost = at(clustering, "Lost executor " + clustering.executorId() + " on");
    assertThat(lost).as("executor lost after the cluster stage began")
        .isGreaterThan(at(clustering, "kill-cluster: write done in"));
    assertThat(lost).as("executor lost before the cluster stage ended")
        .isLessThan(at(clustering, "kill-cluster: cluster done in"));
    int taskLost = at(clustering, "ExecutorLostFailure (executor " + clustering.executorId() + " exited");
    assertThat(taskLost).as("a running task lost with the executor, in the cluster stage")
        .isGreaterThan(at(clustering, "kill-cluster: write done in"))
        .isLessThan(at(clustering, "kill-cluster: cluster done in"));
  }

  @Test
  void bothRunsWriteTheCalmRunsImagesRows() {
    String q = "SELECT path, status, reason, width, height, face_count FROM parquet.`%s/images` "
        + "WHERE run_id = '%s' ORDER BY path";
    List<Object[]> expected = sql(q, calmOut, "calm");
    assertThat(expected).as("images rows of the calm run").hasSize(22);
    for (Killed k : List.of(extracting, clustering)) {
      assertThat(sql(q, k.output(), k.runId())).as("images rows of %s vs calm", k.runId())
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void bothRunsFindTheCalmRunsFacesOnceEach() {
    String q = "SELECT face_id, path, box, score, landmarks, embedding, embedder, gate FROM parquet.`%s/faces` "
        + "WHERE run_id = '%s' ORDER BY face_id";
    List<Object[]> expected = sql(q, calmOut, "calm");
    assertThat(expected).as("faces of the calm run").hasSize(27);
    String twice = "SELECT count(*) - count(DISTINCT face_id) FROM parquet.`%s/%s` WHERE run_id = '%s'";
    for (Killed k : List.of(extracting, clustering)) {
      assertThat(sql(q, k.output(), k.runId())).as("faces of %s vs calm (floats within 1e-5)", k.runId())
          .usingElementComparator(rowsWithin(1e-5)).containsExactlyElementsOf(expected);
      for (String table : List.of("faces", "clusters")) {
        assertThat(sql(twice, k.output(), table, k.runId())).as("face_ids twice in %s of %s", table, k.runId())
            .containsExactly(row(0L));
      }
    }
  }

  @Test
  void bothRunsGiveTheCalmRunsClusterIds() {
    String q = "SELECT face_id, cluster_id FROM parquet.`%s/clusters` WHERE run_id = '%s' ORDER BY face_id";
    List<Object[]> expected = sql(q, calmOut, "calm");
    assertThat(expected).as("clusters rows of the calm run").hasSize(27);
    // The sample's known grouping (SampleRunTest): 5 clusters, 7 faces without one.
    assertThat(sql("SELECT count(DISTINCT cluster_id) FILTER (WHERE cluster_id >= 0), "
        + "count(*) FILTER (WHERE cluster_id < 0) FROM parquet.`%s/clusters` WHERE run_id = 'calm'", calmOut))
        .as("clusters, unclustered faces of the calm run").containsExactly(row(5L, 7L));
    for (Killed k : List.of(extracting, clustering)) {
      assertThat(sql(q, k.output(), k.runId())).as("(face_id, cluster_id) of %s vs calm", k.runId())
          .containsExactlyElementsOf(expected);
    }
  }
}
