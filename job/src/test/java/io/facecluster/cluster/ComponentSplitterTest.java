package io.facecluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.udfs.SparkTestBase;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.graphx.Edge;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** Components, splitting and noise on small hand-made graphs (vertex ids, weighted edges, photo keys). */
class ComponentSplitterTest extends SparkTestBase {
  private static JavaSparkContext jsc() {
    return JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  private static JavaRDD<Edge<Double>> edges(double[][] e) {
    return jsc().parallelize(java.util.Arrays.stream(e).map(x -> new Edge<>((long) x[0], (long) x[1], x[2]))
        .toList(), 2);
  }

  /** Photos: one per vertex unless given. */
  private static JavaPairRDD<Long, Long> photos(int n, Map<Long, Long> shared) {
    List<Tuple2<Long, Long>> list = new java.util.ArrayList<>();
    for (long v = 0; v < n; v++) {
      list.add(new Tuple2<>(v, shared.getOrDefault(v, 1000 + v)));
    }
    return jsc().parallelizePairs(list, 2);
  }

  private static JavaRDD<Long> vertices(int n) {
    List<Long> ids = new java.util.ArrayList<>();
    for (long v = 0; v < n; v++) {
      ids.add(v);
    }
    return jsc().parallelize(ids, 2);
  }

  /** Vertex -> the smallest vertex of its group (cluster ids are opaque; cut faces are their own group). */
  private static Map<Long, Long> groups(JavaPairRDD<Long, Long> labels) {
    Map<Long, Long> first = new HashMap<>();
    List<Tuple2<Long, Long>> rows = labels.collect();
    rows.forEach(t -> first.merge(t._2(), t._1(), Math::min));
    Map<Long, Long> out = new TreeMap<>();
    rows.forEach(t -> out.put(t._1(), first.get(t._2())));
    return out;
  }

  private static GraphClustering.Params params(double threshold, int maxSize) {
    return GraphClustering.Params.of(threshold, 30, false, 1).withMaxSize(maxSize).withMaxIter(20);
  }

  @Test
  void componentsAreTheConnectedParts() {
    JavaRDD<Edge<Double>> e = edges(new double[][] {{0, 1, 0.9}, {1, 2, 0.9}, {3, 4, 0.9}});
    assertThat(groups(Components.of(vertices(6), e, 20))).as("components of 0-1-2, 3-4, 5")
        .containsExactlyInAnyOrderEntriesOf(Map.of(0L, 0L, 1L, 0L, 2L, 0L, 3L, 3L, 4L, 3L, 5L, 5L));
  }

  @Test
  void driverAndGraphXGiveTheSameLabels() {
    // 3,000 vertices, 2,400 random edges in 4 partitions: many components of all sizes, chains and cycles.
    java.util.Random rnd = new java.util.Random(5);
    double[][] raw = new double[2400][];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = new double[] {rnd.nextInt(3000), rnd.nextInt(3000), 0.9};
    }
    JavaRDD<Edge<Double>> e = edges(raw).repartition(4);
    Map<Long, Long> local = new TreeMap<>(Components.of(vertices(3000), e, 40).collectAsMap());
    Map<Long, Long> graphx = new TreeMap<>(Components.of(vertices(3000), e, 40, 0).collectAsMap());
    assertThat(local).as("labels on the driver").hasSize(3000).isEqualTo(graphx);
    // Labels are the smallest vertex of each component, by an independent union-find over the raw edges.
    int[] parent = new int[3000];
    for (int v = 0; v < parent.length; v++) {
      parent[v] = v;
    }
    for (double[] x : raw) {
      int a = find(parent, (int) x[0]);
      int b = find(parent, (int) x[1]);
      parent[Math.max(a, b)] = Math.min(a, b);
    }
    Map<Long, Long> expected = new TreeMap<>();
    for (int v = 0; v < parent.length; v++) {
      expected.put((long) v, (long) find(parent, v));
    }
    assertThat(local).as("smallest vertex of each component").isEqualTo(expected);
    assertThat(local.values().stream().distinct().count()).as("components").isBetween(500L, 1500L);
  }

  private static int find(int[] parent, int v) {
    while (parent[v] != v) {
      v = parent[v];
    }
    return v;
  }

