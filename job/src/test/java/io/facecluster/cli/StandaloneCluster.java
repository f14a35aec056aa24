package io.facecluster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on 127.0.0.1: one master and N workers, each its own JVM, started from a folder
 * laid out like a Spark distribution ({@code spark/jars/} = links to the jars the build lists in
 * {@code job/target/spark-classpath.txt}; no download). Workers start their executors as further JVMs with
 * that classpath, so the job's own classes reach them only the way they reach a real cluster: spark.jars.
 * {@link #close()} stops every JVM it started, executors included, also when the test failed half-way.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;
  private final List<Process> workers = new ArrayList<>();
  private final List<Path> workDirs = new ArrayList<>();
  private final Map<Process, Path> logs = new HashMap<>();
  private final Thread shutdownHook = new Thread(this::close, "standalone-cluster-stop");
  private Process master;
  private Path sparkHome;
  private String masterUrl;
  private int masterWebUi;
  private boolean closed;

  private StandaloneCluster(Path dir) {
    this.dir = dir;
  }

  /** Starts the master and `workers` workers (1 core, 2 GB each) and waits until all have registered. */
  static StandaloneCluster start(Path dir, Path sparkClasspath, int workers) throws Exception {
    StandaloneCluster c = new StandaloneCluster(dir);
    Runtime.getRuntime().addShutdownHook(c.shutdownHook);
    try {
      c.startAll(sparkClasspath, workers);
      return c;
    } catch (Exception | AssertionError e) {
      c.close();
      throw e;
    }
  }

  private void startAll(Path sparkClasspath, int count) throws Exception {
    sparkHome = distribution(sparkClasspath);
    int port = freePort();
    masterWebUi = freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    master = launch(sparkHome, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", String.valueOf(port), "--webui-port", String.valueOf(masterWebUi));
    for (int i = 0; i < count; i++) {
      Path work = Files.createDirectories(dir.resolve("work-" + i));
      workDirs.add(work);
      workers.add(launch(sparkHome, "worker-" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
          "--cores", "1", "--memory", "2g", "--webui-port", String.valueOf(freePort()), "--work-dir",
          work.toString(), masterUrl));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (aliveWorkers() < count) {
      for (Process p : all()) {
        if (!p.isAlive()) {
          // The log's end goes into the message: on CI the folder is gone by the time anyone reads the report.
          throw new IllegalStateException("a Spark daemon exited with " + p.exitValue() + "; logs in " + dir
              + "; the end of " + logs.get(p) + ":\n" + tail(logs.get(p), 40));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(count + " workers did not register within 120 s; logs in " + dir);
      }
      Thread.sleep(500);
    }
  }

  /** A Spark "distribution": SPARK_HOME/jars holds the Spark jars, which a worker puts on its executors' classpath. */
  private Path distribution(Path sparkClasspath) throws IOException {
    Path jars = Files.createDirectories(dir.resolve("spark/jars"));
    Set<String> names = new HashSet<>();
    for (String entry : Files.readString(sparkClasspath).trim().split(java.io.File.pathSeparator)) {
      Path jar = Path.of(entry);
      if (!names.add(jar.getFileName().toString())) {
        throw new IllegalStateException("two Spark jars named " + jar.getFileName() + " in " + sparkClasspath);
      }
      Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
    }
    return jars.getParent();
  }

  private Process launch(Path sparkHome, String name, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m"));
    // The same --add-opens this test JVM got from the build (pom.xml: spark.java17.opens).
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
    cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", mainClass));
    cmd.addAll(List.of(args));
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    // Workers build their executors' command from SPARK_HOME (jars/*) and the Scala version.
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION",
        scala.util.Properties.versionNumberString().replaceAll("^(\\d+\\.\\d+).*", "$1"));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    // Executors' scratch space (fetched jars, shuffle files) stays in this cluster's folder.
    pb.environment().put("SPARK_LOCAL_DIRS", dir.resolve("local").toString());
    pb.environment().remove("SPARK_CONF_DIR");
    Process p = pb.start();
    logs.put(p, log);
    return p;
  }

  private static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private int aliveWorkers() {
    try {
      return masterState().path("aliveworkers").asInt();
    } catch (IOException e) {
      return 0; // web UI not up yet
    }
  }

  String masterUrl() {
    return masterUrl;
  }

  /** The SPARK_HOME the daemons run from ({@code jars/}); SparkSubmitTest adds a {@code bin/} to it. */
  Path sparkHome() {
    return sparkHome;
  }

  /** The master's state (/json/): workers, and the applications with their state. */
  JsonNode masterState() throws IOException {
    return json("http://127.0.0.1:" + masterWebUi + "/json/");
  }

  /** Each worker's state (/json/ of its web UI): the executors it runs and has run, with their app ids. */
  List<JsonNode> workerStates() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode w : masterState().path("workers")) {
      out.add(json(w.path("webuiaddress").asText() + "/json/"));
    }
    return out;
  }

  /** Each worker's work dir: {@code <app id>/<executor id>/stderr} is an executor's log. */
  List<Path> workDirs() {
    return workDirs;
  }

  private static JsonNode json(String url) throws IOException {
    var conn = URI.create(url).toURL().openConnection();
    conn.setConnectTimeout(2000);
    conn.setReadTimeout(5000);
    try (InputStream in = conn.getInputStream()) {
      return JSON.readTree(in);
    }
  }

  private List<Process> all() {
    List<Process> out = new ArrayList<>(workers);
    if (master != null) {
      out.add(master);
    }
    return out;
  }

  /**
   * SIGTERM to the master, the workers and their executors (a worker's shutdown also kills its executors);
   * whatever is still alive after 20 s is killed.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<ProcessHandle> started = new ArrayList<>();
    for (Process p : all()) {
      p.descendants().forEach(started::add);
      started.add(p.toHandle());
    }
    started.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (ProcessHandle h : started) {
      try {
        h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: this is the hook
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
