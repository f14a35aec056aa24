package io.facecluster.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A run's rows in the three tables as sorted JSON lines, to compare two runs of one input: everything but
 * times and the JVM that made a row (stage_us, jvm, jvm_sessions) and the run id. Clusters are compared as a
 * partition of the faces: each face with the smallest face_id of its cluster (noise: "noise"), so that the
 * same grouping under other cluster_id numbers still compares equal (the numbering is engineer "cluster"'s part
 * of issue 15; the grouping is what a kill must not change).
 */
record RunRows(List<String> images, List<String> faces, List<String> clusters) {
  static RunRows of(SparkSession spark, Path out, String runId) {
    return new RunRows(
        lines(spark, "SELECT to_json(struct(path, status, reason, width, height, face_count)) FROM parquet.`%s/images` "
            + "WHERE run_id = '%s' ORDER BY path", out, runId),
        lines(spark, "SELECT to_json(struct(face_id, path, box, score, landmarks, embedding, embedder, gate)) "
            + "FROM parquet.`%s/faces` WHERE run_id = '%s' ORDER BY face_id", out, runId),
        lines(spark, "SELECT to_json(struct(c.face_id, CASE WHEN c.cluster_id = -1 THEN 'noise' ELSE m.first END "
            + "AS cluster)) FROM parquet.`%1$s/clusters` c JOIN (SELECT cluster_id, min(face_id) AS first "
            + "FROM parquet.`%1$s/clusters` WHERE run_id = '%2$s' GROUP BY cluster_id) m "
            + "ON c.cluster_id = m.cluster_id WHERE c.run_id = '%2$s' ORDER BY c.face_id", out, runId));
  }

  private static List<String> lines(SparkSession spark, String query, Path out, String runId) {
    return spark.sql(String.format(query, out, runId)).collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  /** Run ids with a commit marker, read as notebook 1's fc_runs view reads them. */
  static List<String> committedRuns(SparkSession spark, Path out) {
    if (!Files.isDirectory(out.resolve("runs"))) {
      return List.of();
    }
    return spark.read().option("multiLine", "true").json(out + "/runs/run_id=*/summary.json")
        .select("run_id").orderBy("run_id").collectAsList().stream().map((Row r) -> r.getString(0)).toList();
  }

  /** The run's committed chunks (their `_COMMITTED` markers) in its staging, by chunk folder name. */
  static List<String> committedChunks(Path out, String runId) throws java.io.IOException {
    Path staging = out.resolve(ChunkStaging.FOLDER + "/run_id=" + runId);
    if (!Files.isDirectory(staging)) {
      return List.of();
    }
    try (Stream<Path> chunks = Files.list(staging)) {
      return chunks.filter(c -> Files.exists(c.resolve(ChunkStaging.MARKER)))
          .map(c -> c.getFileName().toString()).sorted().toList();
    }
  }
}
