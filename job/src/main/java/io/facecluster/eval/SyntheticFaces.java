package io.facecluster.eval;

import io.facecluster.cluster.FaceVector;
import io.facecluster.cluster.VectorBlock;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Synthetic face embeddings for the clustering benchmark, shaped like a real embedder's.
 *
 * <p>Model: an identity is a centre c = normalise(a m + g), with m one fixed unit vector (real embeddings share
 * a mean direction: different people are not orthogonal on average) and g Gaussian with a decaying spectrum,
 * variance of axis k proportional to k^-beta (real embeddings spread over fewer effective dimensions than
 * they have). A face is x = normalise(c + s h / sqrt(dim)), h isotropic Gaussian, with a per-face noise level
 * s log-normal (median s0, log-spread tau): image quality and pose vary. The four numbers (a, beta, s0, tau)
 * are fitted so that the mean and standard deviation of same-identity and different-identity cosines match
 * those of a real embedder on all LFW pairs (`submit.sh calibrate`; docs/benchmarks.md).
 *
 * <p>Identity sizes are long-tailed: a discrete power law P(size = n) ~ n^-alpha on [minSize, maxSize].
 */
public final class SyntheticFaces {
  private SyntheticFaces() {}

  /** The generator's shape parameters. */
  public record Params(int dim, double a, double beta, double s0, double tau) implements Serializable {
    /** Fitted to MobileFaceNet PaddleX on all 13,233 LFW faces (docs/benchmarks.md, `submit.sh calibrate`). */
    public static Params paddlexLfw() {
      return new Params(128, 0.10, 0.45, 0.70, 0.28);
    }

    /** Coordinate descent on (a, beta, s0, tau), each step a Monte-Carlo estimate with fixed random numbers. */
    public static Params fit(double[] sameMoments, double[] diffMoments) {
      double[] target = {sameMoments[1], sameMoments[2], diffMoments[1], diffMoments[2]};
      double[] p = {0.2, 0.5, 1.0, 0.2};
      double[][] grid = {range(0, 1.0, 0.02), range(0, 3.0, 0.05), range(0.2, 3.0, 0.02), range(0, 1.0, 0.02)};
      double best = loss(p, target);
      for (int sweep = 0; sweep < 6; sweep++) {
        for (int k = 0; k < 4; k++) {
          for (double v : grid[k]) {
            double old = p[k];
            p[k] = v;
            double l = loss(p, target);
            if (l < best) {
              best = l;
            } else {
              p[k] = old;
            }
          }
        }
      }
      return new Params(128, p[0], p[1], p[2], p[3]);
    }

    private static double loss(double[] p, double[] target) {
      double[] m = new Params(128, p[0], p[1], p[2], p[3]).moments(3000, 7);
      double l = 0;
      for (int i = 0; i < 4; i++) {
        l += (m[i] - target[i]) * (m[i] - target[i]);
      }
      return l;
    }

    private static double[] range(double from, double to, double step) {
      int n = (int) Math.round((to - from) / step) + 1;
      double[] r = new double[n];
      for (int i = 0; i < n; i++) {
        r[i] = from + i * step;
      }
      return r;
    }

