package io.facecluster.cluster;

import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.graphx.Edge;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Cuts components that cannot be one person: larger than maxSize (a chain of weak links through many
 * identities), or holding two faces of one photo (cannot-link broken through a path of links). Such a component
 * is cut again with its own edges at a higher threshold (threshold + STEP per round, ROUNDS at most), which
 * removes the weakest links first. Faces of one photo still together after the last round are separated: the
 * face with the strongest links keeps the component, the others become singletons.
 * (Weighted label propagation inside a component would be the finer tool; a higher threshold keeps the graph's
 * meaning and needs no extra parameter.)
 */
final class ComponentSplitter {
  static final int ROUNDS = 6;
  static final double STEP = 0.05;
  /**
   * Cluster id base of a face cut out as a singleton: its vertex id plus this, so that it never equals a
   * component id (the smallest vertex id of a component, below 2^62 by construction: {@link VertexIds}), even its
   * old component's.
   */
  static final long CUT = 1L << 62;

  private ComponentSplitter() {}

  static JavaPairRDD<Long, Long> split(JavaPairRDD<Long, Long> component, JavaRDD<Edge<Double>> edges,
      JavaPairRDD<Long, Long> photos, GraphClustering.Params p, Map<String, Object> stats) {
    JavaPairRDD<Long, Long> labels = component;
    long split = 0;
    int round = 0;
    Broadcast<Set<Long>> bad = GraphClustering.broadcast(badComponents(labels, photos, p.maxSize()));
    while (!bad.value().isEmpty() && round < ROUNDS) {
      round++;
      split += bad.value().size();
      double t = p.threshold() + STEP * round;
      Broadcast<Set<Long>> cutNow = bad;
      JavaPairRDD<Long, Long> inBad = labels.filter(v -> cutNow.value().contains(v._2()));
      JavaRDD<Edge<Double>> kept = edges.filter(e -> e.attr() >= t).keyBy(Edge::srcId).join(inBad)
          .map(x -> x._2()._1());
      JavaPairRDD<Long, Long> cut = Components.of(inBad.keys(), kept, p.maxIter());
      labels = labels.filter(v -> !cutNow.value().contains(v._2())).union(cut)
          .persist(StorageLevel.MEMORY_AND_DISK_SER());
      labels.count();
      bad = GraphClustering.broadcast(badComponents(labels, photos, p.maxSize()));
    }
    stats.put("components_split", split);
    stats.put("split_rounds", round);
    long oversizedLeft = 0;
    long cutFaces = 0;
    if (!bad.value().isEmpty()) {
      // Rounds exhausted: what is left is oversized (kept: a big, tight group), or breaks cannot-link (fixed here).
      Broadcast<Set<Long>> left = bad;
      JavaPairRDD<Long, Long> inBad = labels.filter(v -> left.value().contains(v._2()));
      if (p.maxSize() > 0) {
        oversizedLeft = inBad.mapToPair(v -> new Tuple2<>(v._2(), 1L)).reduceByKey(Long::sum)
            .filter(t -> t._2() > p.maxSize()).count();
      }
      JavaPairRDD<Long, Long> separated = separateSamePhoto(inBad, edges, photos);
      cutFaces = separated.filter(t -> t._2() >= CUT).count();
      labels = labels.filter(v -> !left.value().contains(v._2())).union(separated);
    }
    stats.put("faces_cut_for_cannot_link", cutFaces);
    stats.put("oversized_components_left", oversizedLeft);
    return labels;
  }

  /** Components over maxSize (0 = no limit) or with two faces of one photo. */
  static JavaRDD<Long> badComponents(JavaPairRDD<Long, Long> labels, JavaPairRDD<Long, Long> photos, int maxSize) {
    JavaRDD<Long> samePhoto = labels.join(photos)
        .mapToPair(t -> new Tuple2<>(t._2(), 1)).reduceByKey(Integer::sum)
        .filter(t -> t._2() > 1).map(t -> t._1()._1());
    if (maxSize <= 0) {
      return samePhoto.distinct();
    }
    JavaRDD<Long> oversized = labels.mapToPair(t -> new Tuple2<>(t._2(), 1L)).reduceByKey(Long::sum)
        .filter(t -> t._2() > maxSize).keys();
    return samePhoto.union(oversized).distinct();
  }

  /** Last resort for cannot-link: per (component, photo), the face with the largest sum of link weights stays. */
  static JavaPairRDD<Long, Long> separateSamePhoto(JavaPairRDD<Long, Long> labels, JavaRDD<Edge<Double>> edges,
      JavaPairRDD<Long, Long> photos) {
    JavaPairRDD<Long, Double> strength = edges
        .flatMapToPair(e -> java.util.List.of(new Tuple2<>(e.srcId(), e.attr()), new Tuple2<>(e.dstId(), e.attr()))
            .iterator())
        .reduceByKey(Double::sum);
    // (vertex, (component, photo)) -> per (component, photo) the vertex that stays.
    JavaPairRDD<Long, Tuple2<Long, Long>> placed = labels.join(photos);
    JavaPairRDD<Tuple2<Long, Long>, Tuple2<Long, Double>> byPhoto = placed.leftOuterJoin(strength)
        .mapToPair(t -> new Tuple2<>(t._2()._1(), new Tuple2<>(t._1(), t._2()._2().orElse(0.0))));
    JavaPairRDD<Tuple2<Long, Long>, Tuple2<Long, Double>> keep = byPhoto.reduceByKey((a, b) ->
        a._2() > b._2() || (a._2().equals(b._2()) && a._1() < b._1()) ? a : b);
    return byPhoto.join(keep)
        .mapToPair(t -> {
          long vertex = t._2()._1()._1();
          boolean stays = vertex == t._2()._2()._1();
          return new Tuple2<>(vertex, stays ? t._1()._1() : CUT + vertex);
        })
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
  }
}
