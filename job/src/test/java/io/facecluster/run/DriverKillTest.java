package io.facecluster.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.udfs.SparkTestBase;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver killed (`kill -9`) at each stage of a run, in a child JVM: what was committed before, a run of
 * another id in the same output, keeps its rows and its marker; the killed run is never listed as committed;
 * a rerun with the same id equals an undisturbed run. And `--resume` after a kill processes only the chunks
 * that were not committed. Every run is the bundled sample (22 files) in chunks of 4 files.
 */
class DriverKillTest extends SparkTestBase {
  static final String[] CHUNKED = {"--chunk-images", "4", "--input-images-per-partition", "3"};

  @TempDir
  static Path tmp;
  static Path out;
  /** The undisturbed run "base", committed before any kill: the reference and what must stay intact. */
  static RunRows base;
  static String baseMarker;

  @BeforeAll
  static void committedBaseline() throws Exception {
    out = tmp.resolve("out");
    JobRunner.run(TestData.sample().toString(), out.toString(), args("base"));
    base = RunRows.of(spark, out, "base");
    baseMarker = Files.readString(marker("base"));
    assertThat(base.images()).as("images rows of the sample").hasSize(22);
    assertThat(base.faces()).as("faces of the sample").hasSizeGreaterThan(20);
    assertThat(base.clusters()).as("one clusters row per face").hasSize(base.faces().size());
  }

  static String[] args(String runId, String... more) {
    List<String> a = new java.util.ArrayList<>(List.of("--run-id", runId));
    a.addAll(List.of(CHUNKED));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  static Path marker(String runId) {
    return out.resolve("runs/run_id=" + runId + "/" + RunMarker.FILE);
  }

  static ChildJob start(String runId, String name, String... more) throws Exception {
    List<String> a = new java.util.ArrayList<>(List.of("--input", TestData.sample().toString(), "--output",
        out.toString()));
    a.addAll(List.of(args(runId, more)));
    return ChildJob.run(tmp.resolve(name + ".log"), a.toArray(String[]::new));
  }

  static Predicate<String> line(String runId, String text) {
    return l -> l.contains("run " + runId + ": " + text);
  }

  /** After every kill: the base run untouched and listed, the killed run not listed. */
  static void committedStateIntact(String killedRunId, String when) throws Exception {
    assertThat(Files.readString(marker("base"))).as("base's marker after a kill %s", when).isEqualTo(baseMarker);
    assertThat(RunRows.of(spark, out, "base")).as("base's rows after a kill %s", when).isEqualTo(base);
    assertThat(marker(killedRunId)).as("no marker of the run killed %s", when).doesNotExist();
    assertThat(RunRows.committedRuns(spark, out)).as("committed runs after a kill %s", when)
        .doesNotContain(killedRunId).contains("base");
  }

  static void equalsUndisturbed(String runId) {
    RunRows rows = RunRows.of(spark, out, runId);
    assertThat(rows.images()).as("images rows of %s", runId).isEqualTo(base.images());
    assertThat(rows.faces()).as("faces rows of %s", runId).isEqualTo(base.faces());
    assertThat(rows.clusters()).as("clusters of %s", runId).isEqualTo(base.clusters());
    Object[] ids = sql("SELECT count(*), count(DISTINCT face_id) FROM parquet.`%s/faces` WHERE run_id = '%s'",
        out, runId).get(0);
    assertThat(ids[0]).as("no duplicate face_id in %s", runId).isEqualTo(ids[1]);
    assertThat(marker(runId)).as("%s committed", runId).exists();
    assertThat(out.resolve("_chunks/run_id=" + runId)).as("staging of %s deleted after its marker", runId)
        .doesNotExist();
  }

  /**
   * One run id killed four times in a row, each launch getting past the point where the one before died, so
   * the last rerun starts from what all four kills left; killed: while chunks are being committed (after the
   * first), when the faces table write starts (the images table just written), when clustering starts, and
   * when the summary starts (all tables written, the commit marker not yet).
   */
  @Test
  void driverKilledAtEachStageLeavesCommittedRunsIntactAndARerunEqualsAnUndisturbedRun() throws Exception {
    record KillPoint(String name, Predicate<String> line) {}
    List<KillPoint> points = List.of(
        new KillPoint("during extraction", line("k", "chunk ").and(l -> l.endsWith(" committed"))),
        new KillPoint("during the table writes", line("k", "extract done")),
        new KillPoint("during clustering", line("k", "write done")),
        new KillPoint("during the summary", line("k", "cluster done")));
    for (KillPoint p : points) {
      try (ChildJob job = start("k", "kill-" + p.name().replace(' ', '-'))) {
        job.await(p.line(), 1, 300);
        assertThat(job.kill()).as("exit status: killed %s, not ended by itself", p.name())
            .isEqualTo(ChildJob.KILLED);
      }
      committedStateIntact("k", p.name());
    }
    // The rerun: same id, no --resume (starts clean), on the leftovers of four killed drivers.
    JobRunner.run(TestData.sample().toString(), out.toString(), args("k"));
    equalsUndisturbed("k");
    assertThat(RunRows.committedRuns(spark, out)).as("committed runs").contains("base", "k");
  }

  /**
   * Killed after its third chunk is committed, then `--resume true`: this test's JVM (the resumed driver and its
   * local executors) makes exactly the rows of the chunks that were not committed; the killed child's rows
   * are the committed chunks', kept, not recomputed.
   */
  @Test
  void resumeProcessesOnlyTheChunksThatWereNotCommitted() throws Exception {
    try (ChildJob job = start("r", "resume-killed")) {
      job.await(line("r", "chunk ").and(l -> l.endsWith(" committed")), 3, 300);
      assertThat(job.kill()).as("exit status: killed, not ended by itself").isEqualTo(ChildJob.KILLED);
    }
    committedStateIntact("r", "after 3 chunks");
    // The chunks on storage after the kill (a fourth may have been committed before the signal landed).
    List<String> committed = RunRows.committedChunks(out, "r");
    long committedImages = 0;
    int chunks = 0;
    for (String c : committed) {
      var m = new ObjectMapper().readTree(out.resolve("_chunks/run_id=r/" + c + "/" + ChunkStaging.MARKER).toFile());
      committedImages += m.get("images").asLong();
      chunks = m.get("chunks").asInt();
    }
    assertThat(chunks).as("chunks of 22 files at 4 per chunk").isEqualTo(6);
    assertThat(committed).as("chunks committed before the kill").hasSizeGreaterThanOrEqualTo(3);
    assertThat(committedImages).as("images of the committed chunks: some, not all").isBetween(3L, 21L);

    JobRunner.run(TestData.sample().toString(), out.toString(),
        args("r", "--resume", "true"));
    equalsUndisturbed("r");
    String here = ManagementFactory.getRuntimeMXBean().getName() + "/" + ManagementFactory.getRuntimeMXBean()
        .getStartTime();
    Object[] byJvm = sql("SELECT sum(IF(jvm = '%s', 1, 0)), sum(IF(jvm = '%s', 0, 1)), count(DISTINCT jvm) "
        + "FROM parquet.`%s/images` WHERE run_id = 'r'", here, here, out).get(0);
    assertThat(byJvm[0]).as("images processed by the resumed run: those of the chunks not committed")
        .isEqualTo(22 - committedImages);
    assertThat(byJvm[1]).as("images kept from the killed run's committed chunks").isEqualTo(committedImages);
    assertThat(byJvm[2]).as("two drivers made the rows").isEqualTo(2L);
  }
}
