package io.facecluster.io;

import static io.facecluster.io.FaultyS3Proxy.Fault.INTERNAL_ERROR;
import static io.facecluster.io.FaultyS3Proxy.Fault.RESET_BEFORE_RESPONSE;
import static io.facecluster.io.FaultyS3Proxy.Fault.RESET_MID_RESPONSE;
import static io.facecluster.io.FaultyS3Proxy.Fault.SLOW;
import static io.facecluster.io.FaultyS3Proxy.Fault.SLOW_DOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.image.OpenCv;
import io.facecluster.io.FaultyS3Proxy.Kind;
import io.facecluster.udfs.SparkTestBase;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The sample from s3a:// to s3a:// through {@link FaultyS3Proxy}: once with the faults off (the undisturbed run),
 * once with 503 SlowDown, 500, connection resets and slow answers on object GETs, LISTs, PUTs and HEADs. The job
 * finishes, its tables equal the undisturbed run's row for row, and nothing partial is left under the output.
 * S3A and the SDK run with the retry settings of conf/spark-defaults.conf, as a deployed job does.
 *
 * <p>The job's own writes are a few KB each, and S3A never splits a file below 5 MB into parts (its minimum
 * `fs.s3a.multipart.size`), so part uploads are exercised where they happen: writing a 9 MB file through the
 * same S3A client and proxy, with every second UploadPart faulted, read back byte for byte.
 */
class S3FaultsJobTest extends SparkTestBase {
  static final String BUCKET = "faulty";
  static final String RUN = "faults";
  @TempDir
  static java.nio.file.Path tmp;
  static ProxiedS3 proxied;
  static S3ProxyServer s3;
  static FaultyS3Proxy proxy;
  static FileSystem fs;

  @BeforeAll
  static void startS3BehindTheProxyAndUpload() throws Exception {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    proxied = ProxiedS3.start(tmp.resolve("s3"), "256m", BUCKET, conf);
    s3 = proxied.s3();
    proxy = proxied.proxy();
    // The smallest part size S3A accepts: a 9 MB file goes up in two parts.
    conf.set("fs.s3a.bucket." + BUCKET + ".multipart.size", "5M");
    conf.set("fs.s3a.bucket." + BUCKET + ".multipart.threshold", "5M");
    fs = new Path("s3a://" + BUCKET + "/").getFileSystem(conf);
    proxy.faults(false);
    try (Stream<java.nio.file.Path> files = Files.walk(TestData.sample())) {
      for (java.nio.file.Path f : files.filter(Files::isRegularFile).toList()) {
        put("in/" + TestData.sample().relativize(f), Files.readAllBytes(f));
      }
    }
  }

