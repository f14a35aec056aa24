package io.facecluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.udfs.SparkTestBase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Threshold clustering (links at cosine >= threshold, then connected components) on 3-d unit vectors with
 * hand-computed cosines. Cluster ids are opaque, so results are compared as groups of face ids.
 */
class ThresholdClusteringTest extends SparkTestBase {
  private static final StructType FACES = DataTypes.createStructType(List.of(
      DataTypes.createStructField("face_id", DataTypes.StringType, false),
      DataTypes.createStructField("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false)));

  /** Two tight groups and a singleton: inside each group cosine 0.8, across groups and to "s" at most 0.6. */
  private static final Map<String, float[]> GROUPS = new TreeMap<>(Map.of(
      "a1", new float[] {1, 0, 0}, "a2", new float[] {0.8f, 0.6f, 0},
      "b1", new float[] {0, 0, 1}, "b2", new float[] {0, 0.6f, 0.8f},
      "s", new float[] {0, 1, 0}));

  /**
   * A chain: cos(a, b) = 0.8, cos(b, c) = 0.8*0.28 + 0.6*0.96 = 0.8, but cos(a, c) = 0.28. Single linkage
   * (connected components) puts all three together at 0.75 although a and c are far apart: this is by design,
   * and why the threshold must be high enough for an embedder (its spec's same-person threshold).
   */
  private static final Map<String, float[]> CHAIN = new TreeMap<>(Map.of(
      "a", new float[] {1, 0, 0}, "b", new float[] {0.8f, 0.6f, 0}, "c", new float[] {0.28f, 0.96f, 0}));

  private static Dataset<Row> faces(Map<String, float[]> vectors) {
    List<Row> rows = new ArrayList<>();
    vectors.forEach((id, v) -> {
      List<Float> list = new ArrayList<>();
      for (float x : v) {
        list.add(x);
      }
      rows.add(RowFactory.create(id, list));
    });
    // Several partitions, so that ids and blocks come from more than one task.
    return spark.createDataFrame(rows, FACES).repartition(3);
  }

  /** face_id, cluster_id rows as groups of face ids; also checks that each face has exactly one row. */
  private static Set<Set<String>> groups(Dataset<Row> clusters, int faces) {
    assertThat(clusters.columns()).as("output columns").containsExactly("face_id", "cluster_id");
    Map<Long, Set<String>> byCluster = new TreeMap<>();
    List<Row> rows = clusters.collectAsList();
    rows.forEach(r -> byCluster.computeIfAbsent(r.getLong(1), k -> new HashSet<>()).add(r.getString(0)));
    assertThat(rows).as("one row per face").hasSize(faces);
    return new HashSet<>(byCluster.values());
  }

  private static KnnSearch.Params blocks(int size) {
    return KnnSearch.Params.defaults().withMode(KnnSearch.Mode.EXACT).withBlockSize(size);
  }

  @Test
  void groupsAndSingletonAcrossSeveralBlocks() {
    // Block size 2: 5 faces in 3 blocks, so group members can sit in different blocks.
    assertThat(groups(ThresholdClustering.run(faces(GROUPS), 0.7, 20, blocks(2)), 5)).as("clusters at 0.7, blocks of 2")
        .containsExactlyInAnyOrder(Set.of("a1", "a2"), Set.of("b1", "b2"), Set.of("s"));
    assertThat(groups(ThresholdClustering.run(faces(GROUPS), 0.7, 20, blocks(1)), 5)).as("clusters at 0.7, blocks of 1")
        .containsExactlyInAnyOrder(Set.of("a1", "a2"), Set.of("b1", "b2"), Set.of("s"));
    assertThat(groups(ThresholdClustering.run(faces(GROUPS), 0.7, 20), 5)).as("clusters at 0.7, default blocks")
        .containsExactlyInAnyOrder(Set.of("a1", "a2"), Set.of("b1", "b2"), Set.of("s"));
  }

  @Test
  void thresholdDecidesWhichLinksCount() {
    // 0.55 also admits the 0.6 links a2-s and b2-s: s joins both groups into one.
    assertThat(groups(ThresholdClustering.run(faces(GROUPS), 0.55, 20, blocks(2)), 5)).as("clusters at 0.55")
        .containsExactly(Set.of("a1", "a2", "b1", "b2", "s"));
    // 0.85 is above every pair: each face alone.
    assertThat(groups(ThresholdClustering.run(faces(GROUPS), 0.85, 20, blocks(2)), 5)).as("clusters at 0.85")
        .containsExactlyInAnyOrder(Set.of("a1"), Set.of("a2"), Set.of("b1"), Set.of("b2"), Set.of("s"));
  }

  @Test
  void chainIsOneClusterUnderSingleLinkage() {
    assertThat(groups(ThresholdClustering.run(faces(CHAIN), 0.75, 20, blocks(2)), 3)).as("chain a-b-c at 0.75")
        .containsExactly(Set.of("a", "b", "c"));
    assertThat(groups(ThresholdClustering.run(faces(CHAIN), 0.85, 20, blocks(2)), 3)).as("chain at 0.85: no link")
        .containsExactlyInAnyOrder(Set.of("a"), Set.of("b"), Set.of("c"));
  }

  @Test
  void noFacesGiveNoClusters() {
    assertThat(groups(ThresholdClustering.run(faces(Map.of()), 0.7, 20, blocks(2)), 0)).as("clusters of no faces")
        .isEmpty();
  }
}
