package io.facecluster.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.util.VersionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3A credentials chain named in conf/spark-defaults.conf works on the Spark line under test: SDK v1's chain
 * on Hadoop 3.3 (Spark 3.5), mapped to SDK v2's on Hadoop 3.4+ (Spark 4), against a real S3 server.
 */
class S3aCredentialsTest {
  private static final String V1 = S3aCredentials.V1_DEFAULT_CHAIN;
  private static final String V2 = S3aCredentials.V2_DEFAULT_CHAIN;
  private static final String SIMPLE = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider";
  // Both SDKs' chains read keys from these system properties (v1: aws.secretKey, v2: aws.secretAccessKey).
  private static final Map<String, String> KEYS = Map.of("aws.accessKeyId", S3ProxyServer.ACCESS_KEY,
      "aws.secretKey", S3ProxyServer.SECRET_KEY, "aws.secretAccessKey", S3ProxyServer.SECRET_KEY);

  @TempDir
  static java.nio.file.Path tmp;
  static S3ProxyServer s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.start(tmp.resolve("s3"), "creds");
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  private static boolean sdkV2() {
    return S3ProxyServer.hadoopUsesSdkV2();
  }

  @Test
  void chainOfSparkDefaultsReadsAndWritesS3() throws Exception {
    assertThat(System.getenv("AWS_ACCESS_KEY_ID"))
        .as("AWS_ACCESS_KEY_ID must be unset: SDK v1's chain prefers it to the test's system properties").isNull();
    String provider = Files.readAllLines(TestData.root().resolve("conf/spark-defaults.conf")).stream()
        .map(String::trim).filter(l -> l.startsWith("spark.hadoop." + S3aCredentials.KEY))
        .map(l -> l.substring(("spark.hadoop." + S3aCredentials.KEY).length()).trim())
        .findFirst().orElseThrow(() -> new AssertionError("spark-defaults.conf sets no S3A credentials provider"));
    List<String> inFile = List.of(provider.split(","));
    assertThat(inFile).as("spark-defaults.conf's providers").endsWith(V1);

    Configuration conf = new Configuration();
    s3.configure(conf);
    conf.unset("fs.s3a.access.key"); // the keys reach S3A only through the default chain
    conf.unset("fs.s3a.secret.key");
    conf.set(S3aCredentials.KEY, provider);
    assertThat(S3aCredentials.adapt(conf)).as("mapped on Hadoop %s", VersionInfo.getVersion()).isEqualTo(sdkV2());
    assertThat(conf.getTrimmedStrings(S3aCredentials.KEY)).as("providers on Hadoop %s", VersionInfo.getVersion())
        .containsExactlyElementsOf(inFile.stream().map(p -> p.equals(V1) && sdkV2() ? V2 : p)
            .collect(Collectors.toList()));

    KEYS.forEach(System::setProperty);
    try {
      Path file = new Path("s3a://creds/hello.txt");
      try (FileSystem fs = file.getFileSystem(conf)) {
        try (var out = fs.create(file)) {
          out.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        try (var in = fs.open(file)) {
          assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
              .as("object written and read back with the default chain's credentials").isEqualTo("hello");
        }
      }
    } finally {
      KEYS.keySet().forEach(System::clearProperty);
    }
  }

  @Test
  void otherProvidersAndSettingsAreKept() {
    Configuration conf = new Configuration(false);
    conf.set(S3aCredentials.KEY, SIMPLE + ",\n  " + V1);
    assertThat(S3aCredentials.adapt(conf)).as("a list holding the v1 chain").isEqualTo(sdkV2());
    assertThat(conf.getTrimmedStrings(S3aCredentials.KEY)).as("the other provider keeps its place")
        .containsExactly(SIMPLE, sdkV2() ? V2 : V1);

    Configuration simple = new Configuration(false);
    simple.set(S3aCredentials.KEY, SIMPLE);
    assertThat(S3aCredentials.adapt(simple)).as("no v1 chain: nothing to map").isFalse();
    assertThat(simple.get(S3aCredentials.KEY)).as("unchanged").isEqualTo(SIMPLE);

    Configuration unset = new Configuration(false);
    assertThat(S3aCredentials.adapt(unset)).as("unset: S3A's own default list").isFalse();
    assertThat(unset.get(S3aCredentials.KEY)).as("still unset").isNull();
  }
}
