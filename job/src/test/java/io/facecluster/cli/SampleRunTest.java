package io.facecluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.IdentityClusters;
import io.facecluster.TestData;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.ModelSpecs;
import io.facecluster.models.OrtSessions;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled sample through `run`, in many small partitions: outputs, identities, one model session per
 * JVM, and reruns that replace their own partition only.
 */
class SampleRunTest extends SparkTestBase {
  @TempDir
  static Path tmp;
  static String out;
  static JsonNode summary;

  @BeforeAll
  static void runOnSample() throws Exception {
    out = tmp.resolve("out").toString();
    JobRunner.run(TestData.sample().toString(), out, "--run-id", "first", "--input-images-per-partition", "3");
    summary = new ObjectMapper().readTree(Files.readString(Path.of(out, "runs/run_id=first/summary.json")));
    view("images");
    view("faces");
    view("clusters");
  }

  static void view(String table) {
    spark.read().parquet(out + "/" + table).createOrReplaceTempView("sample_" + table);
  }

  @Test
  void writesTheFourOutputsWithOneRowPerFile() {
    assertThat(sql("SELECT status, count(*) FROM sample_images WHERE run_id = 'first' GROUP BY status "
        + "ORDER BY status")).as("status counts of the 22 sample files")
        .containsExactly(row("no_face", 1L), row("ok", 21L));
    assertThat(sql("SELECT face_count FROM sample_images WHERE path LIKE '%%/group/2008_002470.jpg'"))
        .as("faces in the group photo (6 annotated)").containsExactly(row(6));
    assertThat(sql("SELECT count(*) FROM sample_faces f LEFT ANTI JOIN sample_clusters c ON f.face_id = c.face_id"))
        .as("faces without a cluster row").containsExactly(row(0L));
    assertThat(summary.at("/counts/files").asLong()).as("summary files").isEqualTo(22);
    assertThat(summary.at("/counts/faces").asLong()).as("summary faces = faces rows")
        .isEqualTo((Long) sql("SELECT count(*) FROM sample_faces WHERE run_id = 'first'").get(0)[0]);
    assertThat(summary.at("/counts/clusters").asLong()).as("summary clusters")
        .isEqualTo((Long) sql("SELECT count(DISTINCT cluster_id) FROM sample_clusters WHERE run_id = 'first' "
            + "AND cluster_id >= 0").get(0)[0]);
    assertThat(summary.at("/timings_ms/task_time_by_stage/detect").asLong()).as("detect time recorded")
        .isPositive();
    // A finished run leaves its tables and runs/ only: the listing's and the chunks' staging are gone, parents too.
    assertThat(new java.io.File(out).list()).as("entries of the output folder")
        .containsExactlyInAnyOrder("images", "faces", "clusters", "runs");
  }

  @Test
  void clustersTheMainFaceOfEachPersonTogether() {
    List<Object[]> perPerson = sql(IdentityClusters.mainFacesPerPerson("sample_faces", "sample_clusters", "first",
        "/lfw/([^/]+)/"));
    assertThat(perPerson).as("people in the sample").hasSize(5)
        .allSatisfy(p -> assertThat(p).as("photos and clusters of %s", p[0]).startsWith(p[0], 4L, 1L));
    assertThat(perPerson.stream().map(p -> p[3]).distinct().count()).as("five people, five clusters")
        .isEqualTo(5);
  }

  @Test
  void gatedFacesKeepTheirRowsButJoinNoCluster() {
    // Defaults: short side >= 32 px and score >= 0.7 to join a cluster.
    assertThat(sql("SELECT count(*) FROM sample_faces WHERE run_id = 'first' AND (gate IS NOT NULL) <> "
        + "(least(box[2] - box[0], box[3] - box[1]) < 32 OR score < 0.7)"))
        .as("faces whose gate disagrees with the rule").containsExactly(row(0L));
    // Graph clustering (the default without k): the 20 main portrait faces form the 5 people's clusters; the
    // people of the group photo (5 faces pass the gates) and a background face in one portrait appear once
    // each: components below cluster.min-size 2, so noise (-1).
    assertThat(sql("SELECT f.gate IS NOT NULL AS gated, c.cluster_id >= 0 AS clustered, "
        + "f.path LIKE '%%/group/%%' AS group_photo, count(*) "
        + "FROM sample_faces f JOIN sample_clusters c ON f.face_id = c.face_id AND c.run_id = f.run_id "
        + "WHERE f.run_id = 'first' GROUP BY gated, clustered, group_photo ORDER BY gated, clustered, group_photo"))
        .as("gated faces get -1 (one: a small background face); lone ungated faces are noise")
        .containsExactly(row(false, false, false, 1L), row(false, false, true, 5L), row(false, true, false, 20L),
            row(true, false, true, 1L));
    assertThat(summary.at("/counts/unclustered").asLong()).as("summary: unclustered faces").isEqualTo(7);
  }

  @Test
  void loadsEachModelOncePerJvmAcrossManyPartitions() {
    assertThat(summary.at("/spark/partitions").asLong()).as("partitions of the plan (22 files, 3 per partition)")
        .isGreaterThanOrEqualTo(8);
    assertThat(summary.at("/spark/model_sessions_created").asLong())
        .as("sessions of the run's models in the JVMs that ran it (one JVM here: detector and embedder)")
        .isEqualTo(2);
    assertThat(OrtSessions.createdFor(TestData.detectorSpec())).as("detector sessions in this JVM").isEqualTo(1);
    // The run's embedder (the default spec), not TestData.embedderSpec(), which is MobileFaceNet.
    ModelSpec embedder = ModelSpecs.load(summary.at("/models/embedder/name").asText(), TestData.modelsDir(),
        ModelSpec.FACE_EMBEDDER);
    assertThat(OrtSessions.createdFor(embedder)).as("embedder sessions in this JVM").isEqualTo(1);
  }

  @Test
  void rerunReplacesItsOwnPartitionOnly() {
    JobRunner.run(TestData.sample().toString(), out, "--run-id", "second", "--k", "5");
    JobRunner.run(TestData.sample().toString(), out, "--run-id", "second", "--k", "5", "--cluster", "bisecting");
    view("images");
    view("faces");
    view("clusters");
    assertThat(sql("SELECT run_id, count(*), count(DISTINCT path) FROM sample_images GROUP BY run_id ORDER BY run_id"))
        .as("images rows per run after rerunning 'second'")
        .containsExactly(row("first", 22L, 22L), row("second", 22L, 22L));
    assertThat(Path.of(out, "runs/run_id=first/summary.json")).as("the first run keeps its summary").exists();
    assertThat(spark.read().option("multiLine", "true").json(out + "/runs/run_id=*/summary.json")
        .select("run_id", "cluster.method").orderBy("run_id").collectAsList().stream().map(SparkTestBase::toJava))
        .as("one summary per run; the rerun's replaced its own").containsExactly(row("first", "graph"),
            row("second", "bisecting"));
    assertThat(sql("SELECT count(*) - count(DISTINCT face_id) FROM sample_faces WHERE run_id = 'second'"))
        .as("duplicate faces in the rerun partition").containsExactly(row(0L));
    assertThat(sql("SELECT count(DISTINCT cluster_id), min(cluster_id), max(cluster_id) FROM sample_clusters "
        + "WHERE run_id = 'second' AND cluster_id >= 0")).as("bisecting k=5 cluster ids")
        .containsExactly(row(5L, 0L, 4L));
  }
}
