package io.facecluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real Spark standalone cluster: a master and two workers (1 core each), each its own JVM on
 * 127.0.0.1, started from the Spark jars of the build. The shaded job jar goes through `submit.sh run
 * --spark-master spark://...`: the driver runs in submit.sh's JVM, the pipeline in the executor JVMs the
 * workers start, which get the job's classes only through spark.jars. The same input through submit.sh in
 * local mode must give the same images, faces and clusters (cluster ids up to renaming). Both wall times are
 * printed.
 */
class StandaloneClusterTest extends SparkTestBase {
  private static final String[] COUNTS = {"files", "ok", "no_face", "error", "faces", "clusters", "unclustered"};
  @TempDir
  static Path tmp;
  static StandaloneCluster cluster;
  static Submission standalone;
  static Submission local;

  record Submission(String runId, String output, double seconds, JsonNode summary) {}

  @BeforeAll
  static void runOnTheClusterAndLocally() throws Exception {
    JobJar.current();
    cluster = StandaloneCluster.start(tmp.resolve("cluster"),
        TestData.root().resolve("job/target/spark-classpath.txt"), 2);
    standalone = submit("standalone", "--spark-master", cluster.masterUrl());
    local = submit("local");
    System.out.printf("standalone cluster (2 workers x 1 core): %.1f s (job %d ms); local[*] (2 cores): %.1f s "
        + "(job %d ms); submit.sh wall times, JVM start included%n", standalone.seconds(),
        standalone.summary().at("/timings_ms/total").asLong(), local.seconds(),
        local.summary().at("/timings_ms/total").asLong());
    for (Submission s : List.of(standalone, local)) {
      for (String table : List.of("images", "faces", "clusters")) {
        spark.read().parquet(s.output() + "/" + table).where("run_id = '" + s.runId() + "'")
            .createOrReplaceTempView(s.runId() + "_" + table);
      }
    }
  }

