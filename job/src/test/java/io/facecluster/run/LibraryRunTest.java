package io.facecluster.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.library.LibraryLock;
import io.facecluster.output.LibrarySchemas;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run --library` on the bundled sample in two days (the README's quick start): day 1 = the first two photos of
 * each of the five LFW persons, day 2 = the whole sample. Then, on a second library, day 2 run in a child JVM
 * that pauses after its first table commit: a second writer meanwhile fails cleanly, the child is killed
 * (SIGKILL) between two commits, and the rerun of day 2 gives the library of the uninterrupted run.
 */
class LibraryRunTest extends SparkTestBase {
  static final String DAY2 = SampleLibrary.DAY2;

  @TempDir
  static Path tmp;
  static Path lib;
  static Path out;
  static JsonNode day1;
  static JsonNode day2;

  @BeforeAll
  static void twoDays() throws Exception {
    SampleLibrary s = SampleLibrary.get();
    lib = s.library;
    out = s.output;
    day1 = summary(out, "day1");
    day2 = summary(out, "day2");
  }

  static JsonNode summary(Path output, String runId) throws Exception {
    return new ObjectMapper().readTree(output.resolve("runs/run_id=" + runId + "/summary.json").toFile());
  }

  /** face_id -> person_id (or "(reason)") of every library face. */
  static Map<String, String> persons(Path library) {
    return spark.read().format("delta").load(library.resolve(LibrarySchemas.FACES).toString()).collectAsList()
        .stream().collect(Collectors.toMap(r -> r.getString(r.fieldIndex("face_id")),
            r -> r.isNullAt(r.fieldIndex("person_id")) ? "(" + r.getString(r.fieldIndex("reason")) + ")"
                : r.getString(r.fieldIndex("person_id")), (a, b) -> a, TreeMap::new));
  }

  /** LFW person folder -> the person ids its library faces hold. */
  static Map<String, List<String>> byLabel(Path library) {
    return sql("SELECT regexp_extract(image_path, '/lfw/([^/]+)/', 1), collect_set(person_id) FROM delta.`%s` "
        + "WHERE image_path LIKE '%%/lfw/%%' GROUP BY 1", library.resolve(LibrarySchemas.FACES)).stream()
        .collect(Collectors.toMap(r -> (String) r[0], r -> ((List<?>) r[1]).stream().map(String::valueOf).sorted()
            .toList(), (a, b) -> a, TreeMap::new));
  }

  @Test
  void dayOneMakesFivePersonsAndDayTwoJoinsThemSkippingKnownImages() throws Exception {
    JsonNode l1 = day1.get("library");
    assertThat(day1.get("counts").get("files").asLong()).as("day 1 files").isEqualTo(10);
    assertThat(l1.get("faces_added").asLong()).as("day 1 faces added: 10 portraits, 1 in a background")
        .isEqualTo(11);
    assertThat(l1.get("new_persons").asLong()).as("day 1: one person per LFW identity").isEqualTo(5);
    assertThat(l1.get("faces_in_new_persons").asLong()).as("day 1: the portraits").isEqualTo(10);
    assertThat(l1.get("unassigned").asLong()).as("day 1: the background face, seen once").isEqualTo(1);
    assertThat(l1.get("seq").asLong()).isEqualTo(1);
    Map<String, List<String>> after1 = byLabel(lib);

    JsonNode c2 = day2.get("counts");
    JsonNode l2 = day2.get("library");
    assertThat(c2.get("known").asLong()).as("day 2: day 1's ten images are known, not embedded again")
        .isEqualTo(10);
    assertThat(c2.get("files").asLong()).isEqualTo(22);
    assertThat(sql("SELECT count(*) FROM parquet.`%s/faces` WHERE run_id = 'day2' AND path RLIKE '_000[12]\\.jpg$'",
        out).get(0)[0]).as("no day-2 face from a known image").isEqualTo(0L);
    assertThat(l2.get("joined_existing").asLong()).as("day 2: the ten new LFW photos join their persons")
        .isEqualTo(10);
    assertThat(l2.get("faces_added").asLong()).as("day 2: 10 portraits + the group photo's 5 ungated faces")
        .isEqualTo(15);
    assertThat(l2.get("new_persons").asLong()).as("day 2: nobody in the group photo is seen twice").isZero();
    assertThat(l2.get("unassigned").asLong()).as("day 2: the background face and the group's five").isEqualTo(6);
    assertThat(l2.get("seq").asLong()).isEqualTo(2);
    Map<String, List<String>> after2 = byLabel(lib);
    assertThat(after2).as("each LFW identity is one person, with the id it got on day 1").isEqualTo(after1)
        .hasSize(5).allSatisfy((label, ids) -> assertThat(ids).hasSize(1));
    List<Row> runs = spark.read().format("delta").load(lib.resolve(LibrarySchemas.RUNS).toString())
        .orderBy("seq").collectAsList();
    assertThat(runs).extracting(r -> r.getString(r.fieldIndex("run_id"))).containsExactly("day1", "day2");
    assertThat(sql("SELECT count(*), count(person_id) FROM parquet.`%s/clusters` c WHERE run_id = 'day2' "
        + "AND face_id IN (SELECT face_id FROM parquet.`%1$s/faces` WHERE run_id = 'day2' AND path LIKE '%%/lfw/%%')",
        out).get(0)).as("day 2's clusters rows of LFW faces carry their person_id").containsExactly(10L, 10L);
    assertThat(lib.resolve(LibraryLock.NAME)).as("the lock is released").doesNotExist();
    String report = Files.readString(out.resolve("runs/run_id=day2/report.html"));
    assertThat(report).as("day 2's report: the library section with the committed numbers")
        .contains("Person library")
        .contains("id=\"count-joined existing\"><b>10</b>")
        .contains("id=\"count-new persons\"><b>0</b>")
        .contains("id=\"count-unassigned\"><b>6</b>");
  }

  @Test
  void aSecondWriterFailsCleanlyAndARunKilledBetweenCommitsIsRedoneWhole() throws Exception {
    // Day 1's library, copied as day 1 committed it: day 2 is redone on it.
    Path crash = tmp.resolve("crash-library");
    Path crashOut = tmp.resolve("crash-out");
    TestData.copyTree(SampleLibrary.get().afterDay1, crash);
    try (ChildJob child = ChildJob.run(tmp.resolve("day2-child.log"),
        List.of("-Dspark.facecluster.test.pause-after-library-table=" + LibrarySchemas.FACES),
        "--input", DAY2, "--output", crashOut.toString(), "--run-id", "day2", "--library", crash.toString())) {
      child.await(l -> l.contains("pausing after " + LibrarySchemas.FACES), 1, 600);

      Path intruderOut = tmp.resolve("intruder-out");
      JobRunner.Result second = JobRunner.main("run", "--input", DAY2, "--output", intruderOut.toString(),
          "--models-dir", TestData.modelsDir(), "--run-id", "intruder", "--library", crash.toString());
      assertThat(second.code()).as("a second writer's exit code; stderr %s", second.err()).isEqualTo(1);
      assertThat(second.err()).as("the refusal names the writer").contains("being written by run day2")
          .contains("--library-unlock");
      assertThat(intruderOut).as("the refused run wrote nothing").doesNotExist();

      assertThat(child.kill()).as("killed between the faces and persons commits").isEqualTo(ChildJob.KILLED);
    }
    assertThat(spark.read().format("delta").load(crash.resolve(LibrarySchemas.RUNS).toString()).count())
        .as("the killed run left no library_runs row").isEqualTo(1L);
    assertThat(crash.resolve(LibraryLock.NAME)).as("the killed run's lock is left").exists();

    JobRunner.run(DAY2, crashOut.toString(), "--run-id", "day2", "--library", crash.toString());
    assertThat(persons(crash)).as("the rerun's library = the uninterrupted library").isEqualTo(persons(lib));
    assertThat(sql("SELECT person_id, face_count, representative_face_id, created_run, updated_run FROM delta.`%s`",
        crash.resolve(LibrarySchemas.PERSONS))).as("persons rows after the rerun")
        .containsExactlyInAnyOrderElementsOf(sql("SELECT person_id, face_count, representative_face_id, "
            + "created_run, updated_run FROM delta.`%s`", lib.resolve(LibrarySchemas.PERSONS)));
    assertThat(io.delta.tables.DeltaTable.forPath(spark, crash.resolve(LibrarySchemas.FACES).toString()).history()
        .select("operation").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .as("library_faces history shows the restore")
        .contains("RESTORE");
  }
}
