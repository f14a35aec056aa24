package io.facecluster.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.io.S3ProxyServer;
import io.facecluster.udfs.SparkTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run` from s3a:// to s3a:// on a real S3 server (127.0.0.1): report.html written there, thumbnails read there. */
class S3aReportTest extends SparkTestBase {
  @TempDir
  java.nio.file.Path tmp;

  @Test
  void writesTheReportToS3WithThumbnailsReadOverS3a() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start(tmp.resolve("s3"), "reports")) {
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      s3.configure(conf);
      FileSystem fs = new Path("s3a://reports/").getFileSystem(conf);
      for (int i = 1; i <= 2; i++) {
        java.nio.file.Path local = TestData.lfwImage("Colin_Powell", i);
        try (var out = fs.create(new Path("s3a://reports/in/" + local.getFileName()))) {
          out.write(Files.readAllBytes(local));
        }
      }
      try (var out = fs.create(new Path("s3a://reports/in/empty.jpg"))) {
        out.write(new byte[0]);
      }
      JobRunner.Result r = JobRunner.run("s3a://reports/in", "s3a://reports/out", "--run-id", "s3");
      assertThat(r.out()).as("printed report path").contains("report:  s3a://reports/out/runs/run_id=s3/report.html");
      String html = new String(fs.open(new Path("s3a://reports/out/runs/run_id=s3/report.html")).readAllBytes(),
          StandardCharsets.UTF_8);
      long faces = (Long) sql("SELECT count(*) FROM parquet.`s3a://reports/out/faces` WHERE run_id = 's3'")
          .get(0)[0];
      assertThat(faces).as("faces found in the two portraits").isGreaterThanOrEqualTo(2);
      assertThat(html).as("summary tiles").contains("id=\"count-files\"><b>3</b>", "id=\"count-error\"><b>1</b>",
          "id=\"count-faces\"><b>" + faces + "</b>");
      assertThat(html).as("the empty file's s3a path and reason")
          .contains("s3a://reports/in/empty.jpg", "empty file (0 bytes)");
      assertThat(Pattern.compile("<img src=\"data:image/jpeg;base64,").matcher(html).results().count())
          .as("one thumbnail per face, cut from the images on S3").isEqualTo(faces);
      assertThat(html).as("no thumbnail failed").doesNotContain("class=\"missing\"");
      assertThat(List.of(fs.listStatus(new Path("s3a://reports/out/runs/run_id=s3/"))).stream()
          .map(s -> s.getPath().getName()).toList()).as("objects of the run's own folder").contains("report.html",
              "summary.json");
    }
  }
}
