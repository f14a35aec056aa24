package io.facecluster.notebooks;

import static io.facecluster.notebooks.NotebookOutputs.fileName;
import static io.facecluster.notebooks.NotebookOutputs.isSquare;
import static io.facecluster.notebooks.NotebookOutputs.rows;
import static io.facecluster.notebooks.NotebookOutputs.thumbnails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.facecluster.TestData;
import io.facecluster.cluster.GraphClustering;
import io.facecluster.library.Recluster;
import io.facecluster.output.LibrarySchemas;
import io.facecluster.udfs.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SQL paragraph of notebooks/5-persons.zpln on a real person library: `run --library` on the bundled
 * sample in two days, as LibraryRunTest (day 1 = the first two photos of each of the five LFW persons, day 2 =
 * the whole sample). The note's numbers are checked against the runs' summary.json, the Delta tables read
 * directly, and the sample's known people; then on copies of the library: after a recluster that merges every
 * person into one, and with a table written after the last run's commit.
 */
class PersonsNoteTest extends SparkTestBase {
  static final String NOTE = "5-persons.zpln";
  static final String STATE_OK = "committed";
  /** The LFW identities of the bundled sample. */
  static final List<String> PEOPLE =
      List.of("Colin_Powell", "George_W_Bush", "Hugo_Chavez", "Serena_Williams", "Tony_Blair");

  @TempDir
  static Path tmp;
  static Path lib;
  static ZeppelinNote note;
  /** summary.json's library section (the committed library_runs row) of each day. */
  static Map<String, JsonNode> committed = new TreeMap<>();
  /** face_id -> path of every library face, read from the Delta table. */
  static Map<String, String> pathOf;

  @BeforeAll
  static void twoDays() throws Exception {
    // The suite's one two-day sample library (built once per JVM; this test only reads it, and copies it to change).
    io.facecluster.run.SampleLibrary sample = io.facecluster.run.SampleLibrary.get();
    lib = sample.library;
    Path out = sample.output;
    for (String day : List.of("day1", "day2")) {
      committed.put(day, new ObjectMapper().readTree(out.resolve("runs/run_id=" + day + "/summary.json").toFile())
          .get("library"));
    }
    pathOf = sql("SELECT face_id, image_path FROM delta.`%s/%s`", lib, LibrarySchemas.FACES).stream()
        .collect(Collectors.toMap(r -> (String) r[0], r -> (String) r[1]));
    note = ZeppelinNote.read(TestData.root().resolve("notebooks").resolve(NOTE));
  }

  static NoteRunner.Run runNote(Path library, Map<String, String> forms) {
    Map<String, String> params = new TreeMap<>(forms);
    params.put("library", library.toString());
    return NoteRunner.run(spark, note, params);
  }

  /** The LFW folder of a face's photo, "group" for the group photo. */
  static String person(String faceId) {
    String path = pathOf.get(faceId);
    assertThat(path).as("library face %s", faceId).isNotNull();
    return path.contains("/lfw/") ? path.replaceAll(".*/lfw/([^/]+)/.*", "$1") : "group";
  }

