package io.facecluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.facecluster.TestData;
import io.facecluster.udfs.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path users take with Spark installed: `submit.sh run` finds `$SPARK_HOME/bin/spark-submit` and submits
 * the job jar. SPARK_HOME is StandaloneCluster's distribution (jars/ = the build's Spark jars) plus a bin/ whose
 * spark-submit and spark-class start SparkSubmit through Spark's launcher, as Spark's scripts do
 * (src/test/resources/spark-home/bin). One cluster (a master and two 1-core workers) serves both standalone
 * runs. Each of the three submissions must write the same images, faces and clusters rows as the embedded run
 * of the same input (this JVM's local[2]): spark-submit in local mode, on the cluster in client deploy mode
 * (driver in submit.sh's JVM) and in cluster deploy mode (the driver runs on a worker, started by it).
 */
class SparkSubmitTest extends SparkTestBase {
  private static final String[] MODES = {"local", "client", "cluster"};
  @TempDir
  static Path tmp;
  static StandaloneCluster cluster;

  @BeforeAll
  static void submitInEachMode() throws Exception {
    JobJar.current();
    JobRunner.run(TestData.sample().toString(), output("embedded"), "--run-id", "embedded",
        "--input-images-per-partition", "3");
    cluster = StandaloneCluster.start(tmp.resolve("cluster"),
        TestData.root().resolve("job/target/spark-classpath.txt"), 2);
    Path sparkHome = withBin(cluster.sparkHome());
    submit(sparkHome, "local", "--master local[2] --driver-memory 2g");
    // Both executors must have registered before the first task (the ratio is of spark.cores.max).
    submit(sparkHome, "client", "--master " + cluster.masterUrl() + " --deploy-mode client --driver-memory 2g"
        + " --conf spark.cores.max=2 --conf spark.scheduler.minRegisteredResourcesRatio=1.0"
        + " --conf spark.scheduler.maxRegisteredResourcesWaitingTime=120s");
    // The driver takes one worker's core; the executor gets the other. spark-submit waits for the driver.
    submit(sparkHome, "cluster", "--master " + cluster.masterUrl() + " --deploy-mode cluster --driver-memory 1g"
        + " --conf spark.standalone.submit.waitAppCompletion=true");
    for (String run : Stream.concat(Stream.of("embedded"), Stream.of(MODES)).toList()) {
      for (String table : List.of("images", "faces", "clusters")) {
        spark.read().parquet(output(run) + "/" + table).where("run_id = '" + run + "'")
            .createOrReplaceTempView(run + "_" + table);
      }
    }
  }

  @AfterAll
  static void stopTheCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String output(String run) {
    return tmp.resolve("out-" + run).toString();
  }

  /** Adds bin/spark-submit and bin/spark-class to the distribution (resources lose their execute bit). */
  private static Path withBin(Path sparkHome) throws IOException {
    Path bin = Files.createDirectories(sparkHome.resolve("bin"));
    for (String script : List.of("spark-submit", "spark-class")) {
      Path to = bin.resolve(script);
      Files.copy(TestData.root().resolve("job/src/test/resources/spark-home/bin").resolve(script), to);
      Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return sparkHome;
  }

  /** `submit.sh run` on the sample with SPARK_HOME set, as a user with Spark installed calls it. */
  private static void submit(Path sparkHome, String run, String sparkSubmitArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(TestData.root().resolve("submit.sh").toString(), "run",
        "--input", TestData.sample().toString(), "--output", output(run), "--run-id", run,
        "--models-dir", TestData.modelsDir(), "--input-images-per-partition", "3"));
    Path log = tmp.resolve("submit-" + run + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("FACECLUSTER_EMBEDDED");
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SUBMIT_ARGS", sparkSubmitArgs);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_SCALA_VERSION",
        scala.util.Properties.versionNumberString().replaceAll("^(\\d+\\.\\d+).*", "$1"));
    pb.environment().put("SPARK_LOCAL_DIRS", tmp.resolve("local").toString());
    pb.environment().remove("SPARK_CONF_DIR");
    Process p = pb.start();
    try {
      if (!p.waitFor(900, TimeUnit.SECONDS)) {
        throw new AssertionError("submit.sh run (" + run + ") did not finish in 900 s; log " + log + driverLogs());
      }
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).as("exit code of submit.sh run with spark-submit (%s); output:%n%s%s", run,
        Files.readString(log), driverLogs()).isZero();
    if (sparkSubmitArgs.contains("--deploy-mode cluster")) {
      // spark-submit exits 0 also when the driver it waited for FAILED: the master's word is the result.
      List<String> states = new ArrayList<>();
      cluster.masterState().path("completeddrivers").forEach(d -> states.add(d.path("state").asText()));
      assertThat(states).as("states of the drivers the master ran; driver logs:%s", driverLogs())
          .containsExactly("FINISHED");
    }
  }

  /** In cluster deploy mode the driver's output is in a worker's work dir (driver-.../stderr). */
  private static String driverLogs() throws IOException {
    StringBuilder out = new StringBuilder();
    for (Path work : cluster.workDirs()) {
      try (Stream<Path> s = Files.walk(work)) {
        for (Path f : s.filter(f -> f.getParent().getFileName().toString().startsWith("driver-")
            && f.getFileName().toString().equals("stderr")).toList()) {
          out.append("\n--- ").append(f).append(":\n").append(Files.readString(f));
        }
      }
    }
    return out.toString();
  }

  @Test
  void eachSubmissionRanWhereItsDeployModeSaysAndFinished() throws Exception {
    JsonNode master = cluster.masterState();
    List<String> apps = new ArrayList<>();
    for (JsonNode app : master.path("completedapps")) {
      assertThat(app.path("state").asText()).as("state of app %s", app.path("name").asText()).isEqualTo("FINISHED");
      apps.add(app.path("name").asText());
    }
    assertThat(apps).as("apps the master ran (spark-submit local mode never reaches it)")
        .containsExactlyInAnyOrder("facecluster run client", "facecluster run cluster");
    JsonNode drivers = master.path("completeddrivers");
    assertThat(drivers).as("drivers the master started on a worker (cluster deploy mode only): %s", drivers)
        .hasSize(1);
    assertThat(drivers.get(0).path("state").asText()).as("state of the driver on the worker").isEqualTo("FINISHED");
    assertThat(drivers.get(0).path("mainclass").asText()).as("its main class").isEqualTo(Main.class.getName());
  }

  @Test
  void writeTheSameImagesRowsAsTheEmbeddedRun() {
    String q = "SELECT path, status, reason, width, height, face_count FROM %s_images ORDER BY path";
    List<Object[]> expected = sql(q.formatted("embedded"));
    assertThat(expected).as("images rows of the embedded run (the sample: 22 files)").hasSize(22);
    for (String mode : MODES) {
      assertThat(sql(q.formatted(mode))).as("images rows, spark-submit %s vs embedded", mode)
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void findTheSameFacesAndEmbeddingsAsTheEmbeddedRun() {
    String q = "SELECT face_id, path, box, score, landmarks, embedding, embedder, gate FROM %s_faces ORDER BY face_id";
    List<Object[]> expected = sql(q.formatted("embedded"));
    assertThat(expected).as("faces of the embedded run (the sample: 27)").hasSize(27);
    for (String mode : MODES) {
      assertThat(sql(q.formatted(mode))).as("faces, spark-submit %s vs embedded (floats within 1e-5)", mode)
          .usingElementComparator(rowsWithin(1e-5)).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void groupTheSameFacesIntoClustersAsTheEmbeddedRun() {
    // Cluster ids are opaque: compare the partition, each cluster as its sorted member list.
    String q = "SELECT sort_array(collect_list(face_id)) AS members FROM %s_clusters WHERE cluster_id >= 0 "
        + "GROUP BY cluster_id ORDER BY members[0]";
    String noise = "SELECT face_id FROM %s_clusters WHERE cluster_id = -1 ORDER BY face_id";
    List<Object[]> expected = sql(q.formatted("embedded"));
    assertThat(expected).as("clusters of the embedded run (the sample: 5)").hasSize(5);
    for (String mode : MODES) {
      assertThat(sql(q.formatted(mode))).as("cluster membership, spark-submit %s vs embedded", mode)
          .containsExactlyElementsOf(expected);
      assertThat(sql(noise.formatted(mode))).as("unclustered faces, spark-submit %s vs embedded", mode)
          .containsExactlyElementsOf(sql(noise.formatted("embedded")));
    }
  }
}
