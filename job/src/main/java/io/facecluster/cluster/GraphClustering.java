package io.facecluster.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.graphx.Edge;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Clustering without k: connected components of a kNN similarity graph.
 * <ol>
 *   <li>kNN: each face's `knn` most similar faces with cosine >= threshold ({@link KnnSearch}: exact blocks, or
 *       an IVF index for large collections); never a face of the same photo (cannot-link) — when the input
 *       has a path column;
 *   <li>edges: the union of the lists, or with `mutual` only pairs that chose each other plus one-way choices
 *       of a clearly higher cosine (threshold + oneWayMargin): mutual kNN cuts the weak chains that join two
 *       people, but alone it strands the faces that choose a popular face ("hub") which does not choose them
 *       back; knn = 0 keeps every pair above the threshold (plain single linkage);
 *   <li>connected components (GraphX);
 *   <li>splitting ({@link ComponentSplitter}): a component larger than `maxSize`, or holding two faces of one
 *       photo through a chain of links, is cut again with a higher threshold;
 *   <li>components smaller than `minSize` get the noise label -1.
 * </ol>
 * Cluster ids are the smallest vertex id of the component: opaque numbers, but derived from the faces' face_ids
 * ({@link VertexIds}), so the same faces give the same cluster ids in any row order or partitioning.
 */
public final class GraphClustering {
  public static final long NOISE = -1;
  private static final StructType OUT = DataTypes.createStructType(List.of(
      DataTypes.createStructField("face_id", DataTypes.StringType, false),
      DataTypes.createStructField("cluster_id", DataTypes.LongType, false)));

  /**
   * The method's parameters; see the class comment. knn 0 = every edge above the threshold; oneWayMargin: with
   * mutual, a pair chosen by one end only is kept when its cosine is >= threshold + oneWayMargin.
   */
  public record Params(double threshold, int knn, boolean mutual, double oneWayMargin, int minSize, int maxSize,
      int maxIter, KnnSearch.Params search) implements Serializable {
    /** No one-way edges, no size limit, 40 component iterations, default search. */
    public static Params of(double threshold, int knn, boolean mutual, int minSize) {
      return new Params(threshold, knn, mutual, 2, minSize, 0, 40, KnnSearch.Params.defaults());
    }

    public Params withOneWayMargin(double m) {
      return new Params(threshold, knn, mutual, m, minSize, maxSize, maxIter, search);
    }

    public Params withMaxSize(int m) {
      return new Params(threshold, knn, mutual, oneWayMargin, minSize, m, maxIter, search);
    }

    public Params withMaxIter(int m) {
      return new Params(threshold, knn, mutual, oneWayMargin, minSize, maxSize, m, search);
    }

    public Params withSearch(KnnSearch.Params s) {
      return new Params(threshold, knn, mutual, oneWayMargin, minSize, maxSize, maxIter, s);
    }
  }

  /** The clusters, and what the method did (search used, components split, faces cut out). */
  public record Result(Dataset<Row> clusters, Map<String, Object> stats) {}

  private GraphClustering() {}

  /**
   * @param faces rows with face_id, embedding (unit vectors) and optionally path (enables cannot-link)
   * @return face_id, cluster_id, and the method's statistics
   */
  public static Result run(Dataset<Row> faces, Params p) {
    boolean hasPath = Arrays.asList(faces.columns()).contains("path");
    Dataset<Row> cols = hasPath ? faces.select("face_id", "embedding", "path") : faces.select("face_id", "embedding");
    // Read three times (id check, vectors, labels): kept, so that the input's own lineage runs once.
    JavaRDD<Row> rows = cols.javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
    VertexIds.requireDistinct(rows.map(r -> r.getString(0)));
    // Ids from face_id (VertexIds): nothing below depends on the rows' order, on a cache or on a checkpoint
    // surviving; any lost partition is recomputed from lineage and numbers its faces as before.
    JavaRDD<FaceVector> vectors = rows.map(r -> {
      long id = VertexIds.of(r.getString(0));
      return new FaceVector(id, r.size() > 2 ? key64(r.getString(2)) : ~id, toFloats(r.getList(1)));
    });
    Map<String, Object> stats = new LinkedHashMap<>();
    JavaPairRDD<Long, Long> labels = cluster(vectors, p, stats);
    JavaRDD<Row> out = rows.mapToPair(r -> new Tuple2<>(VertexIds.of(r.getString(0)), r.getString(0)))
        .join(labels)
        .map(t -> RowFactory.create(t._2()._1(), t._2()._2()));
    // Persisted, not checkpointed locally: a lost block is recomputed (a local checkpoint cannot be, and fails
    // the job after an executor loss). Materialised here so the labels are computed once.
    Dataset<Row> clusters = faces.sparkSession().createDataFrame(out, OUT).persist(StorageLevel.MEMORY_AND_DISK());
    clusters.count();
    rows.unpersist(false);
    return new Result(clusters, stats);
  }

