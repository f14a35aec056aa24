package io.facecluster.cluster;

import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.graphx.Edge;
import org.apache.spark.graphx.Graph;
import org.apache.spark.graphx.lib.ConnectedComponents;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Groups faces without k: link every pair with cosine >= threshold (exact, blocked), then take GraphX's
 * connected components. A face with no link is its own cluster. Cluster ids are the smallest vertex id of
 * the component: opaque numbers, stable for a given input.
 */
public final class ThresholdClustering {
  static final int BLOCK_SIZE = 2048;
  private static final ClassTag<Object> OBJ = ClassTag$.MODULE$.apply(Object.class);
  private static final ClassTag<Double> DBL = ClassTag$.MODULE$.apply(Double.class);
  private static final StructType OUT = DataTypes.createStructType(List.of(
      DataTypes.createStructField("face_id", DataTypes.StringType, false),
      DataTypes.createStructField("cluster_id", DataTypes.LongType, false)));

  private ThresholdClustering() {}

  /**
   * @param faces rows with face_id and embedding (unit vectors)
   * @return face_id, cluster_id
   */
  public static Dataset<Row> run(Dataset<Row> faces, double threshold, int maxIter) {
    return run(faces, threshold, maxIter, BLOCK_SIZE);
  }

  /** As {@link #run(Dataset, double, int)} with vectors grouped into blocks of about `blockSize` (tests). */
  static Dataset<Row> run(Dataset<Row> faces, double threshold, int maxIter, int blockSize) {
    SparkSession spark = faces.sparkSession();
    JavaPairRDD<Long, Tuple2<String, float[]>> indexed = faces.select("face_id", "embedding").javaRDD()
        .zipWithUniqueId()
        .mapToPair(t -> new Tuple2<>(t._2(), new Tuple2<>(t._1().getString(0), toFloats(t._1().getList(1)))))
        .persist(StorageLevel.MEMORY_AND_DISK());
    long count = indexed.count();
    JavaRDD<Edge<Double>> edges = BlockedSimilarity.edges(indexed.mapValues(Tuple2::_2), count, blockSize,
        threshold);
    JavaRDD<Tuple2<Object, Object>> vertices = indexed.map(t -> new Tuple2<>(t._1(), (Object) t._1()));
    Graph<Object, Double> graph = Graph.apply(vertices.rdd(), edges.rdd(), (Object) 0L,
        StorageLevel.MEMORY_AND_DISK(), StorageLevel.MEMORY_AND_DISK(), OBJ, DBL);
    Graph<Object, Double> cc = ConnectedComponents.run(graph, maxIter, OBJ, DBL);
    JavaPairRDD<Long, Long> component = cc.vertices().toJavaRDD()
        .mapToPair(t -> new Tuple2<>((Long) t._1(), (Long) t._2()));
    JavaRDD<Row> rows = indexed.join(component).map(t -> RowFactory.create(t._2()._1()._1(), t._2()._2()));
    // Materialised here so that the cached inputs and graph can be released before returning.
    Dataset<Row> out = spark.createDataFrame(rows, OUT).localCheckpoint(true);
    cc.unpersist(false);
    graph.unpersist(false);
    indexed.unpersist(false);
    return out;
  }

  private static float[] toFloats(List<Object> list) {
    float[] v = new float[list.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = ((Number) list.get(i)).floatValue();
    }
    return v;
  }
}
