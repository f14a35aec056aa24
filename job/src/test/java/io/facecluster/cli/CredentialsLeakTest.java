package io.facecluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.io.S3ProxyServer;
import io.facecluster.udfs.SparkTestBase;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `submit.sh run` as a user starts it (its own JVM, embedded Spark, conf/spark-defaults.conf), s3a:// to s3a://
 * on S3Proxy, with the credentials given as Spark settings of fs.s3a keys: the global
 * `spark.hadoop.fs.s3a.access.key` / `secret.key` and per-bucket `spark.hadoop.fs.s3a.bucket.<b>.*` keys. The
 * keys are random and distinctive, and neither appears in stdout, stderr (the log, here at INFO for every
 * logger), any object the run wrote (summary.json, report.html, Parquet bytes) or any value of its tables.
 */
class CredentialsLeakTest extends SparkTestBase {
  static final String IN = "leak-in";
  static final String OUT = "leak-out";
  static final String ACCESS = "AKLEAK" + HexFormat.of().withUpperCase().formatHex(random(7));
  static final String SECRET = "leaksecret/" + HexFormat.of().formatHex(random(16));
  @TempDir
  static Path tmp;
  static S3ProxyServer s3;
  static Configuration conf;
  static String stdout;
  static String stderr;
  static int exit;

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }

  @BeforeAll
  static void runWithKeysInSparkSettings() throws Exception {
    Path jar = JobJar.current();
    s3 = S3ProxyServer.startWithKeys(tmp.resolve("s3"), ACCESS, SECRET, IN, OUT);
    conf = new Configuration(spark.sparkContext().hadoopConfiguration());
    for (String b : List.of(IN, OUT)) {
      String p = "fs.s3a.bucket." + b + ".";
      conf.set(p + "endpoint", "http://127.0.0.1:" + s3.port());
      conf.set(p + "path.style.access", "true");
      conf.set(p + "connection.ssl.enabled", "false");
      conf.set(p + "endpoint.region", "us-east-1");
      conf.set(p + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
      conf.set(p + "access.key", ACCESS);
      conf.set(p + "secret.key", SECRET);
    }
    // The shared session reads the tables back below: the same per-bucket settings there.
    for (String b : List.of(IN, OUT)) {
      for (Map.Entry<String, String> e : conf) {
        if (e.getKey().startsWith("fs.s3a.bucket." + b + ".")) {
          spark.sparkContext().hadoopConfiguration().set(e.getKey(), e.getValue());
        }
      }
    }
    FileSystem fs = new org.apache.hadoop.fs.Path("s3a://" + IN + "/").getFileSystem(conf);
    for (Path f : List.of(TestData.lfwImage("Colin_Powell", 1), TestData.lfwImage("Colin_Powell", 2),
        TestData.lfwImage("Tony_Blair", 1), TestData.lfwImage("Tony_Blair", 2))) {
      try (OutputStream o = fs.create(new org.apache.hadoop.fs.Path("s3a://" + IN + "/in/" + f.getFileName()))) {
        o.write(Files.readAllBytes(f));
      }
    }
    // Every logger at INFO (the shipped conf keeps libraries at WARN): more output in which a key could show.
    Path log4j = tmp.resolve("log4j2.properties");
    Files.writeString(log4j, String.join("\n", "rootLogger.level = info", "rootLogger.appenderRef.e.ref = err",
        "appender.err.type = Console", "appender.err.name = err", "appender.err.target = SYSTEM_ERR",
        "appender.err.layout.type = PatternLayout", "appender.err.layout.pattern = %d %p %c: %m%n%throwable", ""));
    String endpoint = "http://127.0.0.1:" + s3.port();
    String javaOpts = String.join(" ", "-Xmx2g",
        "-Dspark.hadoop.fs.s3a.endpoint=" + endpoint,
        "-Dspark.hadoop.fs.s3a.path.style.access=true",
        "-Dspark.hadoop.fs.s3a.connection.ssl.enabled=false",
        "-Dspark.hadoop.fs.s3a.endpoint.region=us-east-1",
        "-Dspark.hadoop.fs.s3a.access.key=" + ACCESS,
        "-Dspark.hadoop.fs.s3a.secret.key=" + SECRET,
        "-Dspark.hadoop.fs.s3a.bucket." + IN + ".access.key=" + ACCESS,
        "-Dspark.hadoop.fs.s3a.bucket." + IN + ".secret.key=" + SECRET);
    ProcessBuilder pb = new ProcessBuilder("bash", TestData.root().resolve("submit.sh").toString(), "run",
        "--input", "s3a://" + IN + "/in", "--output", "s3a://" + OUT + "/out", "--run-id", "leak",
        "--models-dir", TestData.modelsDir())
        .directory(tmp.toFile())
        .redirectOutput(tmp.resolve("stdout").toFile())
        .redirectError(tmp.resolve("stderr").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("SPARK_HOME"));
    pb.environment().put("FACECLUSTER_EMBEDDED", "1");
    pb.environment().put("FACECLUSTER_JAVA_OPTS", javaOpts);
    pb.environment().put("FACECLUSTER_LOG4J", log4j.toString());
    Process p = pb.start();
    if (!p.waitFor(8, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("submit.sh run did not finish in 8 minutes");
    }
    exit = p.exitValue();
    stdout = Files.readString(tmp.resolve("stdout"));
    stderr = Files.readString(tmp.resolve("stderr"));
    assertThat(jar).exists();
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void theRunWorkedWithTheKeys() {
    assertThat(exit).as("exit code; stderr:%n%s", stderr).isZero();
    assertThat(stdout).as("stdout").contains("facecluster run leak -> s3a://" + OUT + "/out").contains("faces");
    assertThat(stderr).as("the log at INFO (Spark's and Hadoop's lines too)").contains(" INFO org.apache.spark.")
        .contains(" INFO io.facecluster.");
  }

  @Test
  void neitherKeyInStdoutOrTheLog() {
    for (String key : List.of(SECRET, ACCESS)) {
      assertThat(stdout).as("stdout").doesNotContain(key);
      assertThat(stderr).as("stderr (log)").doesNotContain(key);
    }
  }

  @Test
  void neitherKeyInAnyObjectWritten() throws Exception {
    List<String> keys = s3.keys(OUT, "");
    assertThat(keys).as("objects written").anyMatch(k -> k.endsWith("summary.json"))
        .anyMatch(k -> k.endsWith("report.html")).anyMatch(k -> k.endsWith(".parquet"));
    List<String> read = new ArrayList<>();
    for (String k : keys) {
      if (k.endsWith("/")) {
        continue; // a directory marker: no content
      }
      byte[] bytes;
      org.apache.hadoop.fs.Path object = new org.apache.hadoop.fs.Path("s3a://" + OUT + "/" + k);
      try (var in = object.getFileSystem(conf).open(object)) {
        bytes = in.readAllBytes();
      }
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      for (String key : List.of(SECRET, ACCESS)) {
        assertThat(text).as("bytes of %s", k).doesNotContain(key);
      }
      read.add(k);
    }
    assertThat(read).as("objects read").isNotEmpty();
  }

  /** Parquet pages are compressed: the bytes alone would not show a key inside a column, so read the values. */
  @Test
  void neitherKeyInAnyTableValue() {
    for (String table : List.of("images", "faces", "clusters")) {
      Dataset<Row> rows = spark.read().parquet("s3a://" + OUT + "/out/" + table);
      Dataset<Row> text = rows.select(functions.to_json(functions.struct(
          java.util.Arrays.stream(rows.columns()).map(functions::col).toArray(org.apache.spark.sql.Column[]::new)))
          .as("row"));
      assertThat(text.count()).as("%s rows", table).isPositive();
      for (String key : List.of(SECRET, ACCESS)) {
        assertThat(text.filter(functions.col("row").contains(key)).count()).as("%s rows holding a key", table)
            .isZero();
      }
    }
  }
}
