package io.facecluster.output;

import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * Declared schemas of the person library's Delta tables under `--library PATH` (docs/library.md; the README
 * documents them field by field). Faces and embeddings are personal data; `library_runs` holds none.
 */
public final class LibrarySchemas {
  private LibrarySchemas() {}

  public static final String FACES = "library_faces";
  public static final String PERSONS = "persons";
  public static final String IMAGES = "library_images";
  public static final String RUNS = "library_runs";
  /** The library's stored IVF cells (docs/library.md, "The stored index"); absent while the library is small. */
  public static final String INDEX = "library_index";
  /**
   * The tables in the order a run commits them: the index before the faces whose `cell` refers to it,
   * `library_runs` last, so that its row marks a whole commit.
   */
  public static final List<String> COMMIT_ORDER = List.of(IMAGES, INDEX, FACES, PERSONS, RUNS);

  /** Assignment of a face the job placed (match, clustering, recluster). */
  public static final String AUTO = "auto";
  /** Assignment of a face a user placed (corrections): kept by every later run and recluster. */
  public static final String USER = "user";

  /** Every image a run read into the library, by content: a later run skips the models for it. */
  public static final StructType LIBRARY_IMAGES = createStructType(List.of(
      createStructField("image_sha256", StringType, false),
      createStructField("path", StringType, false),
      createStructField("status", StringType, false),
      createStructField("face_count", IntegerType, false),
      createStructField("run_id", StringType, false)));

  /**
   * Every face that joined the library. person_id null = unassigned (reason says why: `no_match` after a run's
   * clustering left it alone, `ambiguous` when two persons claimed it); assigned_run is the run that last placed it;
   * cell is the face's nearest cell of the stored index (null while the library has none). The photo's path is
   * `image_path`, not `path` as in the run's tables: Delta 3.3's MERGE with deletion vectors renames every
   * column called `path` of its target while it builds the vectors, and then fails ("Reference `filePath` is
   * ambiguous"); the job's code reads the column back as `path` ({@code Library.faces()}).
   */
  public static final StructType LIBRARY_FACES = createStructType(List.of(
      createStructField("face_id", StringType, false),
      createStructField("image_sha256", StringType, true),
      createStructField("image_path", StringType, false),
      createStructField("run_id", StringType, false),
      createStructField("box", createArrayType(FloatType, false), false),
      createStructField("landmarks", createArrayType(FloatType, false), false),
      createStructField("score", FloatType, false),
      createStructField("embedding", createArrayType(FloatType, false), false),
      createStructField("person_id", StringType, true),
      createStructField("assignment", StringType, true),
      createStructField("reason", StringType, true),
      createStructField("assigned_run", StringType, true),
      createStructField("cell", IntegerType, true)));

  /**
   * The stored IVF index: one row per cell, its unit centroid, and the run that trained it. Written whole when a
   * run (re)trains it, together with every face's `cell`.
   */
  public static final StructType LIBRARY_INDEX = createStructType(List.of(
      createStructField("cell", IntegerType, false),
      createStructField("centroid", createArrayType(FloatType, false), false),
      createStructField("trained_run", StringType, false)));

  /** Every person id ever issued (never reused): a merged or emptied person keeps its row. */
  public static final StructType PERSONS_SCHEMA = createStructType(List.of(
      createStructField("person_id", StringType, false),
      createStructField("face_count", LongType, false),
      createStructField("representative_face_id", StringType, true),
      createStructField("created_run", StringType, false),
      createStructField("updated_run", StringType, false),
      createStructField("merged_into", StringType, true),
      createStructField("name", StringType, true)));

  /**
   * One row per committed run (`run` or `recluster`), appended last. versions_before / versions_after: each
   * table's Delta version before the run's first write and after its commit (-1 = the table did not exist); a
   * run killed mid-commit is rolled back to versions_after of the row before it. No biometric data.
   */
  public static final StructType LIBRARY_RUNS = createStructType(List.of(
      createStructField("seq", LongType, false),
      createStructField("run_id", StringType, false),
      createStructField("command", StringType, false),
      createStructField("embedder", StringType, false),
      createStructField("embedder_sha256", StringType, false),
      createStructField("started", StringType, false),
      createStructField("committed", StringType, false),
      createStructField("images_added", LongType, false),
      createStructField("images_known", LongType, false),
      createStructField("faces_added", LongType, false),
      createStructField("joined_existing", LongType, false),
      createStructField("new_persons", LongType, false),
      createStructField("faces_in_new_persons", LongType, false),
      createStructField("unassigned", LongType, false),
      createStructField("ambiguous", LongType, false),
      createStructField("persons_kept", LongType, false),
      createStructField("persons_merged", LongType, false),
      createStructField("persons_split", LongType, false),
      createStructField("library_faces", LongType, false),
      createStructField("library_persons", LongType, false),
      createStructField("match_ms", LongType, false),
      createStructField("cluster_ms", LongType, false),
      createStructField("commit_ms", LongType, false),
      createStructField("versions_before", createMapType(StringType, LongType, false), false),
      createStructField("versions_after", createMapType(StringType, LongType, false), false)));
}
