package io.facecluster.library;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** The `persons` rows of the persons a run touched, from the library's faces as they will be after it. */
final class PersonRows {
  private PersonRows() {}

  /**
   * The library's faces after a change: the old rows, with every row of `changed` (same face_id) replacing its
   * old version and new ones added.
   */
  static Dataset<Row> after(Dataset<Row> oldFaces, Dataset<Row> changed) {
    return oldFaces.join(changed.select("face_id"), oldFaces.col("face_id").equalTo(changed.col("face_id")),
            "left_anti")
        .unionByName(changed.select(LibraryCommit.cols(oldFaces.columns())));
  }

  /**
   * One row per touched person: face_count and representative (highest detector score, then smallest face_id)
   * over `facesAfter`; created_run, merged_into and name kept from `persons` (a new person: created now).
   * A touched person left with no face keeps its row with face_count 0 (ids are never dropped).
   */
  static Dataset<Row> of(Dataset<Row> touched, Dataset<Row> facesAfter, Dataset<Row> persons, String runId) {
    Dataset<Row> held = facesAfter.filter(col("person_id").isNotNull()).join(touched, "person_id");
    Dataset<Row> rep = held.withColumn("r", row_number().over(
            Window.partitionBy("person_id").orderBy(col("score").desc(), col("face_id"))))
        .groupBy("person_id").agg(count("*").as("face_count"),
            max(when(col("r").equalTo(1), col("face_id"))).as("representative_face_id"));
    Dataset<Row> old = persons.select(col("person_id"), col("created_run"), col("merged_into"), col("name"));
    return touched.join(rep, "person_id", "left").join(old, "person_id", "left")
        .select(col("person_id"),
            org.apache.spark.sql.functions.coalesce(col("face_count"), lit(0L)).as("face_count"),
            col("representative_face_id"),
            org.apache.spark.sql.functions.coalesce(col("created_run"), lit(runId)).as("created_run"),
            lit(runId).as("updated_run"), col("merged_into"), col("name"));
  }
}
