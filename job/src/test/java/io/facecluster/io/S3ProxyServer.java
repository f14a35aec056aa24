package io.facecluster.io;

import io.facecluster.TestData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.conf.Configuration;

/**
 * A real S3 server on 127.0.0.1: S3Proxy in its own JVM (so that its Jetty and Jackson never share a classpath
 * with Spark's), with jclouds' in-memory blob store: flat keys, as on S3. Buckets are created at start.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "facecluster-test";
  public static final String SECRET_KEY = "facecluster-test-secret";
  private final Process process;
  private final int port;
  private final String accessKey;
  private final String secretKey;

  private S3ProxyServer(Process process, int port, String accessKey, String secretKey) {
    this.process = process;
    this.port = port;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  public static S3ProxyServer start(Path baseDir, String... buckets) throws Exception {
    return startWithKeys(baseDir, ACCESS_KEY, SECRET_KEY, buckets);
  }

  /** A server that accepts only these keys (a test of where a secret ends up gives a distinctive one). */
  public static S3ProxyServer startWithKeys(Path baseDir, String accessKey, String secretKey, String... buckets)
      throws Exception {
    return start(baseDir, "256m", accessKey, secretKey, buckets);
  }

  /** A server whose in-memory store holds up to about `heap` (the soak keeps all of LFW, 180 MB, in it). */
  public static S3ProxyServer startWithHeap(Path baseDir, String heap, String... buckets) throws Exception {
    return start(baseDir, heap, ACCESS_KEY, SECRET_KEY, buckets);
  }

  private static S3ProxyServer start(Path baseDir, String heap, String accessKey, String secretKey,
      String... buckets) throws Exception {
    Files.createDirectories(baseDir);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path props = baseDir.resolveSibling("s3proxy.properties");
    Files.write(props, List.of(
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + accessKey,
        "s3proxy.credential=" + secretKey,
        "jclouds.provider=transient",
        "jclouds.identity=" + accessKey,
        "jclouds.credential=" + secretKey));
    Path jar = TestData.root().resolve("job/target/test-tools/s3proxy-jar-with-dependencies.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("S3Proxy jar missing at " + jar + " (Maven copies it in generate-test-resources)");
    }
    Path log = baseDir.resolveSibling("s3proxy.log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-jar", jar.toString(), "--properties", props.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    S3ProxyServer server = new S3ProxyServer(p, port, accessKey, secretKey);
    long deadline = System.currentTimeMillis() + 60_000;
    while (!server.accepting()) {
      if (!p.isAlive() || System.currentTimeMillis() > deadline) {
        server.close();
        throw new IllegalStateException("S3Proxy did not start; log: " + Files.readString(log));
      }
      Thread.sleep(200);
    }
    for (String b : buckets) {
      server.createBucket(b);
    }
    return server;
  }

  /**
   * PUT /bucket. Plain HTTP requests rather than an AWS SDK client: S3A uses SDK v1 on Hadoop 3.3 (Spark 3.5)
   * and SDK v2 on Hadoop 3.5 (Spark 4), and the tests run on both lines.
   */
  private void createBucket(String bucket) throws Exception {
    HttpResponse<String> response = signed("PUT", "/" + bucket, "");
    if (response.statusCode() != 200) {
      throw new IllegalStateException("S3Proxy refused to create bucket " + bucket + ": HTTP "
          + response.statusCode() + " " + response.body());
    }
  }

  /**
   * Every key under `prefix` in `bucket`, straight from the server (no S3A in between: what a test sees is what
   * is stored, directory markers and temporary files included). Fails past one page (1,000 keys).
   */
  public List<String> keys(String bucket, String prefix) throws Exception {
    String xml = okBody(signed("GET", "/" + bucket + "/",
        "?prefix=" + java.net.URLEncoder.encode(prefix, StandardCharsets.UTF_8)));
    if (xml.contains("<IsTruncated>true</IsTruncated>")) {
      throw new IllegalStateException("more than one page of keys under " + prefix);
    }
    return xmlValues(xml, "Key");
  }

  /** Keys of the multipart uploads started and neither completed nor aborted in `bucket` (ListMultipartUploads). */
  public List<String> pendingUploads(String bucket) throws Exception {
    return xmlValues(okBody(signed("GET", "/" + bucket + "/?uploads", "")), "Key");
  }

  private static String okBody(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("S3Proxy answered HTTP " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static List<String> xmlValues(String xml, String element) {
    List<String> out = new java.util.ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<" + element + ">([^<]*)</" + element + ">")
        .matcher(xml);
    while (m.find()) {
      out.add(m.group(1).replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">")
          .replace("&amp;", "&"));
    }
    return out;
  }

  /**
   * A request signed with AWS signature version 2 (S3Proxy accepts v2 and v4): `resource` is the path with its
   * sub-resource (`?uploads`), which v2 signs; `query` is appended unsigned (`?prefix=...`).
   */
  private HttpResponse<String> signed(String method, String resource, String query) throws Exception {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    String signature = Base64.getEncoder().encodeToString(
        mac.doFinal((method + "\n\n\n" + date + "\n" + resource).getBytes(StandardCharsets.UTF_8)));
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + resource + query))
        .header("Date", date)
        .header("Authorization", "AWS " + accessKey + ":" + signature)
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private boolean accepting() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** S3A settings that point at this server (path-style, plain HTTP, static keys). */
  public void configure(Configuration conf) {
    conf.set("fs.s3a.endpoint", "http://127.0.0.1:" + port);
    conf.set("fs.s3a.path.style.access", "true");
    conf.set("fs.s3a.connection.ssl.enabled", "false");
    conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set("fs.s3a.access.key", ACCESS_KEY);
    conf.set("fs.s3a.secret.key", SECRET_KEY);
    conf.set("fs.s3a.endpoint.region", "us-east-1");
    conf.set("fs.s3a.attempts.maximum", "2");
    conf.set("fs.s3a.retry.limit", "2");
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    conf.set("fs.s3a.connection.timeout", "20000");
  }

  /**
   * S3A settings for one bucket only (`fs.s3a.bucket.<bucket>.*`), pointing at 127.0.0.1:`port`: this server,
   * or a proxy in front of it. Other tests' buckets in the same JVM keep their own settings.
   */
  public static void configureBucket(Configuration conf, String bucket, int port) {
    String b = "fs.s3a.bucket." + bucket + ".";
    conf.set(b + "endpoint", "http://127.0.0.1:" + port);
    conf.set(b + "path.style.access", "true");
    conf.set(b + "connection.ssl.enabled", "false");
    conf.set(b + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set(b + "access.key", ACCESS_KEY);
    conf.set(b + "secret.key", SECRET_KEY);
    conf.set(b + "endpoint.region", "us-east-1");
  }

  /**
   * The `spark.hadoop.fs.s3a.*` settings of conf/spark-defaults.conf (what a deployed job runs with) as
   * per-bucket settings of `bucket`, but the credentials chain: tests give their keys; and its
   * `spark.hadoop.parquet.*` settings, which Parquet reads from the same Hadoop configuration.
   */
  public static void applySparkDefaults(Configuration conf, String bucket) throws IOException {
    for (String line : Files.readAllLines(TestData.root().resolve("conf/spark-defaults.conf"))) {
      if (line.startsWith("spark.hadoop.fs.s3a.") && !line.startsWith("spark.hadoop.fs.s3a.aws.credentials")) {
        String[] kv = line.substring("spark.hadoop.fs.s3a.".length()).split("\\s+", 2);
        conf.set("fs.s3a.bucket." + bucket + "." + kv[0], kv[1].trim());
      } else if (line.startsWith("spark.hadoop.parquet.")) {
        String[] kv = line.substring("spark.hadoop.".length()).split("\\s+", 2);
        conf.set(kv[0], kv[1].trim());
      }
    }
  }

  /** Whether S3A runs on AWS SDK v2 (Hadoop 3.4 and later: the Spark 4 line) rather than SDK v1 (Hadoop 3.3). */
  public static boolean hadoopUsesSdkV2() {
    String[] v = org.apache.hadoop.util.VersionInfo.getVersion().split("\\.");
    int major = Integer.parseInt(v[0]);
    return major > 3 || (major == 3 && Integer.parseInt(v[1]) >= 4);
  }

  /** The credentials provider interface S3A loads providers as on this Hadoop. */
  public static String providerInterface() {
    return hadoopUsesSdkV2() ? "software.amazon.awssdk.auth.credentials.AwsCredentialsProvider"
        : "com.amazonaws.auth.AWSCredentialsProvider";
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
