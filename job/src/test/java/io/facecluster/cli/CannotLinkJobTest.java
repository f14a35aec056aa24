package io.facecluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.image.OpenCv;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Same-photo faces never share a cluster, through the job with its default graph clustering: the nine annotated
 * dlib-voc group photos and the two deepface photos, plus a photo made of one LFW face twice side by side
 * (two faces of one person in one photo: without cannot-link they are each other's best match) and three
 * other photos of that person, which link both copies into one component that must be cut.
 */
class CannotLinkJobTest extends SparkTestBase {
  @TempDir
  static Path tmp;
  static JsonNode summary;

  @BeforeAll
  static void runOnGroupPhotos() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    try (var photos = Files.list(TestData.groupPhotos().resolve("dlib-voc"))) {
      for (Path p : photos.filter(p -> p.toString().endsWith(".jpg")).toList()) {
        Files.copy(p, in.resolve(p.getFileName()));
      }
    }
    for (String name : List.of("couple.jpg", "selfie-many-people.jpg")) {
      Files.copy(TestData.groupPhotos().resolve("deepface").resolve(name), in.resolve(name));
    }
    OpenCv.ensureLoaded();
    Mat face = Imgcodecs.imread(TestData.lfwImage("Colin_Powell", 1).toString());
    Mat twice = new Mat();
    Core.hconcat(List.of(face, face), twice);
    Imgcodecs.imwrite(in.resolve("powell-twice.jpg").toString(), twice);
    for (int i = 2; i <= 4; i++) {
      Files.copy(TestData.lfwImage("Colin_Powell", i), in.resolve("powell-" + i + ".jpg"));
    }
    String out = tmp.resolve("out").toString();
    JobRunner.run(in.toString(), out, "--run-id", "cl");
    summary = new ObjectMapper().readTree(Files.readString(Path.of(out, "runs/run_id=cl/summary.json")));
    spark.read().parquet(out + "/faces").createOrReplaceTempView("cl_faces");
    spark.read().parquet(out + "/clusters").createOrReplaceTempView("cl_clusters");
  }

  @Test
  void noPhotoHasTwoFacesInOneCluster() {
    assertThat(summary.at("/cluster/method").asText()).as("default method without --k").isEqualTo("graph");
    // 43 annotated dlib-voc faces, 2 + 6 deepface faces, 2 + 3 of Colin Powell (measured: 58).
    assertThat(sql("SELECT count(*) FROM cl_faces")).as("faces found in the 16 photos")
        .allSatisfy(r -> assertThat((Long) r[0]).isGreaterThanOrEqualTo(56L));
    assertThat(sql("SELECT f.path, c.cluster_id, count(*) FROM cl_faces f JOIN cl_clusters c USING (face_id) "
        + "WHERE c.cluster_id <> -1 GROUP BY f.path, c.cluster_id HAVING count(*) > 1"))
        .as("(photo, cluster) pairs holding more than one face").isEmpty();
  }

  @Test
  void thePersonTwiceInOnePhotoIsCutApartAndStillClustered() {
    assertThat(sql("SELECT count(*) FROM cl_faces WHERE path LIKE '%%powell-twice.jpg' AND gate IS NULL"))
        .as("two clusterable faces in the doubled photo").containsExactly(row(2L));
    // One copy stays with the three other photos of Colin Powell; the other copy is cut out.
    assertThat(sql("SELECT c.cluster_id, count(*) AS n, sum(CASE WHEN f.path LIKE '%%powell-twice.jpg' THEN 1 "
        + "ELSE 0 END) FROM cl_faces f JOIN cl_clusters c USING (face_id) WHERE f.path LIKE '%%powell-%%' "
        + "AND c.cluster_id <> -1 GROUP BY c.cluster_id ORDER BY n DESC LIMIT 1"))
        .as("largest Powell cluster: the three photos and one copy")
        .allSatisfy(r -> assertThat(new Object[] {r[1], r[2]}).containsExactly(4L, 1L));
    assertThat(summary.at("/cluster/stats/components_split").asLong()
        + summary.at("/cluster/stats/faces_cut_for_cannot_link").asLong())
        .as("the component holding both copies was split or a copy cut").isPositive();
  }
}
