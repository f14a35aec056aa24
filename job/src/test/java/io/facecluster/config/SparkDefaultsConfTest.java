package io.facecluster.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.io.HadoopConf;
import io.facecluster.io.S3ProxyServer;
import io.facecluster.io.S3aCredentials;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.fs.FileSystem;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.DeserializationStream;
import org.apache.spark.serializer.SerializationStream;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * conf/spark-defaults.conf and conf/log4j2.properties do what their comments say: both readers of the Spark file
 * (spark-submit's properties loader, submit.sh's `read -r key value`) see the same settings; the serializer it
 * names carries what the job broadcasts; its S3A credential chain takes keys given in the configuration (an
 * S3-compatible store) against a real S3 server on 127.0.0.1; the log configuration is quiet but for the job.
 */
class SparkDefaultsConfTest {
  @TempDir
  static Path tmp;
  static Path file;
  /** Key -> value as submit.sh reads them: first word, then the rest of the line. */
  static final Map<String, String> settings = new LinkedHashMap<>();

  @BeforeAll
  static void read() throws Exception {
    file = TestData.root().resolve("conf/spark-defaults.conf");
    for (String line : Files.readAllLines(file)) {
      String t = line.trim();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] kv = t.split("\\s+", 2);
      assertThat(kv).as("line '%s': a key and a value", line).hasSize(2);
      assertThat(settings.put(kv[0], kv[1].trim())).as("%s set twice", kv[0]).isNull();
    }
  }

  @Test
  void bothReadersSeeTheSameSparkSettings() throws Exception {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    Map<String, String> asSparkSubmit = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> asSparkSubmit.put(k, p.getProperty(k).trim()));
    assertThat(asSparkSubmit).as("spark-submit --properties-file against submit.sh's reading")
        .isEqualTo(settings);
    settings.forEach((k, v) -> {
      assertThat(k).as("key").startsWith("spark.");
      assertThat(v).as("value of %s: no trailing comment", k).doesNotContain("#");
    });
    assertThat(settings).as("the settings the job relies on")
        .containsEntry("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .containsKeys("spark.serializer", "spark.task.cpus", "spark.sql.shuffle.partitions",
            "spark.hadoop.fs.s3a.aws.credentials.provider");
    assertThat(Integer.parseInt(settings.get("spark.task.cpus"))).as("task cpus").isPositive();
    assertThat(Integer.parseInt(settings.get("spark.sql.shuffle.partitions"))).as("shuffle partitions").isPositive();
  }

  @Test
  void theSerializerCarriesWhatTheJobBroadcasts() throws Exception {
    SparkConf conf = new SparkConf(false);
    settings.forEach(conf::set);
    Serializer serializer = (Serializer) Class.forName(settings.get("spark.serializer"))
        .getConstructor(SparkConf.class).newInstance(conf);
    SerializerInstance ser = serializer.newInstance();
    org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration(false);
    hadoop.set("fs.s3a.endpoint", "http://127.0.0.1:9000");
    hadoop.set("fs.s3a.aws.credentials.provider", settings.get("spark.hadoop.fs.s3a.aws.credentials.provider"));
    // As a broadcast is written and read on another JVM's executor: a stream, followed here by one more object
    // so that reading HadoopConf back must stop exactly at its end.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SerializationStream out = ser.serializeStream(bytes);
    out.writeObject(new HadoopConf(hadoop), tag(HadoopConf.class));
    out.writeObject("after", tag(String.class));
    out.close();
    DeserializationStream in = ser.deserializeStream(new ByteArrayInputStream(bytes.toByteArray()));
    HadoopConf back = in.readObject(tag(HadoopConf.class));
    String after = in.readObject(tag(String.class));
    in.close();
    assertThat(back.get()).as("Hadoop configuration after %s", serializer.getClass().getSimpleName()).isNotNull();
    assertThat(back.get().get("fs.s3a.endpoint")).as("S3A endpoint on the executor").isEqualTo("http://127.0.0.1:9000");
    assertThat(back.get().get("fs.s3a.aws.credentials.provider")).as("credential chain on the executor")
        .isEqualTo(settings.get("spark.hadoop.fs.s3a.aws.credentials.provider"));
    assertThat(after).as("the object written after it").isEqualTo("after");
  }

  @Test
  void theCredentialChainTakesKeysGivenInTheConfiguration() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start(tmp.resolve("s3"), "conf-test")) {
      org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
      s3.configure(conf);
      // The file's spark.hadoop.* settings over the test server's (which name only the static-key provider).
      settings.forEach((k, v) -> {
        if (k.startsWith("spark.hadoop.")) {
          conf.set(k.substring("spark.hadoop.".length()), v);
        }
      });
      assertThat(List.of(conf.getTrimmedStrings("fs.s3a.aws.credentials.provider"))).as("providers in the file")
          .hasSizeGreaterThan(1)
          .contains("org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
          .endsWith("com.amazonaws.auth.DefaultAWSCredentialsProviderChain");
      // As the job's session does: on the Spark 4 line the SDK v1 chain becomes SDK v2's.
      S3aCredentials.adapt(conf);
      List<String> chain = List.of(conf.getTrimmedStrings("fs.s3a.aws.credentials.provider"));
      Class<?> provider = Class.forName(S3ProxyServer.providerInterface());
      for (String c : chain) {
        assertThat(provider.isAssignableFrom(Class.forName(c)))
            .as("%s is an AWS credentials provider (%s) on the classpath", c, provider.getName()).isTrue();
      }
      org.apache.hadoop.fs.Path object = new org.apache.hadoop.fs.Path("s3a://conf-test/dir/hello.txt");
      FileSystem fs = object.getFileSystem(conf);
      try (var out = fs.create(object)) {
        out.write("hello".getBytes(StandardCharsets.UTF_8));
      }
      try (InputStream in = fs.open(object)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as("read back over S3A").isEqualTo("hello");
      }
    }
  }

  @Test
  void log4jIsQuietButForTheJob() throws Exception {
    Path log4j = TestData.root().resolve("conf/log4j2.properties");
    try (InputStream in = Files.newInputStream(log4j)) {
      var config = new PropertiesConfigurationFactory().getConfiguration(new LoggerContext("conf-test"),
          new ConfigurationSource(in, log4j.toFile()));
      config.initialize();
      assertThat(config.getAppenders()).as("appenders").containsKey("console");
      assertThat(config.getRootLogger().getLevel()).as("root level").isEqualTo(Level.WARN);
      for (String quiet : List.of("org.apache.spark.scheduler.DAGScheduler", "org.apache.spark.storage.BlockManager",
          "org.apache.hadoop.fs.s3a.S3AFileSystem", "org.apache.parquet.hadoop.InternalParquetRecordWriter",
          "org.sparkproject.jetty.server.Server", "com.amazonaws.http.AmazonHttpClient")) {
        assertThat(config.getLoggerConfig(quiet).getLevel()).as("level of %s", quiet).isEqualTo(Level.WARN);
      }
      assertThat(config.getLoggerConfig("org.apache.hadoop.util.NativeCodeLoader").getLevel())
          .as("native-code warning, harmless here").isEqualTo(Level.ERROR);
      for (String job : List.of("io.facecluster.pipeline.ProgressLogger", "io.facecluster.run.RunJob")) {
        assertThat(config.getLoggerConfig(job).getLevel()).as("level of %s", job).isEqualTo(Level.INFO);
      }
    }
  }

  private static <T> ClassTag<T> tag(Class<T> c) {
    return ClassTag$.MODULE$.apply(c);
  }
}
