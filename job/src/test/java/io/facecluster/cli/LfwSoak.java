package io.facecluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.faults.InjectedFaults;
import io.facecluster.image.OpenCv;
import io.facecluster.io.FaultyS3Proxy;
import io.facecluster.io.FaultyS3Proxy.Fault;
import io.facecluster.io.FaultyS3Proxy.Kind;
import io.facecluster.io.ProxiedS3;
import io.facecluster.pipeline.BadImages;
import io.facecluster.udfs.SparkTestBase;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;

/**
 * The soak of issue 15 (run by bench/soak.sh; not part of the suite: its name is outside surefire's test
 * patterns). All of LFW plus every bad-input kind of BadInputJobTest, from s3a:// to s3a:// through
 * {@link FaultyS3Proxy}, on a standalone cluster (master and two 1-core workers, own JVMs), by `submit.sh run
 * --spark-master`. First the undisturbed run ("calm": proxy faults off, no hook, no kill), then, into the same
 * output with another run id, the run with every fault at once ("soak"): the proxy's fault cycles on object
 * GETs, LISTs, PUTs and HEADs; the first attempt of chosen tasks failing at each point of
 * {@code spark.facecluster.test.fail-first-attempt}; and one executor JVM SIGKILLed inside a task once the
 * first chunk is committed. Both must exit 0 with the same rows (RunRows' columns; embeddings within 1e-5),
 * the same counts in summary.json, no face_id twice and no staging left. Each fault is counted, so the soak
 * cannot pass without them. Settings: -Dsoak.dir (work folder), -Dsoak.limit (first N LFW files in sorted
 * order; 0 = all), -Dsoak.chunk (images per chunk).
 */
class LfwSoak extends SparkTestBase {
  static final String BUCKET = "soak";
  static final String FAIL_FIRST_ATTEMPT = "decode:0,2;embed:1,3;write:0,5;knn:0;components:0";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void allOfLfwWithEveryFaultInOneRunEqualsTheUndisturbedRun() throws Exception {
    Path dir = Files.createDirectories(Path.of(System.getProperty("soak.dir", "/tmp/facecluster-soak")));
    int limit = Integer.getInteger("soak.limit", 0);
    int chunk = Integer.getInteger("soak.chunk", 4000);
    JobJar.current();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try (ProxiedS3 s3 = ProxiedS3.start(dir.resolve("s3"), "3g", BUCKET, conf);
        StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"),
            TestData.root().resolve("job/target/spark-classpath.txt"), 2)) {
      FaultyS3Proxy proxy = s3.proxy();
      long inputs = upload(conf, dir, limit);
      System.out.printf("soak: %d input files under s3a://%s/in%n", inputs, BUCKET);

      long t0 = System.nanoTime();
      Run calm = submit(cluster, dir, conf, "calm", chunk, Map.of(), (c, log) -> Optional.empty());
      System.out.printf("soak: undisturbed run %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));

      proxy.inject(Kind.GET_OBJECT, 25, Fault.SLOW_DOWN, Fault.RESET_MID_RESPONSE, Fault.INTERNAL_ERROR,
          Fault.RESET_BEFORE_RESPONSE, Fault.SLOW)
          .inject(Kind.LIST, 3, Fault.SLOW_DOWN, Fault.INTERNAL_ERROR, Fault.RESET_BEFORE_RESPONSE,
              Fault.RESET_MID_RESPONSE)
          .inject(Kind.PUT_OBJECT, 3, Fault.SLOW_DOWN, Fault.RESET_BEFORE_RESPONSE, Fault.INTERNAL_ERROR,
              Fault.RESET_MID_RESPONSE, Fault.SLOW)
          .inject(Kind.HEAD, 5, Fault.SLOW_DOWN, Fault.INTERNAL_ERROR, Fault.RESET_BEFORE_RESPONSE,
              Fault.RESET_MID_RESPONSE);
      proxy.resetCounts();
      proxy.faults(true);
      long t1 = System.nanoTime();
      Run soak;
      try {
        // Kill an executor inside a task once the first chunk is committed (the second chunk is extracting).
        ClusterExecutors executors = new ClusterExecutors(cluster);
        soak = submit(cluster, dir, conf, "soak", chunk, Map.of(InjectedFaults.KEY, FAIL_FIRST_ATTEMPT),
            (appId, log) -> log.contains("run soak: chunk 0 of ")
                ? executors.of(appId).stream().filter(id -> ClusterExecutors.runsATask(executors.log(appId, id)))
                    .findFirst()
                : Optional.empty());
      } finally {
        proxy.faults(false);
      }
      System.out.printf("soak: run with faults %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t1));
      String faults = proxy.describe();
      System.out.println("soak: S3 faults injected:\n" + faults);
      report(calm, soak, faults, inputs);
    }
  }

  /** LFW (all, or its first `limit` files in sorted order) and the bad inputs, uploaded with faults off. */
  private static long upload(Configuration conf, Path dir, int limit) throws Exception {
    List<Path> lfw;
    try (Stream<Path> files = Files.walk(TestData.lfw())) {
      lfw = files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList();
    }
    if (limit > 0) {
      lfw = lfw.subList(0, limit);
    }
    OpenCv.ensureLoaded(); // BadImages draws with OpenCV
    Path bad = Files.createDirectories(dir.resolve("bad"));
    BadImages.writeAll(bad, Files.readAllBytes(TestData.lfwImage("Colin_Powell", 1)));
    List<Path> badFiles;
    try (Stream<Path> files = Files.walk(bad)) {
      badFiles = files.filter(Files::isRegularFile).sorted().toList();
    }
    FileSystem fs = new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/").getFileSystem(conf);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> puts = new ArrayList<>();
    for (Path f : lfw) {
      puts.add(pool.submit(() -> put(fs, "in/lfw/" + TestData.lfw().relativize(f), f)));
    }
    for (Path f : badFiles) {
      puts.add(pool.submit(() -> put(fs, "in/bad/" + bad.relativize(f), f)));
    }
    for (Future<?> p : puts) {
      p.get();
    }
    pool.shutdown();
    return puts.size();
  }

  private static Void put(FileSystem fs, String key, Path file) throws Exception {
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/" + key))) {
      Files.copy(file, out);
    }
    return null;
  }