  /** Vertex id -> cluster id (NOISE for faces in components below minSize). */
  public static JavaPairRDD<Long, Long> cluster(JavaRDD<FaceVector> vectors, Params p, Map<String, Object> stats) {
    JavaRDD<FaceVector> faces = vectors.persist(StorageLevel.MEMORY_AND_DISK_SER());
    long count = faces.count();
    stats.put("faces", count);
    int k = p.knn() == 0 ? Integer.MAX_VALUE : p.knn();
    JavaPairRDD<Long, Neighbours> lists = KnnSearch.search(faces, count, k, (float) p.threshold(), p.search(),
        stats).lists();
    JavaPairRDD<Long, Long> labels = fromNeighbours(faces, lists, p, stats);
    faces.unpersist(false);
    return labels;
  }

  /** The steps after the kNN search: edges, components, splitting, noise (wall times in stats, ms). */
  public static JavaPairRDD<Long, Long> fromNeighbours(JavaRDD<FaceVector> faces, JavaPairRDD<Long, Neighbours> lists,
      Params p, Map<String, Object> stats) {
    long t0 = System.nanoTime();
    // On disk: tens of millions of edges at a million faces, read twice (components, splitting); the heap is
    // kept for the tasks' own work.
    JavaRDD<Edge<Double>> edges = edges(lists, p.mutual() && p.knn() > 0, p.threshold() + p.oneWayMargin())
        .persist(StorageLevel.DISK_ONLY());
    stats.put("edges", edges.count());
    long t1 = System.nanoTime();
    JavaPairRDD<Long, Long> photos = faces.mapToPair(f -> new Tuple2<>(f.id, f.photo));
    JavaPairRDD<Long, Long> component = Components.of(faces.map(f -> f.id), edges, p.maxIter());
    long t2 = System.nanoTime();
    component = ComponentSplitter.split(component, edges, photos, p, stats)
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    component.count();
    long t3 = System.nanoTime();
    if (p.minSize() > 1) {
      JavaPairRDD<Long, Integer> sizes = component.mapToPair(t -> new Tuple2<>(t._2(), 1)).reduceByKey(Integer::sum);
      component = component.mapToPair(t -> new Tuple2<>(t._2(), t._1())).join(sizes)
          .mapToPair(t -> new Tuple2<>(t._2()._1(), t._2()._2() >= p.minSize() ? t._1() : NOISE));
    }
    stats.put("edges_ms", (t1 - t0) / 1_000_000);
    stats.put("components_ms", (t2 - t1) / 1_000_000);
    stats.put("split_ms", (t3 - t2) / 1_000_000);
    edges.unpersist(false);
    return component;
  }

  /**
   * Undirected edges (src < dst) from the lists: each chosen pair once; with `mutual`, only pairs chosen by both
   * ends, or by one end with a cosine of at least `oneWay`.
   */
  static JavaRDD<Edge<Double>> edges(JavaPairRDD<Long, Neighbours> lists, boolean mutual, double strong) {
    return lists
        .flatMapToPair(t -> {
          List<Tuple2<Tuple2<Long, Long>, Tuple2<Double, Integer>>> out = new ArrayList<>(t._2().size());
          for (int i = 0; i < t._2().size(); i++) {
            long a = t._1();
            long b = t._2().id(i);
            out.add(new Tuple2<>(new Tuple2<>(Math.min(a, b), Math.max(a, b)),
                new Tuple2<>((double) t._2().sim(i), 1)));
          }
          return out.iterator();
        })
        // Both ends compute the same dot product; max() makes the kept value independent of the merge order anyway.
        .reduceByKey((x, y) -> new Tuple2<>(Math.max(x._1(), y._1()), x._2() + y._2()))
        .filter(t -> !mutual || t._2()._2() == 2 || t._2()._1() >= strong)
        .map(t -> new Edge<>(t._1()._1(), t._1()._2(), t._2()._1()));
  }

  /**
   * A 64-bit key of a string (FNV-1a): of a photo's path here (two faces with one key are never linked), of a
   * label in the scoring; distinct strings collide with negligible probability at these counts.
   */
  public static long key64(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** An array column's values (Spark gives arrays to Java as lists of boxed numbers) as floats. */
  public static float[] toFloats(List<Object> list) {
    float[] v = new float[list.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = ((Number) list.get(i)).floatValue();
    }
    return v;
  }

  /** A broadcast set of component ids (few: only the components a step must revisit). */
  static Broadcast<Set<Long>> broadcast(JavaRDD<Long> ids) {
    Set<Long> set = new java.util.HashSet<>(ids.collect());
    return org.apache.spark.api.java.JavaSparkContext.fromSparkContext(ids.context()).broadcast(set);
  }
}
