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
    return GraphClustering.Params.of(0.8, knn, mutual, minSize).withMaxIter(20)
        .withSearch(KnnSearch.Params.defaults().withMode(KnnSearch.Mode.EXACT).withBlockSize(2));
  }

  @Test
  void knnKeepsEachFacesBestEdgesAndTheirUnion() {
    // k = 1: c keeps c-n1; n1, n2, n3 each keep their edge to c. The union links the whole star.
    assertThat(clusters(GraphClustering.run(faces(STAR, Map.of()), params(1, false, 1)).clusters()))
        .as("kNN (k = 1), union of choices").containsExactlyInAnyOrderEntriesOf(
            Map.of("c", "c", "n1", "c", "n2", "c", "n3", "c"));
  }

  @Test
  void mutualKnnKeepsOnlyEdgesBothEndsChose() {
    assertThat(clusters(GraphClustering.run(faces(STAR, Map.of()), params(1, true, 1)).clusters()))
        .as("mutual kNN (k = 1): only c-n1").containsExactlyInAnyOrderEntriesOf(
            Map.of("c", "c", "n1", "c", "n2", "n2", "n3", "n3"));
  }

  @Test
  void componentsBelowTheMinimumSizeAreNoise() {
    assertThat(clusters(GraphClustering.run(faces(STAR, Map.of()), params(1, true, 2)).clusters()))
        .as("mutual kNN, min size 2: the lone n2 and n3 are noise").containsExactlyInAnyOrderEntriesOf(
            Map.of("c", "c", "n1", "c", "n2", "-1", "n3", "-1"));
  }

  @Test
  void facesOfOnePhotoNeverShareACluster() {
    // c and n1 are in one photo: their 0.95 edge is never formed (cannot-link in the kNN search).
    Map<String, String> samePhoto = Map.of("c", "group.jpg", "n1", "group.jpg");
    assertThat(clusters(GraphClustering.run(faces(STAR, samePhoto), params(1, true, 1)).clusters()))
        .as("cannot-link, mutual k = 1: c's best remaining edge is c-n2, n2's best is c")
        .containsExactlyInAnyOrderEntriesOf(Map.of("c", "c", "n2", "c", "n1", "n1", "n3", "n3"));
    // With every edge kept (k = 0), n1 reaches c through n3 (0.8075, 0.85): the component breaks cannot-link
    // and is cut again at 0.85 (threshold + one step), where n1-n3 falls away.
    GraphClustering.Result all = GraphClustering.run(faces(STAR, samePhoto), params(0, false, 1));
    assertThat(clusters(all.clusters())).as("cannot-link through a path: split at a higher threshold")
        .containsExactlyInAnyOrderEntriesOf(Map.of("c", "c", "n2", "c", "n3", "c", "n1", "n1"));
    assertThat(all.stats()).as("statistics of the split").containsEntry("components_split", 1L)
        .containsEntry("split_rounds", 1).containsEntry("faces_cut_for_cannot_link", 0L);
  }

  private static org.apache.spark.api.java.JavaSparkContext jsc() {
    return org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
  }
}
