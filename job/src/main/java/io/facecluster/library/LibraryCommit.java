package io.facecluster.library;

import io.delta.tables.DeltaTable;
import io.facecluster.output.LibrarySchemas;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a run's changes into the library: one Delta transaction per table, in {@link LibrarySchemas#COMMIT_ORDER}
 * (images, index, faces, persons, then the `library_runs` row last). Faces and persons are MERGEd on their key,
 * so the same rows written twice are one row; images are appended (they are new by construction), the index is
 * replaced whole. A process killed between two of these commits leaves tables ahead of
 * the last `library_runs` row; the next writer restores them ({@link RunLog#prepare}) before it reads anything.
 */
final class LibraryCommit {
  /**
   * Tests only: the table after whose commit the driver waits (10 minutes), so that a test can kill its JVM
   * between two commits of a run at a known point; unset in production.
   */
  static final String PAUSE_AFTER = "spark.facecluster.test.pause-after-library-table";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LibraryCommit.class);

  private static final Map<String, String> KEYS = Map.of(
      LibrarySchemas.IMAGES, "image_sha256",
      LibrarySchemas.FACES, "face_id",
      LibrarySchemas.PERSONS, "person_id");

  private LibraryCommit() {}

  /**
   * MERGEs (or, for a table not there yet, creates) each table that `rows` names, or replaces it whole when
   * `replace` names it (the index, and the faces when their cells change); returns every table's version after
   * (a table a command does not change, e.g. images in a recluster, keeps its version).
   */
  static Map<String, Long> write(Library lib, Map<String, Dataset<Row>> rows, java.util.Set<String> replace) {
    Map<String, Long> after = new LinkedHashMap<>();
    for (String table : LibrarySchemas.COMMIT_ORDER) {
      if (table.equals(LibrarySchemas.RUNS)) {
        continue;
      }
      if (!rows.containsKey(table)) {
        after.put(table, lib.version(table));
        continue;
      }
      Dataset<Row> given = rows.get(table);
      if (table.equals(LibrarySchemas.FACES) && Arrays.asList(given.columns()).contains("path")) {
        given = given.withColumnRenamed("path", "image_path"); // as Library.faces() read it
      }
      Dataset<Row> typed = typed(given, Library.schema(table));
      if (replace.contains(table)) {
        replace(lib, table, typed);
      } else if (table.equals(LibrarySchemas.IMAGES) && lib.exists(table)) {
        // Appended, not merged: a run's images are the ones the library does not hold (a file whose content
        // hash is there comes out `known` and is not among them), and a rerun first restores the versions
        // before its first run. A MERGE would read every image hash of the library to find none.
        typed.write().format("delta").mode("append").save(lib.path(table));
      } else {
        merge(lib, table, typed);
      }
      after.put(table, lib.version(table));
      committed(lib, table, after.get(table));
    }
    return after;
  }

  /** Appends the run's row: the commit point of the whole run. */
  static void appendRun(Library lib, Row run) {
    lib.spark().createDataFrame(List.of(run), LibrarySchemas.LIBRARY_RUNS).write().format("delta").mode("append")
        .save(lib.path(LibrarySchemas.RUNS));
    committed(lib, LibrarySchemas.RUNS, lib.version(LibrarySchemas.RUNS));
  }

  private static void committed(Library lib, String table, long version) {
    LOG.info("library {}: {} committed at version {}", lib.root(), table, version);
    if (table.equals(lib.spark().sparkContext().getConf().get(PAUSE_AFTER, ""))) {
      LOG.warn("library {}: pausing after {} ({} is set: tests only)", lib.root(), table, PAUSE_AFTER);
      try {
        Thread.sleep(600_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void merge(Library lib, String table, Dataset<Row> rows) {
    if (!lib.exists(table)) {
      create(lib, table, rows);
      return;
    }
    String key = KEYS.get(table);
    DeltaTable.forPath(lib.spark(), lib.path(table)).as("t")
        .merge(rows.as("s"), "t." + key + " = s." + key)
        .whenMatched().updateAll()
        .whenNotMatched().insertAll()
        .execute();
  }

  /** The table's rows replaced by `rows` in one transaction (history keeps the old version). */
  private static void replace(Library lib, String table, Dataset<Row> rows) {
    if (!lib.exists(table)) {
      create(lib, table, rows);
      return;
    }
    rows.write().format("delta").mode("overwrite").save(lib.path(table));
  }

  /**
   * A new table with its first rows, in one commit. Deletion vectors on: a run's MERGE marks the few changed rows
   * of a data file instead of rewriting the file (its unassigned faces that found a person are spread over
   * every file of a large library). Rows a vector marks stay in their file until it is rewritten or purged.
   */
  private static void create(Library lib, String table, Dataset<Row> rows) {
    rows.write().format("delta").mode("errorifexists").option("delta.enableDeletionVectors", "true")
        .save(lib.path(table));
  }

  /** The rows with exactly the declared columns and order (nullability as declared: Spark widens it). */
  static Dataset<Row> typed(Dataset<Row> rows, StructType schema) {
    Dataset<Row> out = rows.select(cols(schema.fieldNames()));
    return out.schema().equals(schema) ? out : out.sparkSession().createDataFrame(out.rdd(), schema);
  }

  /** Columns by name, for select(Column...). */
  static Column[] cols(String[] names) {
    return Arrays.stream(names).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  /** The `library_runs` row (schema LIBRARY_RUNS) from named values. */
  static Row runRow(Map<String, Object> values) {
    Object[] v = new Object[LibrarySchemas.LIBRARY_RUNS.size()];
    for (int i = 0; i < v.length; i++) {
      String name = LibrarySchemas.LIBRARY_RUNS.fields()[i].name();
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException("library_runs row lacks " + name);
      }
      v[i] = values.get(name);
    }
    return RowFactory.create(v);
  }
}
