package io.facecluster.notebooks;

import static io.facecluster.notebooks.NotebookOutputs.RUN_ID;
import static io.facecluster.notebooks.NotebookOutputs.KILLED_ID;
import static io.facecluster.notebooks.NotebookOutputs.fileName;
import static io.facecluster.notebooks.NotebookOutputs.isSquare;
import static io.facecluster.notebooks.NotebookOutputs.rows;
import static io.facecluster.notebooks.NotebookOutputs.thumbnails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facecluster.TestData;
import io.facecluster.output.Schemas;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The notes of notebooks/ as Zeppelin JSON, and every SQL paragraph of the run overview and the
 * cluster browser on real job output ({@link NotebookOutputs}), checked against the run's summary.json
 * and the sample's known faces. A paragraph whose SQL fails fails the test.
 */
class NotebookSqlTest extends SparkTestBase {
  /** A call of a function of the udfs jar. */
  static final String UDF_CALL =
      "(?s).*\\b(cosine_similarity|euclidean_distance|l2_normalize|bbox_iou|face_thumbnail)\\s*\\(.*";

  static NotebookOutputs out;

  @BeforeAll
  static void outputs() throws Exception {
    out = NotebookOutputs.get();
  }

  @Test
  void everyNoteIsZeppelinJsonWithSqlToRun() {
    assertThat(out.notes).as("notes in notebooks/").extracting(ZeppelinNote::name).containsExactly(
        "facecluster/1. Run overview", "facecluster/2. Cluster browser", "facecluster/3. Verification results",
        "facecluster/4. Who is this face like", "facecluster/5. Persons");
    int[] minimumSql = {10, 7, 11, 5, 14};
    for (int i = 0; i < out.notes.size(); i++) {
      ZeppelinNote note = out.notes.get(i);
      String n = note.file().getFileName().toString();
      assertThat(note.sql()).as("%s: SQL paragraphs", n).hasSizeGreaterThanOrEqualTo(minimumSql[i]);
      assertThat(note.paragraphs()).as("%s: interpreters", n)
          .allSatisfy(p -> assertThat(p.interpreter()).isIn("md", "spark", "spark.sql"));
      List<String> titles = note.paragraphs().stream().map(ZeppelinNote.Paragraph::title).toList();
      assertThat(titles).as("%s: titles (results are found by title)", n).doesNotContain("")
          .doesNotHaveDuplicates();
      assertThat(note.sql()).as("%s: every form has a default, so the note runs as imported", n)
          .allSatisfy(p -> assertThat(p.forms().values()).allSatisfy(f -> assertThat(f.getDefaultValue())
              .as("default of form '%s' in '%s'", f.getName(), p.title()).isNotNull()));
      Set<String> forms = new TreeSet<>();
      note.sql().forEach(p -> forms.addAll(p.forms().keySet()));
      assertThat(readmeForms(n.replace(".zpln", ""))).as("%s: forms listed in the README's Notebooks table", n)
          .isEqualTo(forms);
      // The job registers the functions on the tests' session too: a note that forgot to is caught here.
      int register = titles.indexOf("Functions of the udfs jar");
      for (int k = 0; k < note.paragraphs().size(); k++) {
        ZeppelinNote.Paragraph p = note.paragraphs().get(k);
        if (p.isSql() && p.body().matches(UDF_CALL)) {
          assertThat(register).as("%s: '%s' calls udfs; the registration paragraph comes first", n, p.title())
              .isBetween(0, k - 1);
        }
      }
    }
  }

  @Test
  void aBrokenParagraphFailsTheRun() throws Exception {
    ZeppelinNote misspelt = edited("1-run-overview", "Counts", "status = 'ok'", "state = 'ok'");
    assertThatThrownBy(() -> NoteRunner.run(spark, misspelt, Map.of("output", out.runOut)))
        .as("a misspelt column").isInstanceOf(AssertionError.class)
        .hasMessageContaining("paragraph 'Counts' failed").hasMessageContaining("state");
    assertThat(spark.catalog().tableExists("run_images")).as("views of the failed note dropped").isFalse();
    ZeppelinNote large = edited("4-who-is-this-face-like", "Find a face", "f.box, 28)", "f.box, 200)");
    assertThatThrownBy(() -> NoteRunner.run(spark, large, Map.of("output", out.runOut)))
        .as("27 thumbnails of 200 px").isInstanceOf(AssertionError.class)
        .hasMessageContaining("paragraph 'Find a face'").hasMessageContaining("which Zeppelin cuts at 102400");
  }