  static void put(String key, byte[] bytes) throws Exception {
    try (OutputStream out = fs.create(new Path("s3a://" + BUCKET + "/" + key))) {
      out.write(bytes);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (proxied != null) {
      proxied.close();
    }
  }

  @Test
  void theJobSurvivesFaultsAndEqualsTheUndisturbedRun() throws Exception {
    proxy.faults(false);
    JobRunner.run("s3a://" + BUCKET + "/in", "s3a://" + BUCKET + "/clean", "--run-id", RUN,
        "--input-images-per-partition", "8");
    proxy.inject(Kind.GET_OBJECT, 4, SLOW_DOWN, RESET_MID_RESPONSE, INTERNAL_ERROR, RESET_BEFORE_RESPONSE, SLOW)
        .inject(Kind.LIST, 3, SLOW_DOWN, INTERNAL_ERROR, RESET_BEFORE_RESPONSE, RESET_MID_RESPONSE)
        .inject(Kind.PUT_OBJECT, 3, SLOW_DOWN, RESET_BEFORE_RESPONSE, INTERNAL_ERROR, RESET_MID_RESPONSE, SLOW)
        .inject(Kind.HEAD, 5, SLOW_DOWN, INTERNAL_ERROR, RESET_BEFORE_RESPONSE, RESET_MID_RESPONSE);
    proxy.resetCounts();
    proxy.faults(true);
    try {
      JobRunner.run("s3a://" + BUCKET + "/in", "s3a://" + BUCKET + "/faulty", "--run-id", RUN,
          "--input-images-per-partition", "8");
    } finally {
      proxy.faults(false);
    }
    String faults = proxy.describe();
    System.out.println("S3FaultsJobTest faults injected:\n" + faults);
    for (Kind k : List.of(Kind.GET_OBJECT, Kind.LIST, Kind.PUT_OBJECT, Kind.HEAD)) {
      assertThat(proxy.injected(k)).as("faults injected into %s; %s", k, faults).isGreaterThanOrEqualTo(3);
    }
    assertThat(proxy.injected(Kind.GET_OBJECT, RESET_MID_RESPONSE)).as("image reads cut mid-body").isPositive();

    for (String table : List.of("images", "faces", "clusters")) {
      List<Object[]> clean = rows("clean", table);
      assertThat(clean).as("undisturbed %s rows", table).isNotEmpty();
      assertThat(rows("faulty", table)).as("%s rows of the run with S3 faults; %s", table, faults)
          .usingElementComparator(rowsWithin(0)).containsExactlyElementsOf(clean);
    }
    assertThat(sql("SELECT count(*) FROM parquet.`s3a://%s/faulty/images` WHERE status = 'ok'", BUCKET).get(0)[0])
        .as("images read despite the faults").isEqualTo(21L);
    assertThat(sql("SELECT count(*) - count(DISTINCT face_id) FROM parquet.`s3a://%s/faulty/faces`", BUCKET))
        .as("duplicate face_id").containsExactly(row(0L));

    List<String> keys = s3.keys(BUCKET, "faulty/");
    assertThat(keys).as("objects under the output").isNotEmpty()
        .noneMatch(k -> k.contains("_temporary") || k.contains(".spark-staging") || k.contains("__magic"))
        .anyMatch(k -> k.startsWith("faulty/faces/run_id=" + RUN + "/part-"));
    assertThat(s3.pendingUploads(BUCKET)).as("multipart uploads neither completed nor aborted").isEmpty();
  }

  @Test
  void partUploadsSurviveFaults() throws Exception {
    OpenCv.ensureLoaded();
    // A real photo, enlarged and stored uncompressed: 1800 x 1800 x 3 bytes, two 5 MB parts.
    Mat photo = Imgcodecs.imread(TestData.lfwImage("Colin_Powell", 1).toString());
    Mat big = new Mat();
    Imgproc.resize(photo, big, new Size(1800, 1800));
    java.nio.file.Path bmp = tmp.resolve("big.bmp");
    assertThat(Imgcodecs.imwrite(bmp.toString(), big)).isTrue();
    byte[] bytes = Files.readAllBytes(bmp);
    assertThat(bytes.length).as("bytes of the upload").isGreaterThan(5 << 20);
    long before = proxy.requests(Kind.UPLOAD_PART);
    proxy.inject(Kind.UPLOAD_PART, 2, SLOW_DOWN, RESET_BEFORE_RESPONSE, INTERNAL_ERROR, RESET_MID_RESPONSE);
    proxy.faults(true);
    try {
      put("big/Colin_Powell.bmp", bytes);
    } finally {
      proxy.faults(false);
    }
    assertThat(proxy.requests(Kind.UPLOAD_PART) - before).as("UploadPart requests (2 parts + retries)")
        .isGreaterThanOrEqualTo(3);
    assertThat(proxy.injected(Kind.UPLOAD_PART)).as("faults injected into UploadPart").isPositive();
    try (var in = fs.open(new Path("s3a://" + BUCKET + "/big/Colin_Powell.bmp"))) {
      assertThat(in.readAllBytes()).as("the file read back").isEqualTo(bytes);
    }
    assertThat(s3.pendingUploads(BUCKET)).as("multipart uploads neither completed nor aborted").isEmpty();
  }

  /**
   * A table's rows of this run in a fixed order; images without where and how long a row was made (stage_us,
   * jvm, jvm_sessions), which differ between any two runs.
   */
  private static List<Object[]> rows(String output, String table) {
    String cols = table.equals("images") ? "path, status, reason, width, height, face_count, run_id" : "*";
    String order = table.equals("images") ? "path" : "face_id";
    return sql("SELECT %s FROM parquet.`s3a://%s/%s/%s` ORDER BY %s", cols, BUCKET, output, table, order);
  }
}
