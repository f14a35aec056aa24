package io.facecluster.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.split;

import io.facecluster.cluster.GraphClustering;
import io.facecluster.output.RunTables;
import io.facecluster.output.Schemas;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Scores a run's clusters against labels taken from folder names (lfw/&lt;Name&gt;/file.jpg: label = Name), as
 * labelled collections such as LFW are laid out. The metrics are aggregated by Spark
 * ({@link DistributedClusteringMetrics}); only a handful of numbers reach the driver.
 */
public final class ClusterScoring {
  private ClusterScoring() {}

  public static ClusteringMetrics score(SparkSession spark, String output, String runId) {
    JavaPairRDD<Long, Long> clusterLabel = spark.read().schema(Schemas.FACES)
        .parquet(RunTables.path(output, "faces"))
        .where(col("run_id").equalTo(runId))
        .join(spark.read().schema(Schemas.CLUSTERS).parquet(RunTables.path(output, "clusters"))
            .where(col("run_id").equalTo(runId)), "face_id")
        .select(col("cluster_id"), element_at(split(col("path"), "/"), -2).as("label"))
        .javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getLong(0), GraphClustering.key64(r.getString(1))));
    return DistributedClusteringMetrics.of(clusterLabel);
  }
}
