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
 * in 5 minutes; docs/benchmarks.md). Small contracted graphs skip GraphX: see {@link #LOCAL_MAX_EDGES}.
 */
final class Components {
  private static final ClassTag<Object> OBJ = ClassTag$.MODULE$.apply(Object.class);
  private static final ClassTag<Double> DBL = ClassTag$.MODULE$.apply(Double.class);

  private Components() {}

  /**
   * Contracted edges up to this many are joined on the driver (a union-find over a hash map, about 100 bytes a
   * vertex; the roots go back out as two sorted long arrays), beyond it by GraphX. Both label a vertex with the
   * smallest id of its component. GraphX's supersteps are Spark jobs of their own: on the small graphs of daily runs and of the library's pools they were most of
   * the clustering's time (thread samples of GraphClusteringDeterminismTest: 55 of 80 in Pregel).
   */
  static final long LOCAL_MAX_EDGES = 200_000;

  static JavaPairRDD<Long, Long> of(JavaRDD<Long> vertexIds, JavaRDD<Edge<Double>> edges, int maxIter) {
    return of(vertexIds, edges, maxIter, LOCAL_MAX_EDGES);
  }

  static JavaPairRDD<Long, Long> of(JavaRDD<Long> vertexIds, JavaRDD<Edge<Double>> edges, int maxIter,
      long localMaxEdges) {
    JavaRDD<Edge<Double>> stars = contract(edges, ROUNDS).persist(StorageLevel.MEMORY_AND_DISK_SER());
    JavaPairRDD<Long, Long> out = stars.count() <= localMaxEdges
        ? onDriver(vertexIds, stars)
        : withGraphX(vertexIds, stars, maxIter); // each path materialises its labels
    stars.unpersist(false);
    return out;
  }

  private static JavaPairRDD<Long, Long> withGraphX(JavaRDD<Long> vertexIds, JavaRDD<Edge<Double>> stars,
      int maxIter) {
    JavaRDD<Tuple2<Object, Object>> vertices = vertexIds.map(id -> new Tuple2<>(id, (Object) id));
    Graph<Object, Double> graph = Graph.apply(vertices.rdd(), stars.rdd(), (Object) 0L,
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

  /** The stars' pairs to the driver, one union-find there, each vertex's root broadcast as sorted arrays. */
  private static JavaPairRDD<Long, Long> onDriver(JavaRDD<Long> vertexIds, JavaRDD<Edge<Double>> stars) {
    java.util.HashMap<Long, Long> parent = new java.util.HashMap<>();
    for (long[] e : stars.map(e -> new long[] {e.srcId(), e.dstId()}).collect()) {
      union(parent, e[0], e[1]);
    }
    long[] vertex = new long[parent.size()];
    long[] rootOf = new long[parent.size()];
    int n = 0;
    for (Long v : new java.util.TreeSet<>(parent.keySet())) {
      vertex[n] = v;
      rootOf[n++] = root(parent, v);
    }
    org.apache.spark.broadcast.Broadcast<long[][]> roots = org.apache.spark.api.java.JavaSparkContext
        .fromSparkContext(vertexIds.context()).broadcast(new long[][] {vertex, rootOf});
    JavaPairRDD<Long, Long> out = vertexIds.mapToPair(id -> {
      int i = java.util.Arrays.binarySearch(roots.value()[0], id);
      return new Tuple2<>(id, i >= 0 ? roots.value()[1][i] : id); // a vertex without edges is its own component
    }).persist(StorageLevel.MEMORY_AND_DISK_SER());
    out.count();
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
        union(parent, e.srcId(), e.dstId());
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

  /** Joins the sets of a and b; the smaller root becomes the root: roots are the minimum, as GraphX's labels. */
  private static void union(java.util.HashMap<Long, Long> parent, long a, long b) {
    long ra = root(parent, a);
    long rb = root(parent, b);
    if (ra != rb) {
      parent.put(Math.max(ra, rb), Math.min(ra, rb));
    }
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
