package io.facecluster.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.sum;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Task time per stage from the per-image rows' `stage_us` (one small aggregation: a row per stage). */
public final class StageTimes {
  private StageTimes() {}

  /** Milliseconds per {@link Stage}, in stage order, summed over the rows (0 for a stage no row timed). */
  public static Map<String, Long> millisByStage(Dataset<Row> rows) {
    Map<String, Long> micros = new HashMap<>();
    for (Row r : rows.select(explode(col("stage_us"))).groupBy("key").agg(sum("value")).collectAsList()) {
      micros.put(r.getString(0), r.getLong(1));
    }
    Map<String, Long> millis = new LinkedHashMap<>();
    for (Stage s : Stage.values()) {
      millis.put(s.label(), micros.getOrDefault(s.label(), 0L) / 1_000);
    }
    return millis;
  }
}
