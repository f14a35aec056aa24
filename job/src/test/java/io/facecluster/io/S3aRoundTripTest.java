package io.facecluster.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.IdentityClusters;
import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.udfs.SparkTestBase;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole job from s3a:// to s3a:// against a real S3 server on 127.0.0.1, results read back over S3A. */
class S3aRoundTripTest extends SparkTestBase {
  @TempDir
  static java.nio.file.Path tmp;
  static S3ProxyServer s3;

  @BeforeAll
  static void startS3AndUpload() throws Exception {
    s3 = S3ProxyServer.start(tmp.resolve("s3"), "photos");
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    s3.configure(conf);
    FileSystem fs = new Path("s3a://photos/").getFileSystem(conf);
    for (String name : List.of("Colin_Powell", "Tony_Blair")) {
      for (int i = 1; i <= 3; i++) {
        java.nio.file.Path local = TestData.lfwImage(name, i);
        try (var out = fs.create(new Path("s3a://photos/in/" + name + "/" + local.getFileName()))) {
          out.write(java.nio.file.Files.readAllBytes(local));
        }
      }
    }
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void readsModelSpecsAndFilesFromS3() throws Exception {
    FileSystem fs = new Path("s3a://photos/").getFileSystem(spark.sparkContext().hadoopConfiguration());
    java.nio.file.Path models = java.nio.file.Path.of(TestData.modelsDir());
    for (String f : List.of("retinaface-mnet025.json", "retinaface-mnet025/retinaface_mnet025_dynamic.onnx",
        "mobilefacenet-paddlex.json", "mobilefacenet-paddlex/mobilefacenet_paddlex_ms1mv3_128d.onnx")) {
      try (var out = fs.create(new Path("s3a://photos/models/" + f))) {
        out.write(java.nio.file.Files.readAllBytes(models.resolve(f)));
      }
    }
    JobRunner.Result r = JobRunner.main("run", "--input", "s3a://photos/in", "--output", "s3a://photos/out-m",
        "--run-id", "m", "--models-dir", "s3a://photos/models", "--embedder", "mobilefacenet-paddlex");
    assertThat(r.code()).as("exit code; stderr %s", r.err()).isZero();
    assertThat(sql("SELECT count(*), sum(CASE WHEN status = 'ok' THEN 1 ELSE 0 END) FROM parquet.`%s`",
        "s3a://photos/out-m/images")).as("photos embedded with models read over S3A").containsExactly(row(6L, 6L));
    String summary = new String(fs.open(new Path("s3a://photos/out-m/runs/run_id=m/summary.json")).readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(summary).as("summary.json names the model files on S3")
        .contains("s3a://photos/models/retinaface-mnet025/retinaface_mnet025_dynamic.onnx")
        .contains("s3a://photos/models/mobilefacenet-paddlex/mobilefacenet_paddlex_ms1mv3_128d.onnx");
  }

  @Test
  void runsFromS3ToS3() throws Exception {
    JobRunner.Result r = JobRunner.run("s3a://photos/in", "s3a://photos/out", "--run-id", "s3");
    assertThat(r.out()).as("printed summary").contains("files").contains("faces");

    spark.read().parquet("s3a://photos/out/images").createOrReplaceTempView("s3_images");
    spark.read().parquet("s3a://photos/out/faces").createOrReplaceTempView("s3_faces");
    spark.read().parquet("s3a://photos/out/clusters").createOrReplaceTempView("s3_clusters");
    assertThat(sql("SELECT count(*), sum(CASE WHEN status = 'ok' THEN 1 ELSE 0 END) FROM s3_images"))
        .as("one images row per uploaded photo, all ok").containsExactly(row(6L, 6L));
    assertThat(sql("SELECT count(*) FROM s3_images WHERE path NOT LIKE 's3a://photos/in/%%'"))
        .as("paths are s3a:// URIs").containsExactly(row(0L));
    // The main (largest) face of each photo clusters with the same person's other photos, and only with them.
    List<Object[]> perPerson =
        sql(IdentityClusters.mainFacesPerPerson("s3_faces", "s3_clusters", "s3", "in/([^/]+)/"));
    assertThat(perPerson).as("main faces and clusters per person").hasSize(2)
        .allSatisfy(p -> assertThat(p).as("photos, clusters of %s", p[0]).startsWith(p[0], 3L, 1L));
    assertThat(perPerson.get(0)[3]).as("Powell's and Blair's clusters differ").isNotEqualTo(perPerson.get(1)[3]);
    FileSystem fs = new Path("s3a://photos/").getFileSystem(spark.sparkContext().hadoopConfiguration());
    assertThat(fs.exists(new Path("s3a://photos/out/runs/run_id=s3/summary.json"))).as("summary.json written to S3").isTrue();
  }
}
