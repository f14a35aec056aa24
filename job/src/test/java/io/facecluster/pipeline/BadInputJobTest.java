package io.facecluster.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.image.OpenCv;
import io.facecluster.udfs.SparkTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One input folder full of what real collections contain: broken, empty, disguised, grayscale, alpha, 16-bit,
 * CMYK, EXIF-rotated and oversized files. The job must finish and report each file exactly once, with the
 * status it deserves and a reason.
 */
class BadInputJobTest extends SparkTestBase {
  @TempDir
  static Path tmp;
  static Path input;
  static Map<String, Object[]> rows = new HashMap<>();

  @BeforeAll
  static void runJobOnBadInput() throws Exception {
    OpenCv.ensureLoaded();
    input = Files.createDirectories(tmp.resolve("in"));
    byte[] face = Files.readAllBytes(TestData.lfwImage("Colin_Powell", 1));
    BadImages.writeAll(input, face);
    // Not an accepted extension: must not be read at all.
    Files.writeString(input.resolve("readme.txt"), "not an input", StandardCharsets.UTF_8);
    JobRunner.run(input.toString(), tmp.resolve("out").toString(), "--run-id", "bad",
        "--image-max-pixels", "100000", "--input-images-per-partition", "4");
    spark.read().parquet(tmp.resolve("out/images").toString()).createOrReplaceTempView("bad_images");
    for (Object[] r : sql("SELECT path, status, reason, width, height, face_count FROM bad_images")) {
      rows.put(Path.of(java.net.URI.create((String) r[0])).getFileName().toString(), r);
    }
  }

  @Test
  void everyInputFileHasExactlyOneRow() throws Exception {
    long inputs;
    try (var walk = Files.walk(input)) {
      inputs = walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".txt")).count();
    }
    assertThat(sql("SELECT count(*), count(DISTINCT path) FROM bad_images"))
        .as("images rows and distinct paths == %d input files; rows: %s", inputs, rows.keySet())
        .containsExactly(row(inputs, inputs));
    assertThat(rows).as("rows by file name").containsOnlyKeys(BadImages.EXPECTED.keySet());
    assertThat(sql("SELECT count(*) FROM bad_images WHERE reason IS NULL OR reason = ''"))
        .as("rows without a reason").containsExactly(row(0L));
  }

  @Test
  void eachFileHasTheStatusItDeserves() {
    BadImages.EXPECTED.forEach((file, expected) -> {
      Object[] r = rows.get(file);
      assertThat(r).as("row for %s", file).isNotNull();
      assertThat(r[1]).as("status of %s (reason: %s)", file, r[2]).isEqualTo(expected[0]);
      assertThat((String) r[2]).as("reason for %s", file).containsIgnoringCase(expected[1]);
    });
  }

  @Test
  void decodedImagesReportTheirUprightSizeAndFindTheFace() {
    assertThat(rows.get("exif-rotated.jpg")).as("EXIF orientation 6: stored 300x250, shown 250x300")
        .containsExactly(rows.get("exif-rotated.jpg")[0], "ok", "1 face detected", 250, 300, 1);
    assertThat(rows.get("huge.jpg")).as("JPEG over image.max-pixels: decoded at 1/2, reported at full size")
        .containsExactly(rows.get("huge.jpg")[0], "ok", "1 face detected", 500, 500, 1);
    for (String f : List.of("gray.jpg", "alpha.png", "deep16.png", "cmyk.jpg", "nested/upper.JPG")) {
      Object[] r = rows.get(Path.of(f).getFileName().toString());
      assertThat(r[5]).as("faces found in %s", f).isEqualTo(1);
      assertThat(r[3]).as("width of %s", f).isEqualTo(250);
    }
  }
}