  @AfterAll
  static void stopTheCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** `submit.sh run` on the sample in its own JVM, 3 images per partition so that both executors get work. */
  static Submission submit(String runId, String... more) throws Exception {
    String output = tmp.resolve("out-" + runId).toString();
    List<String> cmd = new ArrayList<>(List.of(TestData.root().resolve("submit.sh").toString(), "run",
        "--input", TestData.sample().toString(), "--output", output, "--run-id", runId,
        "--models-dir", TestData.modelsDir(), "--input-images-per-partition", "3"));
    cmd.addAll(List.of(more));
    Path log = tmp.resolve("submit-" + runId + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("FACECLUSTER_EMBEDDED", "1");
    // The driver waits for both executors before it schedules a task (local mode ignores these settings).
    pb.environment().put("FACECLUSTER_JAVA_OPTS", "-Xmx2g -Dspark.scheduler.minRegisteredResourcesRatio=1.0 "
        + "-Dspark.scheduler.maxRegisteredResourcesWaitingTime=120s");
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      if (!p.waitFor(400, TimeUnit.SECONDS)) {
        throw new AssertionError("submit.sh run --run-id " + runId + " did not finish in 400 s; log " + log);
      }
    } finally {
      p.destroyForcibly();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(p.exitValue()).as("exit code of submit.sh run --run-id %s; output:%n%s", runId, Files.readString(log))
        .isZero();
    JsonNode summary = new ObjectMapper().readTree(Path.of(output, "runs/run_id=" + runId + "/summary.json").toFile());
    return new Submission(runId, output, seconds, summary);
  }

  @Test
  void theWorkRanInTheTwoWorkersExecutorJvms() throws Exception {
    assertThat(standalone.summary().at("/spark/master").asText()).as("master of the standalone run")
        .isEqualTo(cluster.masterUrl());
    assertThat(local.summary().at("/spark/master").asText()).as("master of the local run").startsWith("local");
    String appId = null;
    for (JsonNode app : cluster.masterState().path("completedapps")) {
      if (app.path("name").asText().equals("facecluster run standalone")) {
        assertThat(app.path("state").asText()).as("state of the app on the master").isEqualTo("FINISHED");
        appId = app.path("id").asText();
      }
    }
    assertThat(appId).as("the run among the master's completed apps: %s", cluster.masterState()).isNotNull();
    for (JsonNode worker : cluster.workerStates()) {
      List<String> apps = new ArrayList<>();
      worker.path("finishedexecutors").forEach(e -> apps.add(e.path("appid").asText()));
      assertThat(apps).as("apps that had an executor on worker %s", worker.path("id").asText()).contains(appId);
    }
    for (Path work : cluster.workDirs()) {
      List<Path> logs;
      try (Stream<Path> s = Files.walk(work.resolve(appId))) {
        logs = s.filter(f -> f.getFileName().toString().equals("stderr")).toList();
      }
      assertThat(logs).as("executor logs of the app in %s", work).hasSize(1);
      assertThat(Files.readString(logs.get(0))).as("executor log %s", logs.get(0))
          .contains("ONNX Runtime session for model 'retinaface-mnet025' created")
          .contains("ONNX Runtime session for model 'face-reidentification-retail-0095' created");
    }
    assertThat(standalone.summary().at("/spark/model_sessions_created").asLong())
        .as("sessions created: detector and embedder, once in each of the two executor JVMs").isEqualTo(4);
    assertThat(standalone.summary().at("/spark/partitions").asLong()).as("partitions (22 images, 3 per partition)")
        .isEqualTo(8);
  }

  @Test
  void givesTheSameCountsAsLocalMode() {
    for (String c : COUNTS) {
      assertThat(standalone.summary().at("/counts/" + c).asLong()).as("summary count %s, standalone vs local", c)
          .isEqualTo(local.summary().at("/counts/" + c).asLong());
    }
    // The sample's known result (README): both runs found it, not merely the same nothing.
    assertThat(standalone.summary().at("/counts/files").asLong()).as("files").isEqualTo(22);
    assertThat(standalone.summary().at("/counts/faces").asLong()).as("faces").isEqualTo(27);
    assertThat(standalone.summary().at("/counts/clusters").asLong()).as("clusters").isEqualTo(5);
  }

  @Test
  void writesTheSameImagesRowsAsLocalMode() {
    String q = "SELECT path, status, reason, width, height, face_count FROM %s_images ORDER BY path";
    List<Object[]> expected = sql(q, "local");
    assertThat(expected).as("images rows of the local run").hasSize(22);
    assertThat(sql(q, "standalone")).as("images rows (path, status, reason, size, face count), standalone vs local")
        .containsExactlyElementsOf(expected);
  }

  @Test
  void findsTheSameFacesAndEmbeddingsAsLocalMode() {
    String q = "SELECT face_id, path, box, score, landmarks, embedding, embedder, gate FROM %s_faces ORDER BY face_id";
    List<Object[]> expected = sql(q, "local");
    assertThat(expected).as("faces of the local run").hasSize(27);
    assertThat(sql(q, "standalone")).as("faces, standalone vs local (floats within 1e-5)")
        .usingElementComparator(rowsWithin(1e-5)).containsExactlyElementsOf(expected);
  }

  @Test
  void groupsTheSameFacesIntoClustersAsLocalMode() {
    // Cluster ids are opaque: compare the partition, each cluster as its sorted member list.
    String q = "SELECT sort_array(collect_list(face_id)) AS members FROM %s_clusters WHERE cluster_id >= 0 "
        + "GROUP BY cluster_id ORDER BY members[0]";
    List<Object[]> expected = sql(q, "local");
    assertThat(expected).as("clusters of the local run").hasSize(5);
    assertThat(sql(q, "standalone")).as("cluster membership, standalone vs local").containsExactlyElementsOf(expected);
    String noise = "SELECT face_id FROM %s_clusters WHERE cluster_id = -1 ORDER BY face_id";
    assertThat(sql(noise, "standalone")).as("unclustered faces, standalone vs local")
        .containsExactlyElementsOf(sql(noise, "local"));
  }
}
