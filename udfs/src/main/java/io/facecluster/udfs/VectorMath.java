package io.facecluster.udfs;

/**
 * Plain-Java vector and box math behind the Spark SQL functions in {@link FaceUdfs}.
 *
 * <p>No Spark types here, so the math is unit-tested without a SparkSession. Sums are accumulated
 * in {@code double}: embeddings have hundreds of dimensions and float accumulation loses digits
 * that matter when ranking near-duplicate faces. Results are rounded to {@code float} once, at the
 * end.
 *
 * <p>Functions that can be undefined return a boxed {@link Float} and use {@code null} for
 * "undefined" (SQL NULL), never NaN. NaN or infinite elements in the input are not checked; they
 * propagate into the result as IEEE arithmetic dictates.
 */
public final class VectorMath {

  private VectorMath() {}

  /**
   * Dot product, accumulated in double.
   *
   * @throws IllegalArgumentException if the lengths differ (callers check first; the nullable
   *     functions below turn that case into {@code null})
   */
  public static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("length mismatch: " + a.length + " vs " + b.length);
    }
    double sum = 0.0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  /** Euclidean (L2) norm, accumulated in double; 0 for an empty vector. */
  public static double norm(float[] a) {
    return Math.sqrt(dot(a, a));
  }

  /**
   * Cosine similarity in [-1, 1].
   *
   * @return {@code null} if either vector is null, the lengths differ, or either vector has zero
   *     norm (including empty vectors): the angle to a zero vector is undefined, and a SQL NULL
   *     sorts and filters predictably where NaN would silently win {@code ORDER BY ... DESC}.
   */
  public static Float cosine(float[] a, float[] b) {
    if (a == null || b == null || a.length != b.length) {
      return null;
    }
    double dot = 0.0;
    double aa = 0.0;
    double bb = 0.0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
    if (aa == 0.0 || bb == 0.0) {
      return null;
    }
    double cos = dot / (Math.sqrt(aa) * Math.sqrt(bb));
    // Rounding can push parallel vectors just past 1; keep the documented range.
    return (float) Math.max(-1.0, Math.min(1.0, cos));
  }

  /**
   * Unit-length copy of {@code a} (the input is not modified).
   *
   * @return {@code null} for a null input; a zero (or empty) vector is returned as a copy of
   *     itself (all zeros), since it has no direction to normalize to and dividing would give NaN.
   */
  public static float[] l2normalize(float[] a) {
    if (a == null) {
      return null;
    }
    double n = norm(a);
    float[] out = new float[a.length];
    if (n == 0.0) {
      return out; // all zeros, same length
    }
    for (int i = 0; i < a.length; i++) {
      out[i] = (float) (a[i] / n);
    }
    return out;
  }

  /**
   * Euclidean distance.
   *
   * @return {@code null} if either vector is null or the lengths differ; 0 for two empty vectors.
   */
  public static Float euclidean(float[] a, float[] b) {
    if (a == null || b == null || a.length != b.length) {
      return null;
    }
    double sum = 0.0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      sum += d * d;
    }
    return (float) Math.sqrt(sum);
  }

  /**
   * Intersection over union of two axis-aligned boxes {@code [x1, y1, x2, y2]} in pixels.
   *
   * @return IoU in [0, 1]; 0 when the boxes do not overlap (touching edges count as no overlap);
   *     {@code null} if either box is null, does not have exactly 4 values, or is degenerate or
   *     invalid ({@code x2 <= x1}, {@code y2 <= y1}, or any NaN coordinate).
   */
  public static Float iou(float[] a, float[] b) {
    if (!isValidBox(a) || !isValidBox(b)) {
      return null;
    }
    double iw = Math.min(a[2], b[2]) - (double) Math.max(a[0], b[0]);
    double ih = Math.min(a[3], b[3]) - (double) Math.max(a[1], b[1]);
    if (iw <= 0.0 || ih <= 0.0) {
      return 0f;
    }
    double inter = iw * ih;
    double union = area(a) + area(b) - inter;
    return (float) Math.min(1.0, inter / union);
  }

  private static boolean isValidBox(float[] box) {
    // The negated comparisons also reject NaN coordinates.
    return box != null && box.length == 4 && box[2] > box[0] && box[3] > box[1];
  }

  private static double area(float[] box) {
    return ((double) box[2] - box[0]) * ((double) box[3] - box[1]);
  }
}
