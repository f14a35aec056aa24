package io.facecluster.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The counts of one run, read back from its committed images / faces / clusters partitions: the one source
 * that summary.json, the console table and the report share. One small aggregation per table (a row each
 * reaches the driver, never the data); nothing is recomputed from the models.
 */
@JsonPropertyOrder({"files", "ok", "no_face", "error", "known", "faces", "gated", "clusters", "unclustered"})
public record RunCounts(long files, long ok, long noFace, long error, long known, long faces, long gated,
    long clusters, long unclustered) {

  /** Files that went to decode and the models: all but the `known` ones. */
  public long processed() {
    return files - known;
  }

  /**
   * The share of `error` among the processed files (0 when there are none). Known files are left out: they are
   * the library's images, read fine, and a rerun over a large known folder must not dilute the new files' errors.
   */
  public double errorShare() {
    return processed() == 0 ? 0 : (double) error / processed();
  }

  /** One run's partition of a table under `output`, with its declared schema. */
  public static Dataset<Row> table(SparkSession spark, String output, String name, StructType schema,
      String runId) {
    return spark.read().schema(schema).parquet(RunTables.path(output, name)).where(col("run_id").equalTo(runId));
  }

  /** Files by status, from the images table only (what the error gate needs before faces are written). */
  public static RunCounts ofImages(SparkSession spark, String output, String runId) {
    Row i = table(spark, output, "images", Schemas.IMAGES, runId)
        .agg(count(lit(1)), count(when(col("status").equalTo(Schemas.OK), lit(1))),
            count(when(col("status").equalTo(Schemas.NO_FACE), lit(1))),
            count(when(col("status").equalTo(Schemas.ERROR), lit(1))),
            count(when(col("status").equalTo(Schemas.KNOWN), lit(1)))).first();
    return new RunCounts(i.getLong(0), i.getLong(1), i.getLong(2), i.getLong(3), i.getLong(4), 0, 0, 0, 0);
  }

  public static RunCounts of(SparkSession spark, String output, String runId) {
    RunCounts i = ofImages(spark, output, runId);
    Row f = table(spark, output, "faces", Schemas.FACES, runId)
        .agg(count(lit(1)), count(when(col("gate").isNotNull(), lit(1)))).first();
    Row c = table(spark, output, "clusters", Schemas.CLUSTERS, runId)
        .agg(countDistinct(when(col("cluster_id").geq(0), col("cluster_id"))),
            count(when(col("cluster_id").lt(0), lit(1)))).first();
    return new RunCounts(i.files, i.ok, i.noFace, i.error, i.known, f.getLong(0), f.getLong(1), c.getLong(0),
        c.getLong(1));
  }
}
