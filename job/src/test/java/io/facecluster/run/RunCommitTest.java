package io.facecluster.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.config.JobConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.pipeline.FaceSelection;
import io.facecluster.pipeline.Stage;
import io.facecluster.udfs.SparkTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run commits as a whole, with numbers from its committed tables: summary.json (the commit marker, written
 * last) and report.html never take an accumulator's value, a run with too many broken files fails after
 * writing its images table and commits nothing, and a rerun withdraws the old marker before it writes.
 */
class RunCommitTest extends SparkTestBase {
  /** Added to every accumulator between the tables and the summary: none of it may reach the outputs. */
  static final long CORRUPT_NANOS = 7_777_777_000_000_000L;
  static final long CORRUPT_SESSIONS = 999_999;
  static final int CORRUPT_PARTITIONS = 4_321;

  @TempDir
  static Path tmp;
  static Path good;
  static Path mostlyBad;

  @BeforeAll
  static void inputs() throws Exception {
    good = Files.createDirectories(tmp.resolve("good"));
    for (String person : List.of("Colin_Powell", "Tony_Blair", "George_W_Bush")) {
      Files.copy(TestData.lfwImage(person, 1), good.resolve(person + ".jpg"));
    }
    // 3 of 4 files broken (75 %), as BadInputJobTest's kinds: empty, text, truncated; one real portrait.
    mostlyBad = Files.createDirectories(tmp.resolve("bad"));
    byte[] photo = Files.readAllBytes(TestData.lfwImage("Colin_Powell", 2));
    Files.write(mostlyBad.resolve("portrait.jpg"), photo);
    Files.write(mostlyBad.resolve("empty.jpg"), new byte[0]);
    Files.writeString(mostlyBad.resolve("notes.jpg"), "minutes of the meeting\n", StandardCharsets.UTF_8);
    Files.write(mostlyBad.resolve("truncated.jpg"), Arrays.copyOf(photo, photo.length / 2));
  }

  static JobConfig config(String input, String output, String runId, String... more) {
    Map<String, String> cli = new java.util.LinkedHashMap<>(Map.of("input", input, "output", output, "run-id", runId,
        "models.dir", TestData.modelsDir(), "input.images-per-partition", "2"));
    for (int i = 0; i < more.length; i += 2) {
      cli.put(more[i], more[i + 1]);
    }
    return JobConfig.from(ResolvedConfig.resolve(RunOptions.ALL, cli, null));
  }

  static JsonNode marker(Path out, String runId) throws Exception {
    return new ObjectMapper().readTree(Files.readString(out.resolve("runs/run_id=" + runId + "/summary.json")));
  }

