package io.facecluster.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.graphx.Edge;
import org.apache.spark.graphx.Graph;
import org.apache.spark.graphx.lib.ConnectedComponents;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Clustering as connected components of a similarity graph (GraphX), without k:
 * <ol>
 *   <li>edges between faces whose cosine is >= threshold (exact, blocked: {@link BlockedSimilarity});
 *   <li>cannot-link: no edge between two faces of the same photo (when the input has a path column);
 *   <li>optional kNN sparsification: each face keeps its `knn` most similar edges, and with `mutual` an edge
 *       survives only when each end keeps it (knn = 0 keeps every edge: plain single linkage);
 *   <li>components smaller than `minSize` get the noise label -1.
 * </ol>
 * Cluster ids are the smallest internal vertex id of the component: opaque numbers.
 */
public final class GraphClustering {
  public static final int BLOCK_SIZE = 2048;
  public static final long NOISE = -1;
  private static final ClassTag<Object> OBJ = ClassTag$.MODULE$.apply(Object.class);
  private static final ClassTag<Double> DBL = ClassTag$.MODULE$.apply(Double.class);
  private static final StructType OUT = DataTypes.createStructType(List.of(
      DataTypes.createStructField("face_id", DataTypes.StringType, false),
      DataTypes.createStructField("cluster_id", DataTypes.LongType, false)));

  /** The method's parameters; see the class comment. */
  public record Params(double threshold, int knn, boolean mutual, int minSize, int maxIter, int blockSize)
      implements Serializable {}

  /** A face in the graph. A class, not a record: Spark's Kryo serializer cannot build records. */
  static final class Vertex implements Serializable {
    final String faceId;
    final float[] embedding;
    final String photo;

    Vertex(String faceId, float[] embedding, String photo) {
      this.faceId = faceId;
      this.embedding = embedding;
      this.photo = photo;
    }
  }

  private GraphClustering() {}

  /**
   * @param faces rows with face_id, embedding (unit vectors) and optionally path (enables cannot-link)
   * @return face_id, cluster_id
   */
  public static Dataset<Row> run(Dataset<Row> faces, Params p) {
    boolean hasPath = Arrays.asList(faces.columns()).contains("path");
    Dataset<Row> cols = hasPath ? faces.select("face_id", "embedding", "path") : faces.select("face_id", "embedding");
    JavaPairRDD<Long, Vertex> indexed = cols.javaRDD().zipWithUniqueId()
        .mapToPair(t -> new Tuple2<>(t._2(), new Vertex(t._1().getString(0), toFloats(t._1().getList(1)),
            t._1().size() > 2 ? t._1().getString(2) : null)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    long count = indexed.count();
    JavaRDD<Edge<Double>> edges = BlockedSimilarity.edges(indexed.mapValues(v -> v.embedding), count,
        p.blockSize(), p.threshold());
    if (hasPath) {
      edges = withoutSamePhoto(edges, indexed.mapValues(v -> v.photo));
    }
    if (p.knn() > 0) {
      edges = nearest(edges, p.knn(), p.mutual());
    }
    JavaRDD<Tuple2<Object, Object>> vertices = indexed.map(t -> new Tuple2<>(t._1(), (Object) t._1()));
    Graph<Object, Double> graph = Graph.apply(vertices.rdd(), edges.rdd(), (Object) 0L,
        StorageLevel.MEMORY_AND_DISK(), StorageLevel.MEMORY_AND_DISK(), OBJ, DBL);
    Graph<Object, Double> cc = ConnectedComponents.run(graph, p.maxIter(), OBJ, DBL);
    JavaPairRDD<Long, Long> component = cc.vertices().toJavaRDD()
        .mapToPair(t -> new Tuple2<>((Long) t._1(), (Long) t._2()));
    if (p.minSize() > 1) {
      JavaPairRDD<Long, Integer> sizes = component.mapToPair(t -> new Tuple2<>(t._2(), 1)).reduceByKey(Integer::sum);
      component = component.mapToPair(t -> new Tuple2<>(t._2(), t._1())).join(sizes)
          .mapToPair(t -> new Tuple2<>(t._2()._1(), t._2()._2() >= p.minSize() ? t._1() : NOISE));
    }
    JavaRDD<Row> rows = indexed.join(component).map(t -> RowFactory.create(t._2()._1().faceId, t._2()._2()));
    // Materialised here so that the cached inputs and graph can be released before returning.
    Dataset<Row> out = faces.sparkSession().createDataFrame(rows, OUT).localCheckpoint(true);
    cc.unpersist(false);
    graph.unpersist(false);
    indexed.unpersist(false);
    return out;
  }

  /** Drops edges whose two faces come from the same photo. */
  static JavaRDD<Edge<Double>> withoutSamePhoto(JavaRDD<Edge<Double>> edges, JavaPairRDD<Long, String> photo) {
    return edges.mapToPair(e -> new Tuple2<>(e.srcId(), e)).join(photo)
        .mapToPair(t -> new Tuple2<>(t._2()._1().dstId(), t._2())).join(photo)
        .filter(t -> !t._2()._1()._2().equals(t._2()._2()))
        .map(t -> t._2()._1()._1());
  }

  /** Each vertex keeps its k best edges; mutual keeps an edge only when both ends chose it. */
  static JavaRDD<Edge<Double>> nearest(JavaRDD<Edge<Double>> edges, int k, boolean mutual) {
    JavaPairRDD<Tuple2<Long, Long>, Integer> chosen = edges
        .flatMapToPair(e -> List.of(new Tuple2<>(e.srcId(), new Tuple2<>(e.dstId(), e.attr())),
            new Tuple2<>(e.dstId(), new Tuple2<>(e.srcId(), e.attr()))).iterator())
        .groupByKey()
        .flatMapToPair(t -> {
          List<Tuple2<Long, Double>> list = new ArrayList<>();
          t._2().forEach(list::add);
          list.sort((a, b) -> Double.compare(b._2(), a._2()));
          List<Tuple2<Tuple2<Long, Long>, Integer>> out = new ArrayList<>();
          for (Tuple2<Long, Double> n : list.subList(0, Math.min(k, list.size()))) {
            out.add(new Tuple2<>(new Tuple2<>(Math.min(t._1(), n._1()), Math.max(t._1(), n._1())), 1));
          }
          return out.iterator();
        })
        .reduceByKey(Integer::sum);
    JavaPairRDD<Tuple2<Long, Long>, Double> weight = edges.mapToPair(e ->
        new Tuple2<>(new Tuple2<>(e.srcId(), e.dstId()), e.attr()));
    return chosen.filter(t -> !mutual || t._2() == 2).join(weight)
        .map(t -> new Edge<>(t._1()._1(), t._1()._2(), t._2()._2()));
  }

  static float[] toFloats(List<Object> list) {
    float[] v = new float[list.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = ((Number) list.get(i)).floatValue();
    }
    return v;
  }
}