  @Test
  void oversizedComponentIsCutAtItsWeakestLinks() {
    // Two tight pairs joined by one 0.62 link: at threshold 0.5 one component of 4 > maxSize 3. Rounds raise
    // the threshold by 0.05: 0.55, 0.60 keep the link, 0.65 cuts it.
    JavaRDD<Edge<Double>> e = edges(new double[][] {{0, 1, 0.95}, {1, 2, 0.62}, {2, 3, 0.95}});
    Map<String, Object> stats = new LinkedHashMap<>();
    JavaPairRDD<Long, Long> cut = ComponentSplitter.split(Components.of(vertices(4), e, 20), e,
        photos(4, Map.of()), params(0.5, 3), stats);
    assertThat(groups(cut)).as("split into the two pairs")
        .containsExactlyInAnyOrderEntriesOf(Map.of(0L, 0L, 1L, 0L, 2L, 2L, 3L, 2L));
    assertThat(stats).as("rounds").containsEntry("split_rounds", 3).containsEntry("components_split", 3L)
        .containsEntry("oversized_components_left", 0L);
    Map<String, Object> noLimit = new LinkedHashMap<>();
    assertThat(groups(ComponentSplitter.split(Components.of(vertices(4), e, 20), e, photos(4, Map.of()),
        params(0.5, 0), noLimit))).as("no size limit: one component")
        .containsExactlyInAnyOrderEntriesOf(Map.of(0L, 0L, 1L, 0L, 2L, 0L, 3L, 0L));
  }

  @Test
  void twoFacesOfOnePhotoJoinedThroughOthersAreSeparated() {
    // 0 and 3 are one photo; at threshold 0.7 the path 0-1 (0.9), 1-2 (0.7), 2-3 (0.9) joins them. Round 1
    // (0.75) cuts 1-2.
    JavaRDD<Edge<Double>> e = edges(new double[][] {{0, 1, 0.9}, {1, 2, 0.7}, {2, 3, 0.9}});
    Map<String, Object> stats = new LinkedHashMap<>();
    JavaPairRDD<Long, Long> cut = ComponentSplitter.split(Components.of(vertices(4), e, 20), e,
        photos(4, Map.of(0L, 7L, 3L, 7L)), params(0.7, 0), stats);
    assertThat(groups(cut)).as("0-1 and 2-3")
        .containsExactlyInAnyOrderEntriesOf(Map.of(0L, 0L, 1L, 0L, 2L, 2L, 3L, 2L));
    assertThat(stats).as("one round").containsEntry("split_rounds", 1).containsEntry("faces_cut_for_cannot_link", 0L);
  }

  @Test
  void whenNoThresholdSeparatesThemTheWeakerFaceOfThePhotoLeaves() {
    // 0 and 2 are one photo, both linked to 1 at 0.99 (no round can cut it); 0 also links 3 (0.99): 0 has the
    // larger sum of link weights and stays; 2 becomes a singleton.
    JavaRDD<Edge<Double>> e = edges(new double[][] {{0, 1, 0.99}, {1, 2, 0.99}, {0, 3, 0.99}});
    Map<String, Object> stats = new LinkedHashMap<>();
    JavaPairRDD<Long, Long> cut = ComponentSplitter.split(Components.of(vertices(4), e, 20), e,
        photos(4, Map.of(0L, 7L, 2L, 7L)), params(0.5, 0), stats);
    assertThat(groups(cut)).as("2 cut out")
        .containsExactlyInAnyOrderEntriesOf(Map.of(0L, 0L, 1L, 0L, 3L, 0L, 2L, 2L));
    assertThat(stats).as("all rounds, then one face cut").containsEntry("split_rounds", ComponentSplitter.ROUNDS)
        .containsEntry("faces_cut_for_cannot_link", 1L);
  }

  @Test
  void smallComponentsBecomeNoise() {
    List<FaceVector> faces = List.of(new FaceVector(0, 0, new float[] {1, 0}), new FaceVector(1, 1, new float[] {1, 0}),
        new FaceVector(2, 2, new float[] {0, 1}));
    JavaPairRDD<Long, Neighbours> lists = jsc().parallelizePairs(List.of(new Tuple2<>(0L, list(1, 0.9f)),
        new Tuple2<>(1L, list(0, 0.9f))), 2);
    Map<String, Object> stats = new LinkedHashMap<>();
    assertThat(GraphClustering.fromNeighbours(jsc().parallelize(faces, 2), lists,
        GraphClustering.Params.of(0.5, 30, true, 2).withMaxIter(20), stats).collectAsMap())
        .as("the pair is a cluster, the lone face noise")
        .containsExactlyInAnyOrderEntriesOf(Map.of(0L, 0L, 1L, 0L, 2L, GraphClustering.NOISE));
  }

  private static Neighbours list(long id, float sim) {
    Neighbours n = new Neighbours(30);
    n.offer(id, sim);
    return n;
  }
}