    /** Monte-Carlo mean and std of same-identity and different-identity cosines: {sameMean, sameStd, diffMean, diffStd}. */
    public double[] moments(int pairs, long seed) {
      Space space = new Space(this, seed);
      SplittableRandom r = new SplittableRandom(seed + 1);
      double[] s = new double[2];
      double[] d = new double[2];
      for (int i = 0; i < pairs; i++) {
        float[] c1 = space.centre(r);
        float[] c2 = space.centre(r);
        float[] x = space.face(c1, r);
        double same = VectorBlock.dot(x, 0, space.face(c1, r), 0, x.length);
        double diff = VectorBlock.dot(x, 0, space.face(c2, r), 0, x.length);
        s[0] += same;
        s[1] += same * same;
        d[0] += diff;
        d[1] += diff * diff;
      }
      double sm = s[0] / pairs;
      double dm = d[0] / pairs;
      return new double[] {sm, Math.sqrt(Math.max(0, s[1] / pairs - sm * sm)), dm,
          Math.sqrt(Math.max(0, d[1] / pairs - dm * dm))};
    }

    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dim", dim);
      m.put("a", a);
      m.put("beta", beta);
      m.put("s0", s0);
      m.put("tau", tau);
      double[] mo = moments(20_000, 99);
      m.put("same_mean", mo[0]);
      m.put("same_std", mo[1]);
      m.put("different_mean", mo[2]);
      m.put("different_std", mo[3]);
      return m;
    }
  }

  /** The fixed parts of the embedding space: the mean direction and the axis scales. */
  static final class Space implements Serializable {
    private static final long serialVersionUID = 1L;
    final Params p;
    final float[] mean;
    final float[] scale;

    Space(Params p, long seed) {
      this.p = p;
      SplittableRandom r = new SplittableRandom(seed);
      mean = new float[p.dim()];
      for (int i = 0; i < mean.length; i++) {
        mean[i] = (float) r.nextGaussian();
      }
      normalise(mean);
      scale = new float[p.dim()];
      double total = 0;
      for (int k = 0; k < scale.length; k++) {
        total += Math.pow(k + 1, -p.beta());
      }
      for (int k = 0; k < scale.length; k++) {
        scale[k] = (float) Math.sqrt(Math.pow(k + 1, -p.beta()) / total);
      }
    }

    float[] centre(SplittableRandom r) {
      float[] c = new float[p.dim()];
      for (int k = 0; k < c.length; k++) {
        c[k] = (float) (p.a() * mean[k] + scale[k] * r.nextGaussian());
      }
      return normalise(c);
    }

    float[] face(float[] centre, SplittableRandom r) {
      double s = p.s0() * Math.exp(p.tau() * r.nextGaussian()) / Math.sqrt(p.dim());
      float[] x = new float[p.dim()];
      for (int k = 0; k < x.length; k++) {
        x[k] = (float) (centre[k] + s * r.nextGaussian());
      }
      return normalise(x);
    }
  }

  /** Identity sizes from the power law, until `faces` faces are reached (the last size is cut to fit). */
  public static int[] identitySizes(long faces, double alpha, int minSize, int maxSize, long seed) {
    double[] cdf = new double[maxSize - minSize + 1];
    double acc = 0;
    for (int n = minSize; n <= maxSize; n++) {
      acc += Math.pow(n, -alpha);
      cdf[n - minSize] = acc;
    }
    SplittableRandom r = new SplittableRandom(seed);
    List<Integer> sizes = new ArrayList<>();
    long total = 0;
    while (total < faces) {
      double u = r.nextDouble() * acc;
      int lo = 0;
      int hi = cdf.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cdf[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      int n = (int) Math.min(minSize + lo, faces - total);
      sizes.add(n);
      total += n;
    }
    return sizes.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The faces, (face, identity), generated on the executors: identity i's centre and faces come from a random
   * stream seeded by (seed, i), so the set is the same for any partitioning. Face ids are dense, 0..faces-1.
   * Only the identity sizes (one int each) are built on the driver.
   */
  public static JavaRDD<Tuple2<FaceVector, Integer>> generate(JavaSparkContext jsc, Params p, int[] sizes, long seed,
      int partitions) {
    long[] offsets = new long[sizes.length];
    for (int i = 1; i < sizes.length; i++) {
      offsets[i] = offsets[i - 1] + sizes[i - 1];
    }
    List<Integer> ids = new ArrayList<>(sizes.length);
    for (int i = 0; i < sizes.length; i++) {
      ids.add(i);
    }
    org.apache.spark.broadcast.Broadcast<int[]> sz = jsc.broadcast(sizes);
    org.apache.spark.broadcast.Broadcast<long[]> off = jsc.broadcast(offsets);
    Space space = new Space(p, seed);
    return jsc.parallelize(ids, partitions).flatMap(i -> {
      SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
      float[] c = space.centre(r);
      List<Tuple2<FaceVector, Integer>> out = new ArrayList<>(sz.value()[i]);
      for (int j = 0; j < sz.value()[i]; j++) {
        long id = off.value()[i] + j;
        out.add(new Tuple2<>(new FaceVector(id, id, space.face(c, r)), i));
      }
      return out.iterator();
    });
  }

  static float[] normalise(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float inv = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }
}
