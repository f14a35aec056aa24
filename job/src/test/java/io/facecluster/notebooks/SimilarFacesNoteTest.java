package io.facecluster.notebooks;

import static io.facecluster.notebooks.NotebookOutputs.RUN_ID;
import static io.facecluster.notebooks.NotebookOutputs.rows;
import static io.facecluster.notebooks.NotebookOutputs.thumbnails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.facecluster.udfs.SparkTestBase;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every SQL paragraph of "who is this face like" on the sample's real faces ({@link NotebookOutputs}):
 * the ranking and similarities recomputed here in Java from the stored embeddings, and the people of
 * the sample: the faces most like one portrait are that person's other portraits.
 */
class SimilarFacesNoteTest extends SparkTestBase {
  static NotebookOutputs out;
  /** face_id -> {embedding, cluster id, path}: the run's 27 faces, a small aggregate. */
  static Map<String, Object[]> faces;

  @BeforeAll
  static void outputs() throws Exception {
    out = NotebookOutputs.get();
    faces = new HashMap<>();
    for (Object[] r : sql("SELECT f.face_id, f.embedding, c.cluster_id, f.path FROM parquet.`%1$s/faces` f "
        + "JOIN parquet.`%1$s/clusters` c ON c.face_id = f.face_id AND c.run_id = f.run_id "
        + "WHERE f.run_id = '%2$s'", out.runOut, RUN_ID)) {
      faces.put((String) r[0], new Object[] {r[1], r[2], r[3]});
    }
  }

  /** Cosine of two stored embeddings: double sums, rounded to float once (as the udf documents). */
  static float cosine(String a, String b) {
    @SuppressWarnings("unchecked")
    List<Float> x = (List<Float>) faces.get(a)[0];
    @SuppressWarnings("unchecked")
    List<Float> y = (List<Float>) faces.get(b)[0];
    double dot = 0;
    double xx = 0;
    double yy = 0;
    for (int i = 0; i < x.size(); i++) {
      dot += (double) x.get(i) * y.get(i);
      xx += (double) x.get(i) * x.get(i);
      yy += (double) y.get(i) * y.get(i);
    }
    return (float) Math.min(1.0, dot / (Math.sqrt(xx) * Math.sqrt(yy)));
  }

  static String mainFaceOf(String file) {
    return (String) sql("SELECT face_id FROM parquet.`%s/faces` WHERE run_id = '%s' AND path LIKE '%%/%s' "
        + "ORDER BY (box[2] - box[0]) * (box[3] - box[1]) DESC LIMIT 1", out.runOut, RUN_ID, file).get(0)[0];
  }

  @Test
  void facesMostLikeOnePortrait() {
    assertThat(faces).as("faces of the run").hasSize(27);
    String powell = mainFaceOf("Colin_Powell_0001.jpg");
    NoteRunner.Run run = NoteRunner.run(spark, out.note("4-who-is-this-face-like"),
        Map.of("output", out.runOut, "path_contains", "Colin_Powell", "face_id", powell));
    NotebookSqlTest.assertRunViews(run);
    run.assertEveryQueryHasRows("Tables of one run");
    assertThat(rows(run, "Selected run")).as("latest run").extracting(r -> r[0]).containsExactly(RUN_ID);

    List<Object[]> found = rows(run, "Find a face");
    assertThat(found).as("faces in Colin Powell's photos").isNotEmpty()
        .allSatisfy(r -> assertThat((String) r[2]).contains("/Colin_Powell/"))
        .allSatisfy(r -> assertThat(thumbnails(r[0])).hasSize(1));
    assertThat(found.stream().map(r -> r[2]).distinct().count()).as("his 4 photos").isEqualTo(4);

    List<Object[]> similar = rows(run, "Most similar faces");
    List<String> expected = faces.keySet().stream()
        .sorted(Comparator.comparing((String f) -> -cosine(powell, f)).thenComparing(f -> f))
        .limit(20).toList();
    assertThat(similar).as("top 20 by similarity, as recomputed in Java").extracting(r -> (String) r[2])
        .containsExactlyElementsOf(expected);
    assertThat(similar).as("similarities, as recomputed")
        .allSatisfy(r -> assertThat((Float) r[1]).isCloseTo(cosine(powell, (String) r[2]), within(1e-6f)));
    assertThat(similar.get(0)).as("the face itself first").satisfies(r -> {
      assertThat(r[2]).isEqualTo(powell);
      assertThat((Float) r[1]).isCloseTo(1f, within(1e-6f));
    });
    assertThat(similar.subList(1, 4)).as("then his other three portraits")
        .extracting(r -> ((String) r[4]).replaceAll(".*/", ""))
        .containsExactlyInAnyOrder("Colin_Powell_0002.jpg", "Colin_Powell_0003.jpg", "Colin_Powell_0004.jpg");
    assertThat(similar).as("cluster ids of the faces")
        .allSatisfy(r -> assertThat(r[3]).isEqualTo(faces.get((String) r[2])[1]));
    assertThat(similar).as("thumbnails").allSatisfy(r -> assertThat(thumbnails(r[0])).hasSize(1));

    long cluster = (Long) faces.get(powell)[1];
    Map<Long, List<String>> members = faces.keySet().stream()
        .filter(f -> (Long) faces.get(f)[1] >= 0 && !f.equals(powell))
        .collect(Collectors.groupingBy(f -> (Long) faces.get(f)[1], TreeMap::new, Collectors.toList()));
    List<Object[]> nearest = rows(run, "Nearest clusters");
    assertThat(nearest).as("every cluster, his own first").hasSize(members.size())
        .first().satisfies(r -> assertThat(r).startsWith(cluster, 3L));
    for (Object[] r : nearest) {
      List<String> m = members.get((Long) r[0]);
      assertThat((Long) r[1]).as("faces of cluster %s without the query face", r[0]).isEqualTo(m.size());
      assertThat((Float) r[2]).as("best similarity in cluster %s", r[0])
          .isCloseTo(m.stream().map(f -> cosine(powell, f)).max(Float::compare).orElseThrow(), within(1e-6f));
      assertThat((Double) r[3]).as("mean similarity in cluster %s", r[0])
          .isCloseTo(m.stream().mapToDouble(f -> cosine(powell, f)).average().orElseThrow(), within(1e-6));
    }
  }

  @Test
  void defaultFormsTakeTheFirstFace() {
    NoteRunner.Run run = NoteRunner.run(spark, out.note("4-who-is-this-face-like"), Map.of("output", out.runOut));
    String first = faces.keySet().stream().min(String::compareTo).orElseThrow();
    assertThat(rows(run, "Find a face")).as("an empty path_contains lists every face").hasSize(27);
    assertThat(rows(run, "Most similar faces").get(0)).as("face_id 'first': the smallest face id, itself first")
        .satisfies(r -> assertThat(r[2]).isEqualTo(first))
        .satisfies(r -> assertThat((Float) r[1]).isCloseTo(1f, within(1e-6f)));
  }
}
