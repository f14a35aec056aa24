package io.facecluster.cluster;

import io.facecluster.faults.InjectedFaults;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Exact kNN by blocks: faces are grouped into blocks of about `blockSize`, and every pair of blocks (a <= b) is
 * one task that compares all their rows, each pair once, and offers the similarity to both faces. Partial
 * neighbour lists are merged per face. No driver collect; the work is quadratic, so this is for the sizes where exact search is affordable
 * ({@link KnnSearch} switches to {@link IvfKnn} above them).
 */
public final class ExactKnn {
  private ExactKnn() {}

  /** Each face's best `k` neighbours with similarity >= threshold (faces without any are left out). */
  public static JavaPairRDD<Long, Neighbours> search(JavaRDD<FaceVector> faces, long count, int blockSize, int k,
      float threshold) {
    JavaRDD<Tuple2<Integer, VectorBlock>> byBlock = blocks(faces, count, blockSize);
    // Both sides of the cartesian read the grouped shuffle output; nothing is recomputed from the vectors.
    return byBlock.cartesian(byBlock)
        .filter(p -> p._1()._1() <= p._2()._1())
        .flatMapToPair(p -> {
          InjectedFaults.check(InjectedFaults.Point.KNN); // tests only: inert unless configured
          List<Tuple2<Long, Neighbours>> out = new ArrayList<>();
          VectorBlock a = p._1()._2();
          VectorBlock b = p._2()._2();
          if (p._1()._1().equals(p._2()._1())) {
            emit(a, a, k, threshold, out);
          } else {
            // Each dot product once, offered to both of its faces (the old way computed every pair of two
            // different blocks twice, once from each side).
            Neighbours[] bestA = Neighbours.lists(a.size(), k);
            Neighbours[] bestB = Neighbours.lists(b.size(), k);
            VectorBlock.searchBoth(a, b, threshold, bestA, bestB);
            collect(a, bestA, out);
            collect(b, bestB, out);
          }
          return out.iterator();
        })
        .reduceByKey(Neighbours::merge);
  }

  /** The faces in about count / blockSize blocks by vertex id, each with its block number. */
  static JavaRDD<Tuple2<Integer, VectorBlock>> blocks(JavaRDD<FaceVector> faces, long count, int blockSize) {
    int blocks = (int) Math.max(1, (count + blockSize - 1) / blockSize);
    return faces
        .mapToPair(f -> new Tuple2<>((int) Math.floorMod(f.id, (long) blocks), f))
        .groupByKey(blocks)
        .map(g -> {
          List<FaceVector> rows = new ArrayList<>();
          g._2().forEach(rows::add);
          return new Tuple2<>(g._1(), VectorBlock.of(rows));
        });
  }

  static void emit(VectorBlock queries, VectorBlock data, int k, float threshold,
      List<Tuple2<Long, Neighbours>> out) {
    Neighbours[] best = Neighbours.lists(queries.size(), k);
    VectorBlock.search(queries, data, threshold, best);
    collect(queries, best, out);
  }

  /** Each row of `block` with at least one neighbour, and its list. */
  static void collect(VectorBlock block, Neighbours[] best, List<Tuple2<Long, Neighbours>> out) {
    for (int i = 0; i < best.length; i++) {
      if (best[i].size() > 0) {
        out.add(new Tuple2<>(block.ids[i], best[i]));
      }
    }
  }
}
