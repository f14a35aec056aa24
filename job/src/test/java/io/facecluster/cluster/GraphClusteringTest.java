package io.facecluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.udfs.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The kNN graph method on hand-made unit vectors: a star whose centre c has cosines 0.95 / 0.90 / 0.85 to
 * n1 / n2 / n3, and n1-n3 0.8075 (n1-n2 0.719, n2-n3 0.765 fall below the 0.8 threshold).
 */
class GraphClusteringTest extends SparkTestBase {
  private static final StructType FACES = DataTypes.createStructType(List.of(
      DataTypes.createStructField("face_id", DataTypes.StringType, false),
      DataTypes.createStructField("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false),
      DataTypes.createStructField("path", DataTypes.StringType, false)));

  private static final Map<String, float[]> STAR = new TreeMap<>(Map.of(
      "c", new float[] {1, 0, 0},
      "n1", new float[] {0.95f, 0.3122499f, 0},
      "n2", new float[] {0.9f, -0.4358899f, 0},
      "n3", new float[] {0.85f, 0, 0.5267827f}));

  private static Dataset<Row> faces(Map<String, float[]> vectors, Map<String, String> photos) {
    List<Row> rows = new ArrayList<>();
    vectors.forEach((id, v) -> {
      List<Float> list = new ArrayList<>();
      for (float x : v) {
        list.add(x);
      }
      rows.add(RowFactory.create(id, list, photos.getOrDefault(id, "photo-" + id + ".jpg")));
    });
    return spark.createDataFrame(rows, FACES).repartition(2);
  }

  /** Cluster id per face; non-noise ids replaced by the smallest face id of their cluster, noise stays "-1". */
  private static Map<String, String> clusters(Dataset<Row> out) {
    Map<Long, String> firstFace = new TreeMap<>();
    List<Row> rows = out.collectAsList();
    rows.forEach(r -> firstFace.merge(r.getLong(1), r.getString(0), (a, b) -> a.compareTo(b) <= 0 ? a : b));
    Map<String, String> byFace = new TreeMap<>();
    rows.forEach(r -> byFace.put(r.getString(0), r.getLong(1) == GraphClustering.NOISE ? "-1"
        : firstFace.get(r.getLong(1))));
    return byFace;
  }

  private static GraphClustering.Params params(int knn, boolean mutual, int minSize) {
    return new GraphClustering.Params(0.8, knn, mutual, minSize, 20, 2);
  }

  @Test
  void knnKeepsEachFacesBestEdgesAndTheirUnion() {
    // k = 1: c keeps c-n1; n1, n2, n3 each keep their edge to c. The union links the whole star.
    assertThat(clusters(GraphClustering.run(faces(STAR, Map.of()), params(1, false, 1))))
        .as("kNN (k = 1), union of choices").containsExactlyInAnyOrderEntriesOf(
            Map.of("c", "c", "n1", "c", "n2", "c", "n3", "c"));
  }

  @Test
  void mutualKnnKeepsOnlyEdgesBothEndsChose() {
    assertThat(clusters(GraphClustering.run(faces(STAR, Map.of()), params(1, true, 1))))
        .as("mutual kNN (k = 1): only c-n1").containsExactlyInAnyOrderEntriesOf(
            Map.of("c", "c", "n1", "c", "n2", "n2", "n3", "n3"));
  }

  @Test
  void componentsBelowTheMinimumSizeAreNoise() {
    assertThat(clusters(GraphClustering.run(faces(STAR, Map.of()), params(1, true, 2))))
        .as("mutual kNN, min size 2: the lone n2 and n3 are noise").containsExactlyInAnyOrderEntriesOf(
            Map.of("c", "c", "n1", "c", "n2", "-1", "n3", "-1"));
  }

  @Test
  void facesOfOnePhotoAreNeverLinkedDirectly() {
    // c and n1 are in one photo: their 0.95 edge is dropped; with all edges kept (k = 0) n1 still joins c
    // through n3 (0.8075 and 0.85), but with mutual k = 1 nothing links them.
    Map<String, String> samePhoto = Map.of("c", "group.jpg", "n1", "group.jpg");
    assertThat(clusters(GraphClustering.run(faces(STAR, samePhoto), params(1, true, 1))))
        .as("cannot-link, mutual k = 1: c's best remaining edge is c-n2, n2's best is c")
        .containsExactlyInAnyOrderEntriesOf(Map.of("c", "c", "n2", "c", "n1", "n1", "n3", "n3"));
    assertThat(clusters(GraphClustering.run(faces(STAR, samePhoto), params(0, false, 1))))
        .as("cannot-link acts on edges only: with every edge kept, n1 reaches c through n3 (issue 5: splitting)")
        .containsExactlyInAnyOrderEntriesOf(Map.of("c", "c", "n1", "c", "n2", "c", "n3", "c"));
    List<org.apache.spark.graphx.Edge<Double>> edges = GraphClustering.withoutSamePhoto(
        jsc().parallelize(List.of(new org.apache.spark.graphx.Edge<>(1L, 2L, 0.9),
            new org.apache.spark.graphx.Edge<>(1L, 3L, 0.8))),
        jsc().parallelizePairs(List.of(new scala.Tuple2<>(1L, "a.jpg"), new scala.Tuple2<>(2L, "a.jpg"),
            new scala.Tuple2<>(3L, "b.jpg")))).collect();
    assertThat(edges).as("edges left after cannot-link").extracting(e -> e.dstId()).containsExactly(3L);
  }

  private static org.apache.spark.api.java.JavaSparkContext jsc() {
    return org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
  }
}