  /** A finished run (exit 0): its id, driver log and the executor killed (or null). */
  record Run(String runId, String log, String killed) {}

  /** `submit.sh run` on the cluster, s3a:// in and out through the proxy; SIGKILL to the executor `kill` names. */
  private static Run submit(StandaloneCluster cluster, Path dir, Configuration conf, String runId, int chunk,
      Map<String, String> sparkConf, ClusterExecutors.Trigger kill) throws Exception {
    Path log = dir.resolve("submit-" + runId + ".log");
    List<String> cmd = List.of(TestData.root().resolve("submit.sh").toString(), "run", "--input",
        "s3a://" + BUCKET + "/in", "--output", "s3a://" + BUCKET + "/out", "--run-id", runId, "--models-dir",
        TestData.modelsDir(), "--image-max-pixels", "100000", "--chunk-images", String.valueOf(chunk),
        "--progress-interval-seconds", "10", "--spark-master", cluster.masterUrl());
    List<String> opts = new ArrayList<>(List.of("-Xmx3g", "-Dspark.scheduler.minRegisteredResourcesRatio=1.0",
        "-Dspark.scheduler.maxRegisteredResourcesWaitingTime=120s"));
    // The bucket's endpoint and keys as the test session has them, for the driver and (spark.hadoop.*) executors.
    for (Map.Entry<String, String> e : conf) {
      if (e.getKey().startsWith("fs.s3a.bucket." + BUCKET + ".")) {
        opts.add("-Dspark.hadoop." + e.getKey() + "=" + e.getValue());
      }
    }
    sparkConf.forEach((k, v) -> opts.add("-D" + k + "=" + v));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("SPARK_HOME"));
    pb.environment().put("FACECLUSTER_EMBEDDED", "1");
    pb.environment().put("FACECLUSTER_JAVA_OPTS", String.join(" ", opts));
    Process p = pb.start();
    ClusterExecutors.Kill killed = new ClusterExecutors(cluster).watch(p, "facecluster run " + runId, log, kill,
        Duration.ofMinutes(150));
    if (killed.executorId() != null) {
      System.out.printf("soak: executor %s killed (SIGKILL)%n", killed.executorId());
    }
    String text = Files.readString(log);
    assertThat(p.exitValue()).as("exit code of run %s; log %s", runId, log).isZero();
    return new Run(runId, text, killed.executorId());
  }

  /** Compares the two runs and prints the soak's numbers (docs/reliability.md); fails on any difference. */
  private static void report(Run calm, Run soak, String s3Faults, long inputs) throws Exception {
    String out = "s3a://" + BUCKET + "/out";
    String images = "SELECT path, status, reason, width, height, face_count FROM parquet.`" + out
        + "/images` WHERE run_id = '%s'";
    String faces = "SELECT face_id, path, box, score, landmarks, embedder, gate FROM parquet.`" + out
        + "/faces` WHERE run_id = '%s'";
    String clusters = "SELECT c.face_id, IF(c.cluster_id = -1, 'noise', m.first) AS cluster FROM parquet.`" + out
        + "/clusters` c JOIN (SELECT cluster_id, min(face_id) AS first FROM parquet.`" + out
        + "/clusters` WHERE run_id = '%1$s' GROUP BY cluster_id) m ON c.cluster_id = m.cluster_id "
        + "WHERE c.run_id = '%1$s'";
    for (String[] t : List.of(new String[] {"images", images}, new String[] {"faces", faces},
        new String[] {"clusters", clusters})) {
      var a = spark.sql(String.format(t[1], calm.runId())).cache();
      var b = spark.sql(String.format(t[1], soak.runId())).cache();
      long onlyA = a.exceptAll(b).count();
      long onlyB = b.exceptAll(a).count();
      System.out.printf("soak: %-8s calm %d rows, soak %d rows, only in calm %d, only in soak %d%n", t[0],
          a.count(), b.count(), onlyA, onlyB);
      assertThat(a.count()).as("%s rows of the calm run", t[0]).isPositive();
      assertThat(new long[] {b.count(), onlyA, onlyB}).as("%s: soak rows, only in calm, only in soak", t[0])
          .containsExactly(a.count(), 0, 0);
    }
    assertThat(spark.sql(String.format(images, calm.runId())).count()).as("images rows = input files")
        .isEqualTo(inputs);
    double maxDiff = spark.sql(String.format("SELECT max(array_max(zip_with(a.embedding, b.embedding, "
        + "(x, y) -> abs(x - y)))) FROM parquet.`%1$s/faces` a JOIN parquet.`%1$s/faces` b "
        + "ON a.face_id = b.face_id WHERE a.run_id = '%2$s' AND b.run_id = '%3$s'", out, calm.runId(),
        soak.runId())).first().getFloat(0);
    System.out.printf("soak: largest embedding difference calm vs soak %.3g%n", maxDiff);
    assertThat(maxDiff).as("embeddings of the soak vs calm").isLessThanOrEqualTo(1e-5);
    for (String table : List.of("faces", "clusters")) {
      long twice = spark.sql(String.format("SELECT count(*) - count(DISTINCT face_id) FROM parquet.`%s/%s` "
          + "WHERE run_id = '%s'", out, table, soak.runId())).first().getLong(0);
      System.out.printf("soak: face_ids twice in %s: %d%n", table, twice);
      assertThat(twice).as("face_ids twice in %s of the soak", table).isZero();
    }
    JsonNode calmCounts = summary(calm.runId()).path("counts");
    JsonNode soakCounts = summary(soak.runId()).path("counts");
    System.out.println("soak: summary counts calm " + calmCounts + "\nsoak: summary counts soak " + soakCounts);
    assertThat(soakCounts).as("summary.json counts").isEqualTo(calmCounts);
    FileSystem fs = new org.apache.hadoop.fs.Path(out).getFileSystem(spark.sparkContext().hadoopConfiguration());
    for (String staging : List.of("_staging", "_chunks")) {
      assertThat(fs.exists(new org.apache.hadoop.fs.Path(out + "/" + staging))).as("%s left", staging).isFalse();
    }
    // The faults happened: the killed executor, the injected task failures, the proxy's counters.
    assertThat(soak.killed()).as("an executor was killed").isNotNull();
    long lost = soak.log().lines().filter(l -> l.contains("Lost executor " + soak.killed() + " on")).count();
    long injected = soak.log().lines().filter(l -> l.contains("InjectedFault")).count();
    long lostTasks = soak.log().lines().filter(l -> l.contains("Lost task")).count();
    System.out.printf("soak: driver log: 'Lost executor %s' %d line(s), 'Lost task' %d, InjectedFault %d%n",
        soak.killed(), lost, lostTasks, injected);
    assertThat(lost).as("the driver saw the executor lost").isPositive();
    assertThat(injected).as("injected first-attempt failures in the driver log").isPositive();
    assertThat(s3Faults).as("S3 faults injected").doesNotContain("GET_OBJECT: 0 faults");
  }

  private static JsonNode summary(String runId) throws Exception {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(
        "s3a://" + BUCKET + "/out/runs/run_id=" + runId + "/summary.json");
    try (InputStream in = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(p)) {
      return JSON.readTree(in);
    }
  }
}
