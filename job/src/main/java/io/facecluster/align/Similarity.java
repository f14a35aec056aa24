package io.facecluster.align;

/**
 * A 2-D similarity transform (uniform scale, rotation, translation; no shear, no reflection) as the 2x3 matrix
 * [[a, -b, tx], [b, a, ty]], the form OpenCV's warpAffine takes.
 */
public record Similarity(double a, double b, double tx, double ty) {

  /**
   * Least-squares fit mapping src points onto dst points (Umeyama 1991). In 2-D the optimum over scaled
   * rotations has a closed form: with centred points, a = sum(s.d) / sum(|s|^2) and b = sum(s x d) / sum(|s|^2).
   * This is Umeyama's estimate with the reflection excluded (the [[a,-b],[b,a]] form cannot reflect).
   *
   * @param src points as x0, y0, x1, y1, ...
   * @param dst the same number of target points
   */
  public static Similarity fit(double[] src, double[] dst) {
    if (src.length != dst.length || src.length < 4 || src.length % 2 != 0) {
      throw new IllegalArgumentException("need matching point lists of at least 2 points");
    }
    int n = src.length / 2;
    double msx = 0;
    double msy = 0;
    double mdx = 0;
    double mdy = 0;
    for (int i = 0; i < n; i++) {
      msx += src[2 * i];
      msy += src[2 * i + 1];
      mdx += dst[2 * i];
      mdy += dst[2 * i + 1];
    }
    msx /= n;
    msy /= n;
    mdx /= n;
    mdy /= n;
    double dot = 0;
    double cross = 0;
    double norm = 0;
    for (int i = 0; i < n; i++) {
      double sx = src[2 * i] - msx;
      double sy = src[2 * i + 1] - msy;
      double dx = dst[2 * i] - mdx;
      double dy = dst[2 * i + 1] - mdy;
      dot += sx * dx + sy * dy;
      cross += sx * dy - sy * dx;
      norm += sx * sx + sy * sy;
    }
    if (!Double.isFinite(norm)) {
      // NaN or infinite landmarks would give a NaN matrix and a black crop embedded as if it were a face
      throw new IllegalArgumentException("source points are not finite numbers");
    }
    if (norm == 0) {
      throw new IllegalArgumentException("source points are all the same point");
    }
    double a = dot / norm;
    double b = cross / norm;
    return new Similarity(a, b, mdx - (a * msx - b * msy), mdy - (b * msx + a * msy));
  }

  public double[] apply(double x, double y) {
    return new double[] {a * x - b * y + tx, b * x + a * y + ty};
  }

  public double scale() {
    return Math.hypot(a, b);
  }

  public double[] matrix() {
    return new double[] {a, -b, tx, b, a, ty};
  }
}