  /** The backquoted names in the last cell of the README's table row for a note. */
  private static Set<String> readmeForms(String note) {
    String readme;
    try {
      readme = Files.readString(TestData.root().resolve("README.md"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String row = readme.lines().filter(l -> l.startsWith("| `" + note + "` |")).findFirst()
        .orElseThrow(() -> new AssertionError("README: no Notebooks table row for " + note));
    String cell = row.substring(row.lastIndexOf('|', row.length() - 2) + 1);
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("`([^`]+)`").matcher(cell);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** A copy of a note with one replacement in one paragraph's text. */
  private static ZeppelinNote edited(String note, String title, String from, String to) throws Exception {
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(out.note(note).file().toFile());
    int edits = 0;
    for (JsonNode p : json.get("paragraphs")) {
      String text = p.get("text").asText();
      if (p.get("title").asText().equals(title) && text.contains(from)) {
        ((ObjectNode) p).put("text", text.replace(from, to));
        edits++;
      }
    }
    assertThat(edits).as("paragraphs edited").isEqualTo(1);
    Path copy = out.dir.resolve("edited-" + note + ".zpln");
    new ObjectMapper().writeValue(copy.toFile(), json);
    return ZeppelinNote.read(copy);
  }

  @Test
  void runOverview() {
    NoteRunner.Run run = NoteRunner.run(spark, out.note("1-run-overview"), Map.of("output", out.runOut));
    assertRunViews(run);
    run.assertEveryQueryHasRows("Tables of one run");
    JsonNode c = out.runSummary.get("counts");
    assertThat(rows(run, "Selected run")).as("latest of two committed runs (%s has no marker)", KILLED_ID)
        .containsExactly(
        row(RUN_ID, c.get("files").asLong(), c.get("faces").asLong(), 2L));
    assertThat(rows(run, "Runs in this output")).as("both committed runs, newest first").containsExactly(
        row(RUN_ID, 25L, 21L, 27L), row("a-group", 1L, 1L, 6L));
    assertThat(rows(run, "Counts")).as("summary.json counts of the run").containsExactly(row(
        c.get("files").asLong(), c.get("ok").asLong(), c.get("no_face").asLong(), c.get("error").asLong(),
        c.get("known").asLong(), c.get("faces").asLong(), c.get("clusters").asLong(), c.get("unclustered").asLong()));
    assertThat(rows(run, "Counts")).as("the sample's numbers (README) and 3 broken files; no library, none known")
        .containsExactly(row(25L, 21L, 1L, 3L, 0L, 27L, 5L, 7L));
    assertThat(rows(run, "Files by status")).as("status counts")
        .containsExactly(row("error", 3L), row("no_face", 1L), row("ok", 21L));
    assertThat(rows(run, "Errors by reason")).as("one broken file of each kind")
        .extracting(r -> r[0], r -> r[1], r -> fileName(r[2]))
        .containsExactly(tuple("empty file (0 bytes)", 1L, "empty.jpg"),
            tuple("not an image", 1L, "notes.jpg"), tuple("truncated JPEG", 1L, "truncated.jpg"));
    assertThat(rows(run, "Failed files")).as("failed files").extracting(r -> fileName(r[0]))
        .containsExactly("empty.jpg", "notes.jpg", "truncated.jpg");
    assertThat(rows(run, "Files without a face")).as("the sample's no-face image")
        .extracting(r -> fileName(r[0])).containsExactly("voc-2008_002506-lower-part.jpg");
    // 19 portraits with one face, one with a bystander in the background, the group photo with 6.
    assertThat(rows(run, "Faces per photo")).as("files by face count")
        .containsExactly(row(1, 19L), row(2, 1L), row(6, 1L));
    assertThat(rows(run, "Quality gates")).as("the small group-photo face is gated")
        .containsExactly(row("passed", 26L), row("face smaller than 32 px", 1L));
    List<Object[]> sizes = rows(run, "Face sizes");
    assertThat(sizes.stream().mapToLong(x -> (Long) x[1]).sum()).as("faces in 16 px steps").isEqualTo(27L);
    assertThat((Integer) sizes.get(0)[0]).as("smallest step: the gated face, under 32 px").isLessThan(32);
  }

  @Test
  void clusterBrowser() {
    NoteRunner.Run run = NoteRunner.run(spark, out.note("2-cluster-browser"), Map.of("output", out.runOut));
    assertRunViews(run);
    run.assertEveryQueryHasRows("Tables of one run");
    assertThat(rows(run, "Selected run")).as("latest run").extracting(r -> r[0]).containsExactly(RUN_ID);
    assertThat(rows(run, "Clusters at a glance")).as("the 5 people of the portraits, 4 photos each")
        .containsExactly(row(5L, 20L, 7L, 4L, 4.0));
    List<Object[]> largest = rows(run, "Largest clusters");
    assertThat(largest).as("largest clusters: 5 of 4 faces in 4 photos").hasSize(5)
        .allSatisfy(r -> assertThat(Arrays.asList(r).subList(1, 3)).containsExactly(4L, 4L));
    assertThat(largest).as("4 thumbnails of 28 px per cluster")
        .allSatisfy(r -> assertThat(thumbnails(r[3])).hasSize(4).allMatch(t -> isSquare(t, 28)));
    assertThat(rows(run, "Cluster sizes")).as("sizes in powers of two").containsExactly(row("4-7", 5L));
    List<Object[]> one = rows(run, "Faces of one cluster");
    assertThat(one).as("largest cluster (ties: smallest id): one person's 4 photos").hasSize(4)
        .allSatisfy(r -> assertThat(thumbnails(r[0])).hasSize(1).allMatch(t -> isSquare(t, 28)))
        .extracting(r -> ((String) r[3]).replaceAll(".*/lfw/([^/]+)/.*", "$1")).containsOnly(
            personOf((Long) largest.get(0)[0]));
    List<Object[]> unclustered = rows(run, "Unclustered faces");
    assertThat(unclustered).as("7 unclustered faces: why").extracting(r -> r[1]).containsExactly(
        "face smaller than 32 px", "no other face close enough", "no other face close enough",
        "no other face close enough", "no other face close enough", "no other face close enough",
        "no other face close enough");
    assertThat(unclustered).as("their thumbnails").allSatisfy(r -> assertThat(thumbnails(r[0])).hasSize(1));

    long blair = (Long) sql("SELECT DISTINCT c.cluster_id FROM parquet.`%1$s/clusters` c "
        + "JOIN parquet.`%1$s/faces` f ON f.face_id = c.face_id AND f.run_id = c.run_id WHERE c.run_id = '%2$s' "
        + "AND f.path LIKE '%%/Tony_Blair/%%' AND c.cluster_id >= 0", out.runOut, RUN_ID).get(0)[0];
    NoteRunner.Run chosen = NoteRunner.run(spark, out.note("2-cluster-browser"),
        Map.of("output", out.runOut, "run_id", RUN_ID, "cluster_id", String.valueOf(blair)));
    assertThat(rows(chosen, "Faces of one cluster")).as("cluster %d: Tony Blair's 4 photos", blair)
        .extracting(r -> r[1], r -> fileName(r[3])).containsExactly(tuple(blair, "Tony_Blair_0001.jpg"),
            tuple(blair, "Tony_Blair_0002.jpg"), tuple(blair, "Tony_Blair_0003.jpg"),
            tuple(blair, "Tony_Blair_0004.jpg"));
  }

  /** The person whose photos hold the faces of a cluster (from the run's tables, not the notes). */
  private static String personOf(long cluster) {
    List<Object[]> people = sql("SELECT DISTINCT regexp_extract(f.path, '/lfw/([^/]+)/', 1) FROM "
        + "parquet.`%1$s/clusters` c JOIN parquet.`%1$s/faces` f ON f.face_id = c.face_id AND f.run_id = c.run_id "
        + "WHERE c.run_id = '%2$s' AND c.cluster_id = %3$d", out.runOut, RUN_ID, cluster);
    assertThat(people).as("people in cluster %d", cluster).hasSize(1);
    return (String) people.get(0)[0];
  }

  /** The views over the run tables declare exactly the job's schemas (names and types). */
  static void assertRunViews(NoteRunner.Run run) {
    assertSameColumns(run, "fc_images", Schemas.IMAGES);
    assertSameColumns(run, "fc_faces", Schemas.FACES);
    assertSameColumns(run, "fc_clusters", Schemas.CLUSTERS);
  }

  static void assertSameColumns(NoteRunner.Run run, String view, StructType expected) {
    assertThat(run.views()).as("views the note created").containsKey(view);
    assertThat(columns(run.views().get(view))).as("columns of %s", view).isEqualTo(columns(expected));
  }

  private static List<String> columns(StructType schema) {
    return Arrays.stream(schema.fields()).map(f -> f.name() + " " + f.dataType().simpleString()).toList();
  }
}
