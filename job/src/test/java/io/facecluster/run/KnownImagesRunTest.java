package io.facecluster.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.config.JobConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.output.Schemas;
import io.facecluster.pipeline.FaceSelection;
import io.facecluster.udfs.SparkTestBase;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's "known images": the bundled sample is run once; then the same folder, with one photo copied under
 * another name and one new photo, is run again knowing the first run's content hashes. The 22 files and the copy
 * come out `known` (by content, not path) with neither size, faces nor model time; the new photo alone goes
 * through the models. Every file has one row, its sha256 that of its bytes.
 */
class KnownImagesRunTest extends SparkTestBase {
  static final String KNOWN_REASON = "already in the person library (same content)";
  static final String COPY = "copies/blair-renamed.jpg";
  static final String NEW = "new/Colin_Powell_0005.jpg";

  @TempDir
  static Path tmp;
  static Path in;
  static Path out;
  /** The second run's images rows by file (relative to the input): sha256, status, reason, sizes, faces. */
  static Map<String, Object[]> second = new TreeMap<>();
  static Map<String, Map<String, Long>> secondStages = new TreeMap<>();
  static RunJob.Committed committed;

  @BeforeAll
  static void runTwice() throws Exception {
    in = tmp.resolve("in");
    TestData.copyTree(TestData.sample(), in);
    out = tmp.resolve("out");
    JobRunner.run(in.toString(), out.toString(), "--run-id", "first", "--input-images-per-partition", "4");

    Files.createDirectories(in.resolve("copies"));
    Files.copy(in.resolve("lfw/Tony_Blair/Tony_Blair_0001.jpg"), in.resolve(COPY));
    Files.createDirectories(in.resolve("new"));
    Files.copy(TestData.lfwImage("Colin_Powell", 5), in.resolve(NEW));
    Dataset<Row> known = spark.read().schema(Schemas.IMAGES).parquet(out.resolve("images").toString())
        .where("run_id = 'first'").select("sha256").distinct();
    committed = new RunJob(spark, config("second"), FaceSelection.ALL).knownImages(known).run();

    for (Row r : spark.read().schema(Schemas.IMAGES).parquet(out.resolve("images").toString())
        .where("run_id = 'second'").collectAsList()) {
      String file = relative(r.getAs("path"));
      second.put(file, new Object[] {r.getAs("sha256"), r.getAs("status"), r.getAs("reason"), r.getAs("width"),
          r.getAs("height"), r.getAs("face_count")});
      secondStages.put(file, new TreeMap<>(r.<String, Long>getJavaMap(r.fieldIndex("stage_us"))));
    }
  }

  static JobConfig config(String runId) {
    Map<String, String> cli = Map.of("input", in.toString(), "output", out.toString(), "run-id", runId,
        "models.dir", TestData.modelsDir(), "input.images-per-partition", "4");
    return JobConfig.from(ResolvedConfig.resolve(RunOptions.ALL, cli, null));
  }

  @Test
  void theSampleAndTheCopyAreKnownTheNewPhotoIsProcessed() throws Exception {
    Map<String, String> files = sha256sum(in);
    assertThat(files).as("input files of the second run").hasSize(24);
    for (String f : files.keySet()) {
      Object[] r = second.get(f);
      assertThat(r).as("row of %s", f).isNotNull();
      if (f.equals(NEW)) {
        assertThat(r).as("the new photo: through the models")
            .containsExactly(files.get(f), Schemas.OK, "1 face detected", 250, 250, 1);
      } else {
        assertThat(r).as("%s: known by content", f)
            .containsExactly(files.get(f), Schemas.KNOWN, KNOWN_REASON, null, null, 0);
      }
    }
    assertThat(second.get(COPY)[0]).as("the copy has the original's hash")
        .isEqualTo(second.get("lfw/Tony_Blair/Tony_Blair_0001.jpg")[0]);
  }

  @Test
  void knownFilesHaveOnlyTheReadTimeAndNoFaces() {
    secondStages.forEach((f, stages) -> {
      if (f.equals(NEW)) {
        assertThat(stages.keySet()).as("stages of the new photo").containsExactly("align", "decode", "detect",
            "detect_run", "embed", "embed_run", "read");
        assertThat(List.of(stages.get("read"), stages.get("decode"), stages.get("detect"), stages.get("embed")))
            .as("read, decode, detect and embed time of the new photo, us").allSatisfy(t -> assertThat(t).isPositive());
      } else {
        assertThat(stages.keySet()).as("stages of known %s", f).containsExactly("read");
        assertThat(stages.get("read")).as("read (and hash) time of %s, us", f).isPositive();
      }
    });
    assertThat(sql("SELECT path, count(*) FROM parquet.`%s` WHERE run_id = 'second' GROUP BY path",
        out.resolve("faces"))).as("faces of the second run: the new photo's only")
        .extracting(r -> relative((String) r[0]), r -> r[1]).containsExactly(
            org.assertj.core.api.Assertions.tuple(NEW, 1L));
  }

  @Test
  void everyFileOnceWithTheSha256OfItsBytesInBothRuns() throws Exception {
    Map<String, String> files = sha256sum(in);
    for (String run : List.of("first", "second")) {
      Map<String, String> hashes = new TreeMap<>();
      for (Object[] r : sql("SELECT path, sha256 FROM parquet.`%s` WHERE run_id = '%s'", out.resolve("images"),
          run)) {
        assertThat(hashes.put(relative((String) r[0]), (String) r[1])).as("%s: a second row for %s", run, r[0])
            .isNull();
      }
      Map<String, String> expected = new TreeMap<>(files);
      if (run.equals("first")) {
        expected.keySet().removeAll(List.of(COPY, NEW));
      }
      assertThat(hashes).as("%s: sha256 by file = sha256sum of its bytes", run).isEqualTo(expected);
    }
  }

  @Test
  void countsSummaryAndReportShowTheKnownFiles() throws Exception {
    JsonNode first = new ObjectMapper().readTree(out.resolve("runs/run_id=first/summary.json").toFile());
    assertThat(first.get("counts").toString()).as("counts of the first run: nothing known")
        .isEqualTo("{\"files\":22,\"ok\":21,\"no_face\":1,\"error\":0,\"known\":0,\"faces\":27,\"gated\":1,"
            + "\"clusters\":5,\"unclustered\":7}");
    JsonNode summary = new ObjectMapper().readTree(out.resolve("runs/run_id=second/summary.json").toFile());
    assertThat(summary.get("counts").toString()).as("counts of the second run")
        .isEqualTo("{\"files\":24,\"ok\":1,\"no_face\":0,\"error\":0,\"known\":23,\"faces\":1,\"gated\":0,"
            + "\"clusters\":0,\"unclustered\":1}");
    assertThat(committed.summary().counts().errorShare()).as("error share of the one processed file").isZero();
    String html = Files.readString(Path.of(committed.report()));
    assertThat(html).as("report: the known tile and its reason row")
        .contains("<div class=\"stat\" id=\"count-known\"><b>23</b>known</div>")
        .contains("<tr><td>known</td><td>" + KNOWN_REASON + "</td><td class=\"n\">23</td></tr>");
    assertThat(html).as("report: known files are not listed by path").doesNotContain("blair-renamed");
  }

  /** A path of the images table (a file: URI) relative to the input folder. */
  static String relative(String uri) {
    return in.relativize(Path.of(URI.create(uri))).toString();
  }

  /** What `sha256sum` prints for each image file under `dir` (README.md is not an input: wrong extension). */
  static Map<String, String> sha256sum(Path dir) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".jpg"))::iterator) {
        m.put(dir.relativize(p).toString(),
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return m;
  }

}
