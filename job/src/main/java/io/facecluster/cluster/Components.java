package io.facecluster.cluster;

import io.facecluster.faults.InjectedFaults;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.graphx.Edge;
import org.apache.spark.graphx.Graph;
import org.apache.spark.graphx.lib.ConnectedComponents;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Connected components with GraphX: vertex id -> smallest vertex id of its component.
 *
 * <p>Before GraphX sees the edges they are contracted: in each partition a local union-find turns the edges into
 * one star per local component (every vertex linked to its local root, the smallest id). Stars connect exactly
 * the vertices their edges connected, with at most one edge per vertex of the partition. Three rounds, the
 * edges grouped by source, then by destination, then by source again, leave a graph of short paths between
 * roots, so GraphX's label propagation needs a few supersteps over about one edge per face, instead of tens of
 * supersteps over k edges per face (measured at a million faces: GraphX alone on the kNN edges did not finish
 * in 5 minutes; docs/benchmarks.md).
 */
final class Components {
  private static final ClassTag<Object> OBJ = ClassTag$.MODULE$.apply(Object.class);
  private static final ClassTag<Double> DBL = ClassTag$.MODULE$.apply(Double.class);

  private Components() {}

  static JavaPairRDD<Long, Long> of(JavaRDD<Long> vertexIds, JavaRDD<Edge<Double>> edges, int maxIter) {
    JavaRDD<Tuple2<Object, Object>> vertices = vertexIds.map(id -> new Tuple2<>(id, (Object) id));
    Graph<Object, Double> graph = Graph.apply(vertices.rdd(), contract(edges, ROUNDS).rdd(), (Object) 0L,
        StorageLevel.MEMORY_AND_DISK(), StorageLevel.MEMORY_AND_DISK(), OBJ, DBL);
    Graph<Object, Double> cc = ConnectedComponents.run(graph, maxIter, OBJ, DBL);
    JavaPairRDD<Long, Long> out = cc.vertices().toJavaRDD()
        .mapToPair(t -> new Tuple2<>((Long) t._1(), (Long) t._2()))
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    out.count();
    cc.unpersist(false);
    graph.unpersist(false);
    return out;
  }

  static final int ROUNDS = 3;

  /** Rounds of star contraction, the edges grouped alternately by source and by destination id. */
  static JavaRDD<Edge<Double>> contract(JavaRDD<Edge<Double>> edges, int rounds) {
    int partitions = Math.max(1, edges.getNumPartitions());
    JavaRDD<Edge<Double>> current = edges;
    for (int r = 0; r < rounds; r++) {
      boolean bySource = r % 2 == 0;
      current = stars(current
          .mapToPair(e -> new Tuple2<>(bySource ? e.srcId() : e.dstId(), e))
          .partitionBy(new org.apache.spark.HashPartitioner(partitions))
          .values());
    }
    return current;
  }

  /** Per partition: union-find over its edges, then one edge (local root, vertex) per non-root vertex. */
  static JavaRDD<Edge<Double>> stars(JavaRDD<Edge<Double>> edges) {
    return edges.mapPartitions(it -> {
      InjectedFaults.check(InjectedFaults.Point.COMPONENTS); // tests only: inert unless configured
      java.util.HashMap<Long, Long> parent = new java.util.HashMap<>();
      while (it.hasNext()) {
        Edge<Double> e = it.next();
        long a = root(parent, e.srcId());
        long b = root(parent, e.dstId());
        if (a != b) {
          // The smaller id becomes the root: roots are then the local minimum, as GraphX's labels are.
          parent.put(Math.max(a, b), Math.min(a, b));
        }
      }
      java.util.List<Edge<Double>> out = new java.util.ArrayList<>();
      for (Long v : parent.keySet()) {
        long r = root(parent, v);
        if (r != v) {
          out.add(new Edge<>(r, v, 1.0));
        }
      }
      return out.iterator();
    });
  }

  /** Root of v with path halving; an unseen vertex is its own root (and is recorded). */
  private static long root(java.util.HashMap<Long, Long> parent, long v) {
    long x = v;
    Long p = parent.putIfAbsent(x, x);
    while (p != null && p != x) {
      Long gp = parent.get(p);
      parent.put(x, gp);
      x = p;
      p = gp;
    }
    return x;
  }
}
