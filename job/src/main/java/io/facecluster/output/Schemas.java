package io.facecluster.output;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
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

/** Declared schemas of everything the job writes (documented field by field in the README). */
public final class Schemas {
  private Schemas() {}

  public static final String OK = "ok";
  public static final String NO_FACE = "no_face";
  public static final String ERROR = "error";
  /**
   * The file's content (sha256) is already in the person library: read and hashed, never decoded nor given to a
   * model, so it has no faces and no size (issue 16: a rerun or a re-listed folder costs listing and hashing).
   */
  public static final String KNOWN = "known";

  /**
   * Microseconds one file spent in each pipeline stage (read, decode, detect, detect_run, align, embed,
   * embed_run; a batch's embed time is split by the files' faces): summary.json's task time is their sum.
   */
  public static final org.apache.spark.sql.types.MapType STAGE_TIMES = createMapType(StringType, LongType, false);

  /** One detected face with its embedding, nested in the per-image result. */
  public static final StructType FACE = createStructType(List.of(
      createStructField("face_id", StringType, false),
      createStructField("box", createArrayType(FloatType, false), false),
      createStructField("score", FloatType, false),
      createStructField("landmarks", createArrayType(FloatType, false), false),
      createStructField("embedding", createArrayType(FloatType, false), false),
      createStructField("detection", StringType, false)));

  /**
   * What the per-partition pipeline emits: exactly one row per input file. `sha256` (lower-case hex of the file's
   * bytes, beside the path: what the file is, by name and by content) is null only when the bytes could not be
   * read; the person library knows images by it.
   */
  public static final StructType IMAGE_RESULT = createStructType(List.of(
      createStructField("path", StringType, false),
      createStructField("sha256", StringType, true),
      createStructField("status", StringType, false),
      createStructField("reason", StringType, true),
      createStructField("width", IntegerType, true),
      createStructField("height", IntegerType, true),
      createStructField("face_count", IntegerType, false),
      createStructField("faces", createArrayType(FACE, false), false),
      createStructField("stage_us", STAGE_TIMES, false),
      createStructField("jvm", StringType, false),
      createStructField("jvm_sessions", IntegerType, false)));

  /** `<output>/images`, partitioned by run_id. */
  public static final StructType IMAGES = createStructType(List.of(
      createStructField("path", StringType, false),
      createStructField("sha256", StringType, true),
      createStructField("status", StringType, false),
      createStructField("reason", StringType, true),
      createStructField("width", IntegerType, true),
      createStructField("height", IntegerType, true),
      createStructField("face_count", IntegerType, false),
      createStructField("stage_us", STAGE_TIMES, false),
      createStructField("jvm", StringType, false),
      createStructField("jvm_sessions", IntegerType, false),
      createStructField("run_id", StringType, false)));

  /** `<output>/faces`, partitioned by run_id. */
  public static final StructType FACES = createStructType(List.of(
      createStructField("face_id", StringType, false),
      createStructField("path", StringType, false),
      createStructField("box", createArrayType(FloatType, false), false),
      createStructField("score", FloatType, false),
      createStructField("landmarks", createArrayType(FloatType, false), false),
      createStructField("embedding", createArrayType(FloatType, false), false),
      createStructField("embedder", StringType, false),
      createStructField("gate", StringType, true),
      createStructField("run_id", StringType, false)));

  /** `<output>/metrics`: one row per number an evaluation measured, partitioned by run_id. */
  public static final StructType METRICS = createStructType(List.of(
      createStructField("evaluation", StringType, false),
      createStructField("metric", StringType, false),
      createStructField("value", DoubleType, false),
      createStructField("run_id", StringType, false)));

  /** `<output>/lfw_pairs`: every protocol pair with its score. */
  public static final StructType LFW_PAIRS = createStructType(List.of(
      createStructField("fold", IntegerType, false),
      createStructField("image_a", StringType, false),
      createStructField("image_b", StringType, false),
      createStructField("same", BooleanType, false),
      createStructField("score", DoubleType, false),
      createStructField("run_id", StringType, false)));

  /** `<output>/lfw_folds`: the threshold chosen on 9 folds and the accuracy on the held-out one. */
  public static final StructType LFW_FOLDS = createStructType(List.of(
      createStructField("fold", IntegerType, false),
      createStructField("threshold", DoubleType, false),
      createStructField("train_accuracy", DoubleType, false),
      createStructField("test_accuracy", DoubleType, false),
      createStructField("run_id", StringType, false)));

  /** `<output>/lfw_roc`: ROC points (accept when score > threshold). */
  public static final StructType ROC = createStructType(List.of(
      createStructField("threshold", DoubleType, false),
      createStructField("tar", DoubleType, false),
      createStructField("far", DoubleType, false),
      createStructField("run_id", StringType, false)));

  /** `<output>/clusters`, partitioned by run_id; person_id: the person library's person (null without one). */
  public static final StructType CLUSTERS = createStructType(List.of(
      createStructField("face_id", StringType, false),
      createStructField("cluster_id", LongType, false),
      createStructField("person_id", StringType, true),
      createStructField("run_id", StringType, false)));
}
