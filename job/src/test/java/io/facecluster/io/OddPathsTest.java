package io.facecluster.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.udfs.SparkTestBase;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real photos under file and folder names with spaces, unicode, `#`, `%` (`100%`, and `a%20b` literally, which a
 * URI would decode to `a b`), `+`, `&` and quotes, on local files and on s3a:// (S3Proxy): the names come back
 * unchanged in images.path and faces.path, the clusters join their faces, the same person's photos cluster
 * together, and the report shows every face's thumbnail under its HTML-escaped path.
 */
class OddPathsTest extends SparkTestBase {
  static final String FOLDER = "Zoë #1 100% it's";
  /** Odd name -> the real photo copied under it: four of Colin Powell, three of Tony Blair. */
  static final Map<String, java.nio.file.Path> FILES = new LinkedHashMap<>();
  static final String BUCKET = "oddpaths";
  @TempDir
  static java.nio.file.Path tmp;
  static S3ProxyServer s3;

  @BeforeAll
  static void photosUnderOddNames() throws Exception {
    FILES.put("Zoë Ünal 東京.jpg", TestData.lfwImage("Colin_Powell", 1));
    FILES.put("100%.jpg", TestData.lfwImage("Colin_Powell", 2));
    FILES.put("a%20b.jpg", TestData.lfwImage("Colin_Powell", 3));
    FILES.put("hash#tag.jpg", TestData.lfwImage("Colin_Powell", 4));
    FILES.put("it's me.jpg", TestData.lfwImage("Tony_Blair", 1));
    FILES.put("say \"cheese\" & smile.jpg", TestData.lfwImage("Tony_Blair", 2));
    FILES.put("plus+sign.jpg", TestData.lfwImage("Tony_Blair", 3));
    s3 = S3ProxyServer.start(tmp.resolve("s3"), BUCKET);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    S3ProxyServer.configureBucket(conf, BUCKET, s3.port());
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void localFiles() throws Exception {
    java.nio.file.Path folder = Files.createDirectories(tmp.resolve("in").resolve(FOLDER));
    for (Map.Entry<String, java.nio.file.Path> f : FILES.entrySet()) {
      Files.copy(f.getValue(), folder.resolve(f.getKey()));
    }
    String out = tmp.resolve("out").toString();
    JobRunner.run(tmp.resolve("in").toString(), out, "--run-id", "odd-local");
    checkRun("file:" + folder, out, "odd-local");
  }

  @Test
  void s3aObjects() throws Exception {
    FileSystem fs = new Path("s3a://" + BUCKET + "/").getFileSystem(spark.sparkContext().hadoopConfiguration());
    for (Map.Entry<String, java.nio.file.Path> f : FILES.entrySet()) {
      try (OutputStream o = fs.create(new Path("s3a://" + BUCKET + "/in/" + FOLDER + "/" + f.getKey()))) {
        o.write(Files.readAllBytes(f.getValue()));
      }
    }
    assertThat(s3.keys(BUCKET, "in/")).as("keys stored as named")
        .containsExactlyInAnyOrderElementsOf(FILES.keySet().stream().map(n -> "in/" + FOLDER + "/" + n).toList());
    String out = "s3a://" + BUCKET + "/out";
    JobRunner.run("s3a://" + BUCKET + "/in", out, "--run-id", "odd-s3");
    checkRun("s3a://" + BUCKET + "/in/" + FOLDER, out, "odd-s3");
  }

  private static void checkRun(String folder, String out, String runId) throws Exception {
    List<String> expected = FILES.keySet().stream().map(n -> folder + "/" + n).sorted().toList();
    String images = "parquet.`" + out + "/images/run_id=" + runId + "`";
    String faces = "parquet.`" + out + "/faces/run_id=" + runId + "`";
    String clusters = "parquet.`" + out + "/clusters/run_id=" + runId + "`";
    assertThat(column(sql("SELECT path FROM %s WHERE status = 'ok' ORDER BY path", images)))
        .as("images.path, all ok").containsExactlyElementsOf(expected);
    assertThat(column(sql("SELECT DISTINCT path FROM %s ORDER BY path", faces)))
        .as("faces.path: a face in every photo").containsExactlyElementsOf(expected);
    assertThat(sql("SELECT count(*), count(c.face_id) FROM %s f LEFT JOIN %s c ON f.face_id = c.face_id",
        faces, clusters)).as("faces, and faces with a clusters row").allSatisfy(r -> assertThat(r[1]).isEqualTo(r[0]));
    // The largest face of each photo: Powell's four photos form one cluster, Blair's three another.
    List<Object[]> main = sql("SELECT path, cluster_id FROM (SELECT f.path, c.cluster_id, row_number() OVER "
        + "(PARTITION BY f.path ORDER BY (f.box[2] - f.box[0]) * (f.box[3] - f.box[1]) DESC) AS r FROM %s f "
        + "JOIN %s c ON f.face_id = c.face_id) WHERE r = 1", faces, clusters);
    Map<String, Long> clusterOf = new LinkedHashMap<>();
    main.forEach(r -> clusterOf.put(((String) r[0]).substring(folder.length() + 1), (Long) r[1]));
    List<String> names = new ArrayList<>(FILES.keySet());
    assertThat(new TreeSet<>(names.subList(0, 4).stream().map(clusterOf::get).toList()))
        .as("clusters of Powell's photos %s", clusterOf).hasSize(1).doesNotContain(-1L);
    assertThat(new TreeSet<>(names.subList(4, 7).stream().map(clusterOf::get).toList()))
        .as("clusters of Blair's photos %s", clusterOf).hasSize(1).doesNotContain(-1L)
        .doesNotContain(clusterOf.get(names.get(0)));

    String html = report(out, runId);
    assertThat(html).as("report: a thumbnail that could not be cut").doesNotContain("class=\"missing\"");
    for (String p : expected) {
      assertThat(html).as("report: the thumbnail of %s under its escaped path", p)
          .containsPattern(Pattern.compile("<figure title=\"" + Pattern.quote(esc(p)) + " \\[[^\"<>]*\">"
              + "<img src=\"data:image/jpeg;base64,[A-Za-z0-9+/=]+\" alt=\"face in "
              + Pattern.quote(esc(p.substring(p.lastIndexOf('/') + 1))) + "\">"));
    }
    assertThat(html).as("report: raw quotes of a file name inside the markup").doesNotContain("say \"cheese\"")
        .doesNotContain("it's me");
  }

  /** The run's report, beside its commit marker under runs/run_id=<id>/. */
  private static String report(String out, String runId) throws Exception {
    Path path = new Path(out + "/runs/run_id=" + runId + "/report.html");
    FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    try (var in = fs.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** HTML escaping as a browser reverses it: the five characters that markup gives a meaning to. */
  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#39;");
  }

  private static List<String> column(List<Object[]> rows) {
    return rows.stream().map(r -> (String) r[0]).toList();
  }
}
