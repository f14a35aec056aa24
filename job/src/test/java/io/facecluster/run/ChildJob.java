package io.facecluster.run;

import io.facecluster.TestData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * `submit.sh run` in embedded mode as a child JVM that a test can kill: the command line of submit.sh (its
 * --add-opens, conf/spark-defaults.conf as -D settings, conf/log4j2.properties) on the test's classpath, so the
 * job's log lines (stderr) can be watched and the driver killed with SIGKILL at a chosen line
 * ({@link Process#destroyForcibly} is `kill -9` on Linux): no shutdown hook, no cleanup, as when a scheduler
 * or the kernel's OOM killer ends a driver.
 */
final class ChildJob implements AutoCloseable {
  /** Exit status of a JVM ended by SIGKILL (128 + 9). */
  static final int KILLED = 137;

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Path log;
  private final Thread reader;

  private ChildJob(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.reader = new Thread(this::read, "child-job-log");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts `run` with the project's models, local[2], and progress lines every 0.2 s. */
  static ChildJob run(Path log, String... args) throws IOException {
    return run(log, List.of(), args);
  }

  /** The same, with more -D settings for the child JVM (e.g. a spark.facecluster.test.* hook). */
  static ChildJob run(Path log, List<String> jvmSettings, String... args) throws IOException {
    Path root = TestData.root();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g"));
    // The --add-opens this test JVM got from the build: submit.sh passes the same list.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
    for (String line : Files.readAllLines(root.resolve("conf/spark-defaults.conf"))) {
      String[] kv = line.trim().split("\\s+", 2);
      if (kv.length == 2 && !kv[0].startsWith("#")) {
        cmd.add("-D" + kv[0] + "=" + kv[1]);
      }
    }
    cmd.addAll(jvmSettings);
    cmd.addAll(List.of("-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
        "-Dspark.ui.enabled=false", "-Dlog4j2.configurationFile=file:" + root.resolve("conf/log4j2.properties"),
        "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        "io.facecluster.cli.Main", "run", "--models-dir", TestData.modelsDir(), "--spark-master", "local[2]",
        "--progress-interval-seconds", "0.2"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return new ChildJob(pb.start(), log);
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
        out.println(line);
      }
    } catch (IOException e) {
      lines.add("(log reader: " + e + ")");
    }
  }

  /** Waits until `count` lines match; fails when the job exits first or after `seconds`. */
  ChildJob await(Predicate<String> match, int count, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (lines.stream().filter(match).count() < count) {
      if (!process.isAlive() && !reader.isAlive()) {
        throw new AssertionError("the job exited (" + process.exitValue() + ") before the line awaited; log "
            + log + ":\n" + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no such line in " + seconds + " s; log " + log + ":\n" + tail());
      }
      Thread.sleep(10);
    }
    return this;
  }

  /** SIGKILL now; returns the exit status (137 unless the job had already ended on its own). */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
    reader.join(10_000);
    return process.exitValue();
  }

  /** Waits for the job to end by itself; returns its exit status. */
  int waitFor(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the job did not end in " + seconds + " s; log " + log);
    }
    reader.join(10_000);
    return process.exitValue();
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  String tail() {
    List<String> all = lines();
    return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
