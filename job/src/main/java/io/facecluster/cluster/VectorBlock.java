package io.facecluster.cluster;

import java.io.Serializable;
import java.util.List;

/**
 * Unit vectors packed row-major into one float array, with an id and a photo key per row: the unit of work of
 * the exact and the approximate kNN search. Two faces with the same photo key are never neighbours
 * (cannot-link); a face is never its own neighbour.
 */
public final class VectorBlock implements Serializable {
  private static final long serialVersionUID = 1L;
  final long[] ids;
  final long[] photos;
  final float[] matrix;
  final int dim;

  VectorBlock(long[] ids, long[] photos, float[] matrix, int dim) {
    this.ids = ids;
    this.photos = photos;
    this.matrix = matrix;
    this.dim = dim;
  }

  static VectorBlock of(List<FaceVector> rows) {
    int dim = rows.isEmpty() ? 0 : rows.get(0).vector.length;
    long[] ids = new long[rows.size()];
    long[] photos = new long[rows.size()];
    float[] m = new float[rows.size() * dim];
    for (int i = 0; i < ids.length; i++) {
      FaceVector f = rows.get(i);
      ids[i] = f.id;
      photos[i] = f.photo;
      System.arraycopy(f.vector, 0, m, i * dim, dim);
    }
    return new VectorBlock(ids, photos, m, dim);
  }

  int size() {
    return ids.length;
  }

  /**
   * For each query row q, offers every row d of `data` with dot(q, d) >= threshold (other than q itself and
   * faces of q's photo) to best[q].
   */
  static void search(VectorBlock queries, VectorBlock data, float threshold, Neighbours[] best) {
    searchBoth(queries, data, threshold, best, null);
  }

  /**
   * Like {@link #search}, and (bestData not null) each pair is also offered the other way: query row q to
   * bestData[d]. For blocks with no face in common (the IVF search's probing faces against a cell's own
   * faces), so that a pair computed once serves both of its faces.
   */
  static void searchBoth(VectorBlock queries, VectorBlock data, float threshold, Neighbours[] best,
      Neighbours[] bestData) {
    int dim = queries.dim;
    int n = data.ids.length;
    float[] sims = new float[4];
    for (int q = 0; q < queries.ids.length; q++) {
      Neighbours out = best[q];
      long qid = queries.ids[q];
      long qphoto = queries.photos[q];
      int d = 0;
      for (; d < n; d += 4) {
        int rows = Math.min(4, n - d);
        if (rows == 4) {
          dot4(queries.matrix, q * dim, data.matrix, d * dim, dim, sims);
        } else {
          for (int i = 0; i < rows; i++) {
            sims[i] = dot(queries.matrix, q * dim, data.matrix, (d + i) * dim, dim);
          }
        }
        for (int i = 0; i < rows; i++) {
          float sim = sims[i];
          if (sim >= threshold && data.photos[d + i] != qphoto && data.ids[d + i] != qid) {
            if (sim >= out.floor()) {
              out.offer(data.ids[d + i], sim);
            }
            if (bestData != null && sim >= bestData[d + i].floor()) {
              bestData[d + i].offer(qid, sim);
            }
          }
        }
      }
    }
  }

  /**
   * Dot products of one row of `q` with four consecutive rows of `m` (from row offset m0): each element of the
   * query is loaded once for four products. The JIT does not vectorise float reductions (it must keep the
   * order of additions); four independent sums that share loads measured 2-3x the speed of one dot at a time
   * on this machine (docs/benchmarks.md).
   */
  public static void dot4(float[] q, int qi, float[] m, int m0, int dim, float[] out) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int m1 = m0 + dim;
    int m2 = m1 + dim;
    int m3 = m2 + dim;
    for (int k = 0; k < dim; k++) {
      float x = q[qi + k];
      s0 += x * m[m0 + k];
      s1 += x * m[m1 + k];
      s2 += x * m[m2 + k];
      s3 += x * m[m3 + k];
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
  }

  /** Dot product of two rows, with four independent sums so that the CPU can overlap them. */
  public static float dot(float[] a, int ai, float[] b, int bi, int dim) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (; i + 3 < dim; i += 4) {
      s0 += a[ai + i] * b[bi + i];
      s1 += a[ai + i + 1] * b[bi + i + 1];
      s2 += a[ai + i + 2] * b[bi + i + 2];
      s3 += a[ai + i + 3] * b[bi + i + 3];
    }
    for (; i < dim; i++) {
      s0 += a[ai + i] * b[bi + i];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
