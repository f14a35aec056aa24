package io.facecluster.library;

import io.delta.tables.DeltaTable;
import io.facecluster.output.LibrarySchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The person library at one root (local, hdfs:// or s3a://): its Delta tables by path, their versions, and the
 * check that the session can use Delta at all. No metastore: SQL reads the tables as delta.`root/table`.
 */
public final class Library {
  static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
  /** A table's version before its first commit. */
  public static final long ABSENT = -1;
  private static final java.util.regex.Pattern COMMIT = java.util.regex.Pattern.compile("(\\d{20})\\.json");

  private final SparkSession spark;
  private final String root;

  public Library(SparkSession spark, String root) {
    requireDelta(spark);
    this.spark = spark;
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
  }

  /**
   * Delta's extension and catalog are static settings: a session started without them cannot get them later,
   * so the library refuses to start rather than fail at its first write.
   */
  static void requireDelta(SparkSession spark) {
    String ext = spark.conf().get("spark.sql.extensions", "");
    String catalog = spark.conf().get("spark.sql.catalog.spark_catalog", "");
    if (!ext.contains(DELTA_EXTENSION) || !catalog.equals(DELTA_CATALOG)) {
      throw new IllegalStateException("the person library needs Delta Lake in the Spark session: start it with "
          + "spark.sql.extensions=" + DELTA_EXTENSION + " and spark.sql.catalog.spark_catalog=" + DELTA_CATALOG
          + " (conf/spark-defaults.conf has both; in Zeppelin, set them in the Spark interpreter's settings); "
          + "this session has spark.sql.extensions='" + ext + "', spark_catalog='" + catalog + "'");
    }
  }

  public SparkSession spark() {
    return spark;
  }

  public String root() {
    return root;
  }

  public String path(String table) {
    return root + "/" + table;
  }

  public boolean exists(String table) {
    return version(table) != ABSENT;
  }

  /**
   * The table's rows at its current version, read as that version: Spark's cache matches plans, and Delta
   * re-caches a path's plan after each write, so a plain path read persisted earlier in the session could hand
   * back rows of another version. An absent table reads as empty with its declared schema.
   */
  public Dataset<Row> read(String table) {
    long v = version(table);
    if (v == ABSENT) {
      return spark.createDataFrame(java.util.List.of(), schema(table));
    }
    return spark.read().format("delta").option("versionAsOf", v).load(path(table));
  }

  /**
   * `library_faces` with the photo's column named `path`, as the run's faces tables and the clustering name it
   * (stored as `image_path`: LibrarySchemas.LIBRARY_FACES says why).
   */
  public Dataset<Row> faces() {
    return read(LibrarySchemas.FACES).withColumnRenamed("image_path", "path");
  }

  /**
   * The table's current Delta version, or {@link #ABSENT}: the highest commit file `_delta_log/<n>.json`. Read
   * from the listing, not from `history()`, which runs a Spark job; a commit file is written whole (Delta's
   * put-if-absent), and Delta's log cleanup never removes the newest one.
   */
  public long version(String table) {
    Path log = new Path(path(table), "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(log)) {
        return ABSENT;
      }
      long max = ABSENT;
      for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(log)) {
        java.util.regex.Matcher m = COMMIT.matcher(f.getPath().getName());
        if (m.matches()) {
          max = Math.max(max, Long.parseLong(m.group(1)));
        }
      }
      return max;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + log + ": " + e.getMessage(), e);
    }
  }

  /** Every table's current version, in commit order. */
  public Map<String, Long> versions() {
    Map<String, Long> v = new LinkedHashMap<>();
    for (String t : LibrarySchemas.COMMIT_ORDER) {
      v.put(t, version(t));
    }
    return v;
  }

  /**
   * Puts a table back at `version` (Delta RESTORE, a new commit that history shows), or removes it when it did
   * not exist then. Nothing happens when it is already there.
   */
  void restore(String table, long version) {
    long now = version(table);
    if (version == ABSENT) {
      // Also a folder with data files but no commit yet (a run killed inside its first write of the table).
      Path p = new Path(path(table));
      try {
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (fs.exists(p)) {
          fs.delete(p, true);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the half-created table " + p + ": " + e.getMessage(), e);
      }
      return;
    }
    if (now != version) {
      DeltaTable.forPath(spark, path(table)).restoreToVersion(version);
    }
  }

  public static StructType schema(String table) {
    return switch (table) {
      case LibrarySchemas.FACES -> LibrarySchemas.LIBRARY_FACES;
      case LibrarySchemas.PERSONS -> LibrarySchemas.PERSONS_SCHEMA;
      case LibrarySchemas.IMAGES -> LibrarySchemas.LIBRARY_IMAGES;
      case LibrarySchemas.RUNS -> LibrarySchemas.LIBRARY_RUNS;
      case LibrarySchemas.INDEX -> LibrarySchemas.LIBRARY_INDEX;
      default -> throw new IllegalArgumentException("no library table " + table);
    };
  }
}
