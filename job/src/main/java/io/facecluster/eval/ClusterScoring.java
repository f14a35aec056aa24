package io.facecluster.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.split;

import io.facecluster.output.RunTables;
import io.facecluster.output.Schemas;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scores a run's clusters against labels taken from folder names (lfw/&lt;Name&gt;/file.jpg: label = Name), as
 * labelled collections such as LFW are laid out. Only (cluster, label) pairs reach the driver: two small
 * values per face.
 */
public final class ClusterScoring {
  private ClusterScoring() {}

  public static ClusteringMetrics score(SparkSession spark, String output, String runId) {
    List<Row> rows = spark.read().schema(Schemas.FACES).parquet(RunTables.path(output, "faces"))
        .where(col("run_id").equalTo(runId))
        .join(spark.read().schema(Schemas.CLUSTERS).parquet(RunTables.path(output, "clusters"))
            .where(col("run_id").equalTo(runId)), "face_id")
        .select(col("cluster_id"), element_at(split(col("path"), "/"), -2).as("label"))
        .collectAsList();
    long[] cluster = new long[rows.size()];
    String[] label = new String[rows.size()];
    for (int i = 0; i < cluster.length; i++) {
      cluster[i] = rows.get(i).getLong(0);
      label[i] = rows.get(i).getString(1);
    }
    return ClusteringMetrics.of(cluster, label);
  }
}
