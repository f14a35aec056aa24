package io.facecluster.run;

import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import io.facecluster.output.RunCounts;
import io.facecluster.output.Schemas;
import io.facecluster.pipeline.StageTimes;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the tasks spent, summed from the committed images rows (never from accumulators, which count a
 * recomputed partition twice and miss a failed attempt's sessions): task time per stage, and the ONNX Runtime
 * sessions created (per JVM the largest `jvm_sessions` of its rows, summed over JVMs).
 */
record TaskTotals(Map<String, Long> millisByStage, long sessions) {

  static TaskTotals read(SparkSession spark, String output, String runId) {
    Dataset<Row> images = RunCounts.table(spark, output, "images", Schemas.IMAGES, runId);
    Map<String, Long> millis = StageTimes.millisByStage(images);
    Row sessions = images.groupBy("jvm").agg(max("jvm_sessions").as("n")).agg(sum("n")).first();
    return new TaskTotals(millis, sessions.isNullAt(0) ? 0 : sessions.getLong(0));
  }
}
