package io.facecluster.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.facecluster.config.JobConfig;
import io.facecluster.output.RunTables;
import io.facecluster.output.Schemas;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The counts of summary.json, from one small aggregation (a few rows reach the driver, never the data). */
final class RunCounts {
  private RunCounts() {}

  static Map<String, Long> of(SparkSession spark, Dataset<Row> results, JobConfig config) {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    long faces = 0;
    for (Row r : results.groupBy("status").agg(count("*"), sum("face_count")).collectAsList()) {
      byStatus.put(r.getString(0), r.getLong(1));
      faces += r.isNullAt(2) ? 0 : r.getLong(2);
    }
    Row clusters = spark.read().schema(Schemas.CLUSTERS).parquet(RunTables.path(config.output(), "clusters"))
        .where(col("run_id").equalTo(config.runId()))
        .agg(countDistinct(when(col("cluster_id").geq(0), col("cluster_id"))),
            count(when(col("cluster_id").lt(0), lit(1)))).first();
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("files", byStatus.values().stream().mapToLong(Long::longValue).sum());
    counts.put(Schemas.OK, byStatus.getOrDefault(Schemas.OK, 0L));
    counts.put(Schemas.NO_FACE, byStatus.getOrDefault(Schemas.NO_FACE, 0L));
    counts.put(Schemas.ERROR, byStatus.getOrDefault(Schemas.ERROR, 0L));
    counts.put("faces", faces);
    counts.put("clusters", clusters.getLong(0));
    counts.put("unclustered", clusters.getLong(1));
    return counts;
  }
}
