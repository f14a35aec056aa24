package io.facecluster.udfs;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.Iterator;
import scala.collection.Seq;
import scala.collection.mutable.WrappedArray;

/**
 * Spark SQL functions over face embeddings and boxes. Call {@link #register(SparkSession)} once
 * per session, then from SQL:
 *
 * <pre>
 *   cosine_similarity(array&lt;float&gt; a, array&lt;float&gt; b) -&gt; float
 *   euclidean_distance(array&lt;float&gt; a, array&lt;float&gt; b) -&gt; float
 *   l2_normalize(array&lt;float&gt; v)                        -&gt; array&lt;float&gt;
 *   bbox_iou(array&lt;float&gt; box_a, array&lt;float&gt; box_b)   -&gt; float  -- [x1, y1, x2, y2]
 *   face_thumbnail(string path, array&lt;float&gt; box, int size) -&gt; string -- JPEG data URI
 * </pre>
 *
 * <p>NULL rules (details in {@link VectorMath}): a NULL array, an array containing a NULL element,
 * or arrays of different lengths give NULL. {@code cosine_similarity} with a zero vector gives NULL
 * (not NaN); {@code l2_normalize} returns a zero vector unchanged; {@code bbox_iou} gives NULL for
 * a box that is not 4 values with {@code x2 > x1, y2 > y1}, and 0 for boxes that do not overlap.
 * {@code face_thumbnail} gives NULL for such a box too, and for a file it cannot read or decode
 * (see {@link FaceThumbnail}).
 *
 * <p>Any numeric array is accepted, not only array&lt;float&gt;: Java UDFs registered without
 * input types get no implicit casts, and SQL literals such as {@code array(1.0, 0.5)} are
 * array&lt;decimal&gt;, while PySpark embeddings are often array&lt;double&gt;. Elements are
 * converted to float.
 */
public final class FaceUdfs {

  private FaceUdfs() {}

  /** Registers all functions (as temporary functions) in {@code spark}'s function registry. */
  public static void register(SparkSession spark) {
    spark
        .udf()
        .register(
            "cosine_similarity",
            (UDF2<Seq<?>, Seq<?>, Float>)
                (a, b) -> VectorMath.cosine(toFloatArray(a), toFloatArray(b)),
            DataTypes.FloatType);
    spark
        .udf()
        .register(
            "euclidean_distance",
            (UDF2<Seq<?>, Seq<?>, Float>)
                (a, b) -> VectorMath.euclidean(toFloatArray(a), toFloatArray(b)),
            DataTypes.FloatType);
    spark
        .udf()
        .register(
            "bbox_iou",
            (UDF2<Seq<?>, Seq<?>, Float>) (a, b) -> VectorMath.iou(toFloatArray(a), toFloatArray(b)),
            DataTypes.FloatType);
    spark
        .udf()
        .register(
            "l2_normalize",
            (UDF1<Seq<?>, List<Float>>) v -> asList(VectorMath.l2normalize(toFloatArray(v))),
            DataTypes.createArrayType(DataTypes.FloatType, false));
    FaceThumbnail thumbnail = new FaceThumbnail(spark.sparkContext().hadoopConfiguration());
    spark
        .udf()
        .register(
            "face_thumbnail",
            (UDF3<String, Seq<?>, Object, String>)
                (path, box, size) -> thumbnail.dataUri(path, toFloatArray(box), toInt(size)),
            DataTypes.StringType);
  }

  /** An integer argument of any SQL integer type (no implicit casts for Java UDFs); else null. */
  static Integer toInt(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      long v = ((Number) value).longValue();
      return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (int) v : null;
    }
    return null;
  }

  /**
   * Converts the value Spark hands a Java UDF for an array column into a float[]; {@code null} if
   * the array or any element is null.
   *
   * <p>Spark 3.5 (Scala 2.12) passes array columns as a {@code scala.collection.Seq}, in practice
   * a {@code WrappedArray} over an {@code Object[]} of already-boxed elements (e.g. {@code
   * java.lang.Float}). Reading that backing array directly skips Scala's iterator; the boxing itself
   * happened inside Spark and cannot be avoided through the UDF API. The generic Seq path is the
   * fallback for other Seq implementations.
   */
  static float[] toFloatArray(Seq<?> seq) {
    if (seq == null) {
      return null;
    }
    if (seq instanceof WrappedArray) {
      Object backing = ((WrappedArray<?>) seq).array();
      if (backing instanceof float[]) {
        return (float[]) backing; // VectorMath never writes to its inputs
      }
      if (backing instanceof Object[]) {
        Object[] values = (Object[]) backing;
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
          if (values[i] == null) {
            return null;
          }
          out[i] = ((Number) values[i]).floatValue();
        }
        return out;
      }
    }
    float[] out = new float[seq.length()];
    Iterator<?> it = seq.iterator();
    for (int i = 0; it.hasNext(); i++) {
      Object value = it.next();
      if (value == null) {
        return null;
      }
      out[i] = ((Number) value).floatValue();
    }
    return out;
  }

  /**
   * A read-only List view of {@code values} for an array&lt;float&gt; result, which Spark converts
   * through {@code java.lang.Iterable}; the view avoids an intermediate ArrayList. Null stays null.
   */
  static List<Float> asList(float[] values) {
    if (values == null) {
      return null;
    }
    return new FloatList(values);
  }

  private static final class FloatList extends AbstractList<Float> implements RandomAccess {
    private final float[] values;

    FloatList(float[] values) {
      this.values = values;
    }

    @Override
    public Float get(int index) {
      return values[index];
    }

    @Override
    public int size() {
      return values.length;
    }
  }
}