  @Test
  void summaryAndReportTakeTheTablesNotTheAccumulators() throws Exception {
    Path out = tmp.resolve("acc");
    RunJob.Committed run = new RunJob(spark, config(good.toString(), out.toString(), "acc"), FaceSelection.ALL)
        .beforeSummary(m -> {
          for (Stage s : Stage.values()) {
            m.add(s, CORRUPT_NANOS);
          }
          m.sessionsCreated(CORRUPT_SESSIONS);
          for (int i = 0; i < CORRUPT_PARTITIONS; i++) {
            m.partitionDone();
          }
        }).run();
    assertThat(run.marker()).as("marker path").endsWith("/runs/run_id=acc/summary.json");
    JsonNode summary = marker(out, "acc");
    String images = out.resolve("images").toString();
    // Per stage: the sum of the images rows' microseconds, in ms; exactly, stage by stage.
    Map<String, Long> tableMs = new java.util.LinkedHashMap<>();
    for (Object[] r : sql("SELECT s.key, sum(s.value) FROM parquet.`%s` LATERAL VIEW explode(stage_us) s "
        + "WHERE run_id = 'acc' GROUP BY s.key", images)) {
      tableMs.put((String) r[0], (Long) r[1] / 1_000);
    }
    JsonNode byStage = summary.at("/timings_ms/task_time_by_stage");
    Iterator<String> names = byStage.fieldNames();
    List<String> stages = new java.util.ArrayList<>();
    names.forEachRemaining(stages::add);
    assertThat(stages).as("stages in summary.json").containsExactly("read", "decode", "detect", "detect_run",
        "align", "embed", "embed_run");
    for (String s : stages) {
      assertThat(byStage.get(s).asLong()).as("task time of %s = sum over the images table", s)
          .isEqualTo(tableMs.get(s)).isLessThan(CORRUPT_NANOS / 1_000_000);
    }
    assertThat(byStage.get("detect").asLong()).as("three photos took some detection time").isPositive();
    Object[] sessions = sql("SELECT sum(n) FROM (SELECT max(jvm_sessions) AS n FROM parquet.`%s` "
        + "WHERE run_id = 'acc' GROUP BY jvm)", images).get(0);
    assertThat(summary.at("/spark/model_sessions_created").asLong()).as("sessions: per JVM the max, summed")
        .isEqualTo((Long) sessions[0]).isEqualTo(2);
    assertThat(summary.at("/spark/partitions").asLong()).as("partitions of the plan: 3 files, 2 per partition")
        .isEqualTo(2);
    String json = Files.readString(out.resolve("runs/run_id=acc/summary.json"));
    String html = Files.readString(out.resolve("runs/run_id=acc/report.html"));
    for (String corrupt : List.of("7777777", "7,777,777", "999999", "999,999", "4321", "4,321")) {
      assertThat(json).as("summary.json").doesNotContain(corrupt);
      assertThat(html).as("report.html").doesNotContain(corrupt);
    }
    assertThat(html).as("report details: the table's detect time").contains(
        "<th>timings_ms.task_time_by_stage.detect</th><td class=\"path\">" + byStage.get("detect").asLong() + "<");
  }

  @Test
  void tooManyBrokenFilesFailTheRunAfterItsImagesTableAndWithdrawTheOldMarker() throws Exception {
    Path out = tmp.resolve("gate");
    JobRunner.run(good.toString(), out.toString(), "--run-id", "g");
    assertThat(out.resolve("runs/run_id=g/summary.json")).as("first run of g committed").exists();

    // Rerun of g on a folder with 3 broken files of 4: over the default --max-error-fraction 0.5.
    JobRunner.Result failed = JobRunner.main("run", "--input", mostlyBad.toString(), "--output", out.toString(),
        "--run-id", "g", "--models-dir", TestData.modelsDir());
    assertThat(failed.code()).as("exit code; stderr: %s", failed.err()).isEqualTo(1);
    assertThat(failed.err().lines().filter(l -> l.startsWith("facecluster: ")).toList()).as("stderr lines")
        .containsExactly("facecluster: run g failed: 3 of 4 files (75.0 %) have status error, more than "
            + "--max-error-fraction 0.5; their reasons are in " + out + "/images/run_id=g (no commit marker written)");
    assertThat(failed.err()).as("no stack trace").doesNotContain("Exception", "\tat ");
    assertThat(sql("SELECT status, count(*) FROM parquet.`%s/images` WHERE run_id = 'g' GROUP BY status "
        + "ORDER BY status", out)).as("the failed rerun's images table, written before the gate")
        .containsExactly(row("error", 3L), row("ok", 1L));
    assertThat(out.resolve("runs/run_id=g/summary.json")).as("old marker withdrawn, no new one").doesNotExist();

    JobRunner.Result lenient = JobRunner.run(mostlyBad.toString(), out.toString(), "--run-id", "lenient",
        "--max-error-fraction", "0.75");
    assertThat(lenient.out()).as("summary table").containsPattern("\\n  error +3\\n");
    assertThat(marker(out, "lenient").at("/counts/error").asLong()).as("committed: 75 %% is not over 0.75")
        .isEqualTo(3);
  }
}
