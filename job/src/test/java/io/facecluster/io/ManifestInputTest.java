package io.facecluster.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest as input in person mode: relative and absolute paths, whole-image crops and boxes (two boxes of one
 * image = two persons), a listed file that does not exist (an `error` row, the job goes on), and a malformed
 * line (the job refuses to start).
 */
class ManifestInputTest extends SparkTestBase {
  @TempDir
  static Path tmp;

  @Test
  void personBoxesFromAManifest() throws Exception {
    Path reid = TestData.shared().resolve("data/person-reid/0008");
    List<Path> crops;
    try (var s = Files.list(reid)) {
      crops = s.sorted().limit(3).toList();
    }
    Files.createDirectories(tmp.resolve("m/crops"));
    Files.copy(crops.get(0), tmp.resolve("m/crops/a.jpg"));
    Files.copy(crops.get(1), tmp.resolve("m/crops/b.jpg"));
    Path photo = TestData.groupPhotos().resolve("dlib-voc/2008_002506.jpg");
    Files.writeString(tmp.resolve("m/list.tsv"), String.join("\n",
        "# path, or path and a box x1 y1 x2 y2",
        "crops/a.jpg",
        "crops/b.jpg",
        crops.get(2) + "\t0\t0\t64\t64",
        crops.get(2) + "\t0\t64\t64\t128",
        photo + "\t10\t20\t110\t220",
        photo + "\t200\t20\t300\t220",
        "crops/missing.jpg", ""));
    Path out = tmp.resolve("out");
    JobRunner.run(tmp.resolve("m/list.tsv").toString(), out.toString(), "--run-id", "m", "--mode", "person",
        "--input-manifest", "true", "--k", "2");
    assertThat(sql("SELECT status, count(*), sum(face_count) FROM parquet.`%s` GROUP BY status ORDER BY status",
        out.resolve("images"))).as("one row per listed image: 4 ok with 6 persons, the missing file an error")
        .containsExactly(row("error", 1L, 0L), row("ok", 4L, 6L));
    assertThat(sql("SELECT reason FROM parquet.`%s` WHERE path LIKE '%%%s'", out.resolve("images"), "2008_002506.jpg"))
        .as("reason of the photo with two boxes").containsExactly(row("2 boxes from the manifest"));
    assertThat(sql("SELECT cast(box AS string) FROM parquet.`%s` WHERE path LIKE '%%%s' ORDER BY box[0]",
        out.resolve("faces"), "2008_002506.jpg")).as("the manifest's boxes are the persons' boxes")
        .containsExactly(row("[10.0, 20.0, 110.0, 220.0]"), row("[200.0, 20.0, 300.0, 220.0]"));
    assertThat(sql("SELECT count(*) FROM parquet.`%s` WHERE path LIKE '%%/m/crops/a.jpg'", out.resolve("images")))
        .as("relative paths resolved against the manifest's folder").containsExactly(row(1L));
  }

  @Test
  void aRepeatedLineOrBoxGivesOneImageRowAndNoDuplicateFaceId() throws Exception {
    Path crop = TestData.shared().resolve("data/person-reid/0008");
    try (var s = Files.list(crop)) {
      crop = s.sorted().findFirst().orElseThrow();
    }
    Path photo = TestData.groupPhotos().resolve("dlib-voc/2008_002506.jpg");
    Files.createDirectories(tmp.resolve("dup"));
    Files.writeString(tmp.resolve("dup/list.tsv"), String.join("\n",
        crop.toString(),
        crop.toString(),
        photo + "\t10\t20\t110\t220",
        photo + "\t200\t20\t300\t220",
        photo + "\t10\t20\t110\t220",
        // 0.2 px off the first box: the same whole-pixel box, so the same face_id
        photo + "\t10.2\t20\t110\t220", ""));
    Path out = tmp.resolve("dup-out");
    JobRunner.run(tmp.resolve("dup/list.tsv").toString(), out.toString(), "--run-id", "dup", "--mode", "person",
        "--input-manifest", "true", "--k", "2");
    assertThat(sql("SELECT count(*), count(DISTINCT path), sum(face_count) FROM parquet.`%s`", out.resolve("images")))
        .as("images rows, distinct paths, faces: each image once, the photo with its 2 distinct boxes")
        .containsExactly(row(2L, 2L, 3L));
    assertThat(sql("SELECT count(*), count(DISTINCT face_id) FROM parquet.`%s`", out.resolve("faces")))
        .as("faces rows and distinct face_ids").containsExactly(row(3L, 3L));
    assertThat(sql("SELECT reason FROM parquet.`%s` WHERE path LIKE '%%%s'", out.resolve("images"), "2008_002506.jpg"))
        .as("reason of the photo listed with 4 boxes, 2 of them distinct")
        .containsExactly(row("2 boxes from the manifest"));
  }

  @Test
  void malformedManifestLineStopsTheJobAtStart() throws Exception {
    Files.createDirectories(tmp.resolve("bad"));
    Files.writeString(tmp.resolve("bad/list.tsv"), "a.jpg\t1\t2\n");
    JobRunner.Result r = JobRunner.main("run", "--input", tmp.resolve("bad/list.tsv").toString(), "--output",
        tmp.resolve("bad-out").toString(), "--models-dir", TestData.modelsDir(), "--mode", "person",
        "--input-manifest", "true", "--k", "2");
    assertThat(r.code()).as("exit code").isEqualTo(2);
    assertThat(r.err()).as("stderr").startsWith("facecluster: error: Input manifest ")
        .contains("cannot parse line 'a.jpg\t1\t2'");
  }
}
