package io.facecluster.cluster;

import java.io.Serializable;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;

/** Picks the kNN search: exact blocks up to `exactLimit` faces (AUTO), the IVF index above; or as forced. */
public final class KnnSearch {
  public enum Mode { AUTO, EXACT, IVF }

  /** Search settings; see {@link ExactKnn} and {@link IvfKnn}. */
  public record Params(Mode mode, long exactLimit, int blockSize, IvfKnn.Params ivf) implements Serializable {
    public static Params defaults() {
      return new Params(Mode.AUTO, 50_000, 2048, IvfKnn.Params.defaults());
    }

    public Params withMode(Mode m) {
      return new Params(m, exactLimit, blockSize, ivf);
    }

    public Params withExactLimit(long l) {
      return new Params(mode, l, blockSize, ivf);
    }

    public Params withBlockSize(int b) {
      return new Params(mode, exactLimit, b, ivf);
    }

    public Params withIvf(IvfKnn.Params p) {
      return new Params(mode, exactLimit, blockSize, p);
    }
  }

  private KnnSearch() {}

  /** The search's choice for a collection of `count` faces. */
  public static Mode choose(Params p, long count) {
    if (p.mode() != Mode.AUTO) {
      return p.mode();
    }
    return count <= p.exactLimit() ? Mode.EXACT : Mode.IVF;
  }

  /** The neighbour lists, and the IVF index that found them (null for exact search). */
  public record Result(JavaPairRDD<Long, Neighbours> lists, IvfKnn.Index index) {}

  /**
   * Each face's best k neighbours with similarity >= threshold; the choice, the index size and the index
   * training time (ms) go to `stats`.
   */
  public static Result search(JavaRDD<FaceVector> faces, long count, int k, float threshold, Params p,
      Map<String, Object> stats) {
    Mode mode = choose(p, count);
    stats.put("knn_search", mode.name().toLowerCase(java.util.Locale.ROOT));
    if (mode == Mode.EXACT) {
      return new Result(ExactKnn.search(faces, count, p.blockSize(), k, threshold), null);
    }
    long t0 = System.nanoTime();
    IvfKnn.Index index = IvfKnn.train(faces, count, p.ivf());
    stats.put("ivf_cells", index.cells());
    stats.put("ivf_probes", p.ivf().probes());
    stats.put("ivf_train_ms", (System.nanoTime() - t0) / 1_000_000);
    return new Result(IvfKnn.search(faces, index, p.ivf().probes(), k, threshold), index);
  }
}
