package io.facecluster.cluster;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.graphx.Edge;
import scala.Tuple2;

/**
 * Exact all-pairs cosine similarity by blocks: vectors are grouped into blocks of about `blockSize`, each block
 * is one dense float matrix, and every pair of blocks (a <= b) is one task computing all dot products. No
 * driver collect; work is quadratic, so this is for collections where exact search is affordable.
 */
public final class BlockedSimilarity {
  private BlockedSimilarity() {}

  /** A block of vectors: ids and a row-major matrix of unit vectors. */
  record Block(int index, long[] ids, float[] matrix, int dim) implements java.io.Serializable {}

  /** Edges (src < dst) between vectors whose dot product is >= threshold. */
  public static JavaRDD<Edge<Double>> edges(JavaPairRDD<Long, float[]> vectors, long count, int blockSize,
      double threshold) {
    int blocks = (int) Math.max(1, (count + blockSize - 1) / blockSize);
    JavaRDD<Block> byBlock = vectors
        .mapToPair(t -> new Tuple2<>((int) Math.floorMod(t._1(), (long) blocks), t))
        .groupByKey(blocks)
        .map(g -> toBlock(g._1(), g._2()));
    // Both sides of the cartesian read the grouped shuffle output; nothing is recomputed from the vectors.
    return byBlock.cartesian(byBlock)
        .filter(p -> p._1().index() <= p._2().index())
        .flatMap(p -> pairs(p._1(), p._2(), (float) threshold).iterator());
  }

  private static Block toBlock(int index, Iterable<Tuple2<Long, float[]>> rows) {
    List<Tuple2<Long, float[]>> list = new ArrayList<>();
    rows.forEach(list::add);
    int dim = list.isEmpty() ? 0 : list.get(0)._2().length;
    long[] ids = new long[list.size()];
    float[] m = new float[list.size() * dim];
    for (int i = 0; i < list.size(); i++) {
      ids[i] = list.get(i)._1();
      System.arraycopy(list.get(i)._2(), 0, m, i * dim, dim);
    }
    return new Block(index, ids, m, dim);
  }

  static List<Edge<Double>> pairs(Block a, Block b, float threshold) {
    List<Edge<Double>> out = new ArrayList<>();
    boolean same = a.index() == b.index();
    int dim = a.dim();
    for (int i = 0; i < a.ids().length; i++) {
      int ai = i * dim;
      for (int j = same ? i + 1 : 0; j < b.ids().length; j++) {
        int bj = j * dim;
        float dot = 0;
        for (int d = 0; d < dim; d++) {
          dot += a.matrix()[ai + d] * b.matrix()[bj + d];
        }
        if (dot >= threshold) {
          long x = a.ids()[i];
          long y = b.ids()[j];
          out.add(new Edge<>(Math.min(x, y), Math.max(x, y), (double) dot));
        }
      }
    }
    return out;
  }
}
