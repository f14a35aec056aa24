package io.facecluster.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.udfs.SparkTestBase;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault that failed S3FaultsJobTest on the Spark 4 line (reading a staged chunk back): a GET cut mid-body
 * while Parquet reads its column chunks. Parquet 1.15+ (Spark 4) reads them with Hadoop's vectored IO, and on
 * Hadoop 3.5 S3AInputStream.readSingleRange completes a range exceptionally when its body breaks, with no retry,
 * so one reset fails the task. conf/spark-defaults.conf turns vectored IO off
 * (`parquet.hadoop.vectored.io.enabled`); column chunks are then read with readFully, which S3A retries. On the
 * Spark 3.5 line (Parquet 1.13) the key is unknown and the reads were never vectored.
 */
class S3aParquetResetTest extends SparkTestBase {
  static final String BUCKET = "pqreset";
  @TempDir
  static java.nio.file.Path tmp;
  static ProxiedS3 s3;
  static FaultyS3Proxy proxy;

  @BeforeAll
  static void start() throws Exception {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    s3 = ProxiedS3.start(tmp.resolve("s3"), "256m", BUCKET, conf);
    proxy = s3.proxy();
    // S3A waits 500 ms and more before retrying a broken read; the test counts on the retry, not the wait.
    conf.set("fs.s3a.bucket." + BUCKET + ".retry.interval", "10ms");
  }

  @AfterAll
  static void stop() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void parquetReadsSurviveABodyCutMidway() {
    proxy.faults(false);
    String table = "s3a://" + BUCKET + "/t";
    // One file, one row group: 2,000 pseudo-random longs and strings (about 40 KB), so each column chunk is a
    // GET long enough to be cut in the middle.
    spark.range(2_000).selectExpr("id", "xxhash64(id) AS h", "sha2(cast(id AS string), 256) AS s")
        .coalesce(1).write().mode("overwrite").parquet(table);
    List<Row> expected = spark.read().parquet(table).orderBy("id").collectAsList();

    // Every second GET delivers half of its body, then resets. The schema is given, so the footer and the
    // column chunks are the only reads.
    StructType schema = spark.read().parquet(table).schema();
    proxy.resetCounts();
    proxy.inject(FaultyS3Proxy.Kind.GET_OBJECT, 2, FaultyS3Proxy.Fault.RESET_MID_RESPONSE);
    proxy.faults(true);
    List<Row> read;
    try {
      Dataset<Row> df = spark.read().schema(schema).parquet(table).orderBy("id");
      read = df.collectAsList();
    } finally {
      proxy.faults(false);
    }
    System.out.println("S3aParquetResetTest faults injected:\n" + proxy.describe());
    assertThat(proxy.injected(FaultyS3Proxy.Kind.GET_OBJECT, FaultyS3Proxy.Fault.RESET_MID_RESPONSE))
        .as("GETs cut mid-body; %s", proxy.describe()).isGreaterThanOrEqualTo(2);
    assertThat(read).as("rows read through the resets").hasSize(2_000).containsExactlyElementsOf(expected);
  }
}
