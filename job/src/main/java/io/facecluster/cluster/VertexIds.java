package io.facecluster.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The graph's vertex ids, derived from face_id alone: a recomputed partition, a retried task or a lost cache
 * numbers every face as before, whatever the order or partitioning of the rows (row numbers such as
 * zipWithUniqueId do not: rows that come back in another order would carry another face's labels).
 *
 * <p>An id is 62 bits of a 64-bit hash of the face_id's UTF-8 bytes (FNV-1a, then MurmurHash3's finaliser so that
 * ids that share a prefix spread over all bits). 62 bits keep ids non-negative and below 2^62, the base that
 * {@link ComponentSplitter#CUT} adds for faces cut out of a component. Collisions are not resolved, they are
 * detected: two distinct face_ids with one id, at n faces, happen with probability about n^2 / 2^63 (1e-7 at a
 * million faces); {@link #requireDistinct} fails the clustering with both face_ids named rather than merge two
 * faces into one vertex. A face_id that appears twice is refused the same way (face_id is unique in a run).
 */
final class VertexIds {
  static final long MASK = (1L << 62) - 1;

  private VertexIds() {}

  static long of(String faceId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : faceId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h & MASK;
  }

  /**
   * Fails when two rows share a vertex id: one shuffle of (id, face_id), keeping per id the smallest and largest
   * face_id and the number of rows; only offending ids (normally none) reach the driver, a few of them at most.
   */
  static void requireDistinct(JavaRDD<String> faceIds) {
    List<Tuple2<Long, Tuple2<Tuple2<String, String>, Long>>> clashes = faceIds
        .mapToPair(f -> new Tuple2<>(of(f), new Tuple2<>(new Tuple2<>(f, f), 1L)))
        .reduceByKey((a, b) -> new Tuple2<>(new Tuple2<>(min(a._1()._1(), b._1()._1()), max(a._1()._2(),
            b._1()._2())), a._2() + b._2()))
        .filter(t -> t._2()._2() > 1)
        .take(3);
    if (clashes.isEmpty()) {
      return;
    }
    Tuple2<Tuple2<String, String>, Long> c = clashes.get(0)._2();
    if (c._1()._1().equals(c._1()._2())) {
      throw new IllegalStateException("face_id " + c._1()._1() + " appears " + c._2() + " times in the faces to "
          + "cluster (" + clashes.size() + (clashes.size() == 3 ? "+" : "") + " such ids): face_id must be unique "
          + "in a run");
    }
    throw new IllegalStateException("face_ids " + c._1()._1() + " and " + c._1()._2() + " hash to the same graph "
        + "vertex id " + clashes.get(0)._1() + " (a 62-bit hash collision): the graph clustering cannot tell them "
        + "apart (face_ids are content hashes: change nothing and it recurs); cluster this run with --cluster kmeans --k N");
  }

  private static String min(String a, String b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String max(String a, String b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
