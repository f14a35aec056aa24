package io.facecluster.output;

import io.facecluster.faults.InjectedFaults;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a run's rows into `<output>/<table>/run_id=<id>/`. Dynamic partition overwrite replaces only that
 * run's partition: a rerun with the same id (or a retried job) leaves no duplicates and other runs untouched.
 */
public final class RunTables {
  private RunTables() {}

  public static void write(Dataset<Row> rows, StructType schema, String output, String table) {
    Column[] cols = Arrays.stream(schema.fieldNames()).map(rows::col).toArray(Column[]::new);
    Dataset<Row> typed = rows.select(cols);
    if (!typed.schema().equals(schema)) {
      // Nullability may be wider than declared after Spark expressions; the names and types must match exactly.
      typed = typed.sparkSession().createDataFrame(typed.rdd(), schema);
    }
    withWriteFault(typed, schema).write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy("run_id")
        .parquet(path(output, table));
  }

  /**
   * The rows as they go to a write: unchanged, or (tests only, when the write fault point is configured) with a
   * step in the write tasks where a first attempt fails mid-partition. Every table write of a run goes through
   * it, the chunks' staging included.
   */
  public static Dataset<Row> withWriteFault(Dataset<Row> rows, StructType schema) {
    if (!InjectedFaults.configured(rows.sparkSession().sparkContext(), InjectedFaults.Point.WRITE)) {
      return rows;
    }
    return rows.sparkSession().createDataFrame(
        rows.javaRDD().mapPartitions(it -> InjectedFaults.passThrough(it, InjectedFaults.Point.WRITE)), schema);
  }

  /**
   * `<output>/runs/run_id=<id>/<name>`: a run's own files (summary.json, its commit marker, and report.html),
   * kept per run so that the next run does not replace them.
   */
  public static String runFile(String output, String runId, String name) {
    return path(output, "runs/run_id=" + runId + "/" + name);
  }

  /** The committed rows of one run in one table (run_id kept as a column). */
  public static Dataset<Row> read(org.apache.spark.sql.SparkSession spark, String output, String table, String runId) {
    return spark.read().parquet(path(output, table)).filter(org.apache.spark.sql.functions.col("run_id").equalTo(runId));
  }

  public static String path(String output, String table) {
    return output.endsWith("/") ? output + table : output + "/" + table;
  }
}