  /** The face ids in the titles of a %html cell's thumbnails, in order. */
  static List<String> titles(Object cell) {
    Matcher m = Pattern.compile("<img src=\"data:image/jpeg;base64,[A-Za-z0-9+/=]+\" title=\"([^\"]+)\">")
        .matcher((String) cell);
    List<String> ids = new ArrayList<>();
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  @Test
  void everyParagraphOnTheTwoDayLibrary() {
    NoteRunner.Run run = runNote(lib, Map.of());
    NotebookSqlTest.assertSameColumns(run, "lib_runs", LibrarySchemas.LIBRARY_RUNS);
    NotebookSqlTest.assertSameColumns(run, "lib_persons", LibrarySchemas.PERSONS_SCHEMA);
    NotebookSqlTest.assertSameColumns(run, "lib_faces", LibrarySchemas.LIBRARY_FACES);
    NotebookSqlTest.assertSameColumns(run, "lib_images", LibrarySchemas.LIBRARY_IMAGES);
    run.assertEveryQueryHasRows("Tables of the library", "Merged and emptied persons");

    // (a) The runs, as committed: summary.json's library section of each day, and the sample's numbers.
    List<Object[]> runs = rows(run, "Runs");
    List<String> columns = run.get("Runs").columns();
    assertThat(runs).as("runs, by seq").extracting(r -> r[0], r -> r[1], r -> r[2])
        .containsExactly(tuple(1L, "day1", "run"), tuple(2L, "day2", "run"));
    for (Object[] r : runs) {
      JsonNode c = committed.get((String) r[1]);
      for (int i = 0; i < columns.size(); i++) {
        assertThat(String.valueOf(r[i])).as("%s of %s: as summary.json's library section", columns.get(i), r[1])
            .isEqualTo(c.get(columns.get(i)).asText());
      }
    }
    int from = columns.indexOf("images_added");
    assertThat(runs).as("images added, known; faces added, joined existing, new persons, faces in new persons, "
            + "unassigned, ambiguous, kept, merged, split; library faces, persons")
        .extracting(r -> Arrays.asList(r).subList(from, columns.indexOf("library_persons") + 1)).containsExactly(
            List.of(10L, 0L, 11L, 0L, 5L, 10L, 1L, 0L, 0L, 0L, 0L, 11L, 5L),
            List.of(12L, 10L, 15L, 10L, 0L, 0L, 6L, 0L, 0L, 0L, 0L, 26L, 5L));

    List<Object[]> state = rows(run, "Commit state");
    assertThat(state).as("every table at the version day 2 committed (each written once per run: 0, then 1)")
        .containsExactly(row("library_images", 1L, 1L, "day2", STATE_OK), row("library_faces", 1L, 1L, "day2",
            STATE_OK), row("persons", 1L, 1L, "day2", STATE_OK), row("library_runs", 1L, 1L, "day2", STATE_OK));
    assertThat(DeltaTable.forPath(spark, lib.resolve(LibrarySchemas.PERSONS).toString()).history(1)
        .select("version").first().getLong(0)).as("the persons table's version, from Delta").isEqualTo(1L);
    assertThat(rows(run, "Library at a glance")).as("runs, images, faces, persons, faces in persons, unassigned, "
        + "merged, emptied, named, last run").extracting(r -> Arrays.asList(r).subList(0, 10)).containsExactly(
        List.of(2L, 22L, 26L, 5L, 20L, 6L, 0L, 0L, 0L, "day2"));

    // (b) Persons and their sizes: the five people of the sample, 4 photos each.
    List<Object[]> persons = rows(run, "Persons");
    Map<String, String> identity = new TreeMap<>();
    for (Object[] r : persons) {
      List<String> faces = sql("SELECT face_id FROM delta.`%s/%s` WHERE person_id = '%s'", lib,
          LibrarySchemas.FACES, r[0]).stream().map(x -> (String) x[0]).toList();
      assertThat(faces.stream().map(PersonsNoteTest::person).distinct().toList()).as("faces of %s", r[0])
          .hasSize(1);
      identity.put((String) r[0], person(faces.get(0)));
    }
    assertThat(identity.values()).as("one person per LFW identity").containsExactlyInAnyOrderElementsOf(PEOPLE);
    assertThat(persons).as("person_id, name, face_count, photos, created, updated; ties by id")
        .extracting(r -> Arrays.asList(r).subList(0, 6)).containsExactlyElementsOf(identity.keySet().stream()
            .map(id -> Arrays.<Object>asList(id, null, 4L, 4L, "day1", "day2")).toList());
    Map<String, String> representative = sql("SELECT person_id, representative_face_id FROM delta.`%s/%s`", lib,
        LibrarySchemas.PERSONS).stream().collect(Collectors.toMap(r -> (String) r[0], r -> (String) r[1]));
    assertThat(persons).as("representative faces: the persons table's")
        .allSatisfy(r -> assertThat(r[6]).isEqualTo(representative.get((String) r[0])));
    assertThat(rows(run, "Person sizes")).as("sizes in powers of two").containsExactly(row("4-7", 5L));
    assertThat(rows(run, "Merged and emptied persons")).as("no recluster yet").isEmpty();

    // (c) Thumbnails: the representative face first, then the person's other faces.
    List<Object[]> largest = rows(run, "Largest persons");
    assertThat(largest).as("persons, largest first").extracting(r -> r[0], r -> r[2])
        .containsExactlyElementsOf(identity.keySet().stream().map(id -> tuple(id, 4L)).toList());
    for (Object[] r : largest) {
      String id = (String) r[0];
      assertThat(thumbnails(r[3])).as("%s: 4 decodable 28 px JPEGs", id).hasSize(4).allMatch(t -> isSquare(t, 28));
      List<String> shown = titles(r[3]);
      assertThat(shown).as("%s: its 4 faces, the representative first", id).hasSize(4).doesNotHaveDuplicates()
          .first().isEqualTo(representative.get(id));
      assertThat(shown).as("%s: all of %s", id, identity.get(id))
          .allSatisfy(f -> assertThat(person(f)).isEqualTo(identity.get(id)));
    }
    String first = identity.keySet().iterator().next();
    List<Object[]> one = rows(run, "Faces of one person");
    assertThat(one).as("person_id largest: %s (ties: smallest id)", first).hasSize(4)
        .allSatisfy(r -> assertThat(r[1]).isEqualTo(first))
        .allSatisfy(r -> assertThat(thumbnails(r[0])).hasSize(1).allMatch(t -> isSquare(t, 28)))
        .extracting(r -> r[3]).containsExactly(true, false, false, false);
    assertThat(one.get(0)[2]).as("representative first").isEqualTo(representative.get(first));
    assertThat(one).extracting(r -> fileName(r[4])).containsExactlyInAnyOrder(
        identity.get(first) + "_0001.jpg", identity.get(first) + "_0002.jpg", identity.get(first) + "_0003.jpg",
        identity.get(first) + "_0004.jpg");

    // (d) What the latest run changed: day 2 gave each person its two new photos, and made no person.
    assertThat(rows(run, "Choose a run")).as("latest").extracting(r -> r[0], r -> r[1]).containsExactly(
        tuple(2L, "day2"));
    assertThat(rows(run, "What the run changed")).as("created, grown, faces placed, new, left unassigned")
        .containsExactly(row(2L, "day2", "run", 0L, 5L, 10L, 10L, 6L));
    assertRunPersons(run, identity, "grown", "_000[34]\\.jpg");

    // (e) Unassigned faces and why: the group photo's five and the background face of a day-1 portrait.
    assertThat(rows(run, "Unassigned faces by reason")).as("reason, why, faces, photos")
        .extracting(r -> r[0], r -> r[2], r -> r[3]).containsExactly(tuple("no_match", 6L, 2L));
    assertThat((String) rows(run, "Unassigned faces by reason").get(0)[1]).startsWith("no person close enough");
    List<Object[]> unassigned = rows(run, "Unassigned faces");
    assertThat(unassigned).as("reason, photo, added by, last pooled by")
        .extracting(r -> r[1], r -> fileName(r[3]), r -> r[4], r -> r[5]).containsExactly(
            tuple("no_match", "2008_002470.jpg", "day2", "day2"), tuple("no_match", "2008_002470.jpg", "day2", "day2"),
            tuple("no_match", "2008_002470.jpg", "day2", "day2"), tuple("no_match", "2008_002470.jpg", "day2", "day2"),
            tuple("no_match", "2008_002470.jpg", "day2", "day2"), tuple("no_match", "Tony_Blair_0001.jpg", "day1", "day2"));
    assertThat(unassigned).as("their thumbnails").allSatisfy(r -> assertThat(thumbnails(r[0])).hasSize(1));
    assertThat(unassigned).extracting(r -> r[2]).as("the library's unassigned faces")
        .containsExactlyInAnyOrderElementsOf(sql("SELECT face_id FROM delta.`%s/%s` WHERE person_id IS NULL", lib,
            LibrarySchemas.FACES).stream().map(r -> r[0]).toList());
  }

  @Test
  void chosenRunAndPerson() {
    Map<String, String> identity = sql("SELECT person_id, min(image_path) FROM delta.`%s/%s` WHERE person_id IS NOT NULL "
        + "GROUP BY person_id", lib, LibrarySchemas.FACES).stream().collect(Collectors.toMap(r -> (String) r[0],
            r -> ((String) r[1]).replaceAll(".*/lfw/([^/]+)/.*", "$1"), (a, b) -> a, TreeMap::new));
    String blair = identity.entrySet().stream().filter(e -> e.getValue().equals("Tony_Blair")).findFirst()
        .orElseThrow().getKey();
    NoteRunner.Run run = runNote(lib, Map.of("run_id", "day1", "person_id", blair));
    assertThat(rows(run, "Choose a run")).extracting(r -> r[0], r -> r[1]).containsExactly(tuple(1L, "day1"));
    // The library as it stands: day 1's unassigned background face was pooled again (and left) by day 2.
    assertThat(rows(run, "What the run changed")).as("created, grown, faces placed, new, left unassigned")
        .containsExactly(row(1L, "day1", "run", 5L, 0L, 10L, 10L, 0L));
    assertRunPersons(run, identity, "created", "_000[12]\\.jpg");
    assertThat(rows(run, "Faces of one person")).as("Tony Blair's person: his 4 portraits, not the background face")
        .allSatisfy(r -> assertThat(r[1]).isEqualTo(blair)).extracting(r -> fileName(r[4]))
        .containsExactlyInAnyOrder("Tony_Blair_0001.jpg", "Tony_Blair_0002.jpg", "Tony_Blair_0003.jpg",
            "Tony_Blair_0004.jpg");
  }

  /** "Persons of the run": each of the five persons with 2 faces placed by the run, from the photos named. */
  private static void assertRunPersons(NoteRunner.Run run, Map<String, String> identity, String change,
      String photos) {
    List<Object[]> changed = rows(run, "Persons of the run");
    assertThat(changed).as("person, name, change, faces placed, new faces, face count").extracting(
        r -> Arrays.asList(r).subList(0, 6)).containsExactlyElementsOf(identity.keySet().stream()
        .map(id -> Arrays.<Object>asList(id, null, change, 2L, 2L, 4L)).toList());
    List<String> faces = new ArrayList<>();
    for (Object[] r : changed) {
      assertThat(thumbnails(r[6])).as("%s: 2 thumbnails", r[0]).hasSize(2).allMatch(t -> isSquare(t, 28));
      assertThat(titles(r[6])).as("%s: photos %s of %s", r[0], photos, identity.get((String) r[0]))
          .allSatisfy(f -> assertThat(fileName(pathOf.get(f))).matches(identity.get((String) r[0]) + photos));
      faces.addAll(titles(r[6]));
    }
    assertThat(faces).as("10 faces across the 5 persons").hasSize(10).doesNotHaveDuplicates();
  }

  @Test
  void aReclusterThatMergesEveryoneShowsOnePersonAndTheMergedOnes() throws Exception {
    Path merged = tmp.resolve("merged-library");
    copyTree(lib, merged);
    // Threshold -1 over all pairs: one cluster of 21 faces, one per photo (cannot-link keeps out the group photo's
    // 4 other faces and the background face of Tony_Blair_0001, which stay unassigned). It keeps the id most of its
    // faces held (a tie of 4 faces each: the smallest id); the four others are recorded as merged into it.
    Map<String, Object> re = Recluster.run(spark, merged.toString(), "re1", GraphClustering.Params.of(-1, 0, false, 2),
        false);
    assertThat(re).containsEntry("persons_kept", 1L).containsEntry("persons_merged", 4L);
    List<Object[]> kept = sql("SELECT person_id, face_count FROM delta.`%s/%s` WHERE merged_into IS NULL", merged,
        LibrarySchemas.PERSONS);
    assertThat(kept).as("the person that took every face").hasSize(1);
    String all = (String) kept.get(0)[0];
    long moved = (Long) sql("SELECT count(*) FROM delta.`%s/%s` WHERE assigned_run = 're1'", merged,
        LibrarySchemas.FACES).get(0)[0];
    assertThat(moved).as("faces re1 placed: the 21 but the 4 the kept person already held").isEqualTo(17L);

    NoteRunner.Run run = runNote(merged, Map.of());
    run.assertEveryQueryHasRows("Tables of the library");
    assertThat(rows(run, "Runs")).as("the recluster's row").extracting(r -> r[1], r -> r[2])
        .containsExactly(tuple("day1", "run"), tuple("day2", "run"), tuple("re1", "recluster"));
    List<String> columns = run.get("Runs").columns();
    Object[] last = rows(run, "Runs").get(2);
    assertThat(List.of("persons_kept", "persons_merged", "persons_split", "unassigned", "library_faces",
        "library_persons")).extracting(c -> last[columns.indexOf(c)]).containsExactly(1L, 4L, 0L, 5L, 26L, 5L);
    assertThat(rows(run, "Commit state")).as("the recluster rewrote faces and persons, not images")
        .extracting(r -> r[0], r -> r[1], r -> r[2], r -> r[4]).containsExactly(
            tuple("library_images", 1L, 1L, STATE_OK), tuple("library_faces", 2L, 2L, STATE_OK),
            tuple("persons", 2L, 2L, STATE_OK), tuple("library_runs", 2L, 2L, STATE_OK));
    assertThat(rows(run, "Library at a glance")).as("runs, images, faces, persons, faces in persons, unassigned, "
        + "merged, emptied, named, last run").extracting(r -> Arrays.asList(r).subList(0, 10)).containsExactly(
        List.of(3L, 22L, 26L, 1L, 21L, 5L, 4L, 0L, 0L, "re1"));
    assertThat(rows(run, "Persons")).as("merged persons left out").extracting(r -> r[0], r -> r[2], r -> r[3])
        .containsExactly(tuple(all, 21L, 21L));
    assertThat(rows(run, "Person sizes")).containsExactly(row("16-31", 1L));
    assertThat(rows(run, "Merged and emptied persons")).as("the four others, merged into it")
        .hasSize(4).allSatisfy(r -> assertThat(Arrays.asList(r).subList(1, 3)).containsExactly(all, 0L));
    List<Object[]> largest = rows(run, "Largest persons");
    assertThat(largest).extracting(r -> r[0]).containsExactly(all);
    assertThat(thumbnails(largest.get(0)[3])).as("per_person: 5 of its 21 faces").hasSize(5);
    assertThat(titles(largest.get(0)[3]).get(0)).as("its representative first").isEqualTo(sql(
        "SELECT representative_face_id FROM delta.`%s/%s` WHERE person_id = '%s'", merged, LibrarySchemas.PERSONS,
        all).get(0)[0]);
    assertThat(rows(run, "What the run changed")).as("created, grown, faces placed, new, left unassigned")
        .containsExactly(row(3L, "re1", "recluster", 0L, 1L, 17L, 0L, 0L));
    assertThat(rows(run, "Persons of the run")).extracting(r -> r[0], r -> r[2], r -> r[3], r -> r[4])
        .containsExactly(tuple(all, "grown", 17L, 0L));
    assertThat(rows(run, "Unassigned faces by reason")).as("reason, faces, photos")
        .extracting(r -> r[0], r -> r[2], r -> r[3]).containsExactly(tuple("no_match", 5L, 2L));
  }

  @Test
  void aTableWrittenAfterTheLastCommitIsFlagged() throws Exception {
    Path ahead = tmp.resolve("ahead-library");
    copyTree(lib, ahead);
    // A persons commit with no library_runs row after it, as a run killed between its table commits leaves one
    // (and as a name written by hand, which the next run would restore away).
    String someone = (String) sql("SELECT min(person_id) FROM delta.`%s/%s`", ahead, LibrarySchemas.PERSONS)
        .get(0)[0];
    DeltaTable.forPath(spark, ahead.resolve(LibrarySchemas.PERSONS).toString())
        .updateExpr("person_id = '" + someone + "'", Map.of("name", "'Someone'"));
    NoteRunner.Run run = runNote(ahead, Map.of());
    List<Object[]> state = rows(run, "Commit state");
    assertThat(state).extracting(r -> r[0], r -> r[1], r -> r[2]).containsExactly(tuple("library_images", 1L, 1L),
        tuple("library_faces", 1L, 1L), tuple("persons", 2L, 1L), tuple("library_runs", 1L, 1L));
    assertThat(state).extracting(r -> (String) r[4]).as("persons flagged")
        .containsExactly(STATE_OK, STATE_OK, "ahead: written after the last run committed (a run committing, or "
            + "killed mid-commit); the next run restores it", STATE_OK);
    assertThat(rows(run, "Persons")).as("the name shows").filteredOn(r -> r[0].equals(someone))
        .extracting(r -> r[1]).containsExactly("Someone");
    assertThat(rows(run, "Library at a glance").get(0)[8]).as("named persons").isEqualTo(1L);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
