package io.facecluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.eval.SyntheticFaces;
import io.facecluster.udfs.SparkTestBase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The IVF index on 3,000 synthetic faces shaped like LFW embeddings (identities of 5 to 50 faces): probing every
 * cell is exact search, and probing the default four of six cells finds nearly all of the graph's edges.
 */
class IvfKnnTest extends SparkTestBase {
  private static JavaRDD<FaceVector> faces() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int[] sizes = SyntheticFaces.identitySizes(3000, 2.0, 5, 50, 3);
    return SyntheticFaces.generate(jsc, SyntheticFaces.Params.paddlexLfw(), sizes, 3, 4).map(Tuple2::_1).cache();
  }

  private static Map<Long, String> asText(List<Tuple2<Long, Neighbours>> lists) {
    Map<Long, String> out = new HashMap<>();
    lists.forEach(t -> {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < t._2().size(); i++) {
        sb.append(t._2().id(i)).append(' ');
      }
      out.put(t._1(), sb.toString());
    });
    return out;
  }

  @Test
  void probingEveryCellIsExactSearch() {
    JavaRDD<FaceVector> faces = faces();
    IvfKnn.Index index = IvfKnn.train(faces, 3000, new IvfKnn.Params(500, 6, 3000, 5, 1));
    assertThat(index.cells()).as("cells = faces / cell size").isEqualTo(6);
    Map<Long, String> ivf = asText(IvfKnn.search(faces, index, 6, 10, 0.456f).collect());
    Map<Long, String> exact = asText(ExactKnn.search(faces, 3000, 700, 10, 0.456f).collect());
    assertThat(ivf).as("IVF with all cells probed = exact kNN lists").hasSize(exact.size())
        .containsExactlyInAnyOrderEntriesOf(exact);
  }

  @Test
  void fewerProbesKeepNearlyAllEdgesAboveTheThreshold() {
    JavaRDD<FaceVector> faces = faces();
    IvfKnn.Index index = IvfKnn.train(faces, 3000, new IvfKnn.Params(500, 4, 3000, 5, 1));
    long exact = edges(ExactKnn.search(faces, 3000, 700, 30, 0.456f).collect());
    long ivf = edges(IvfKnn.search(faces, index, 4, 30, 0.456f).collect());
    assertThat(ivf).as("list entries found by IVF (4 of 6 cells) vs exact (%d)", exact)
        .isLessThanOrEqualTo(exact).isGreaterThanOrEqualTo((long) (0.95 * exact));
  }

  @Test
  void everyComparedPairIsOfferedToBothFaces() {
    JavaRDD<FaceVector> faces = faces();
    IvfKnn.Index index = IvfKnn.train(faces, 3000, new IvfKnn.Params(250, 2, 3000, 5, 1));
    Map<Long, Neighbours> lists = IvfKnn.search(faces, index, 2, 10, 0.456f).collectAsMap();
    long oneSided = 0;
    long pairs = 0;
    for (Map.Entry<Long, Neighbours> e : lists.entrySet()) {
      Neighbours a = e.getValue();
      for (int i = 0; i < a.size(); i++) {
        pairs++;
        Neighbours b = lists.get(a.id(i));
        boolean listed = false;
        for (int j = 0; b != null && j < b.size(); j++) {
          listed |= b.id(j) == e.getKey();
        }
        // b may leave a out only when its list is full of faces at least as similar
        if (!listed && (b == null || b.size() < 10 || b.sim(b.size() - 1) < a.sim(i))) {
          oneSided++;
        }
      }
    }
    assertThat(pairs).as("list entries with 2 of 12 cells probed").isGreaterThan(10_000);
    assertThat(oneSided).as("pairs listed by one face only, although the other's list had room").isZero();
  }

  @Test
  void indexRecallCountsBothDirectionsOfTheSearch() {
    JavaRDD<FaceVector> faces = faces();
    IvfKnn.Index index = IvfKnn.train(faces, 3000, new IvfKnn.Params(250, 2, 3000, 5, 1));
    List<FaceVector> queries = faces.takeSample(false, 50, 5);
    Map<Long, Neighbours> lists = IvfKnn.search(faces, index, 2, 3000, -1f).collectAsMap();
    List<Neighbours> found = IvfKnn.topK(faces, queries, index, 2, 3000);
    for (int i = 0; i < queries.size(); i++) {
      assertThat(ids(found.get(i))).as("faces topK meets for query %d = the search's unbounded list", queries.get(i).id())
          .isEqualTo(ids(lists.get(queries.get(i).id())));
    }
  }

  private static java.util.Set<Long> ids(Neighbours n) {
    java.util.Set<Long> out = new java.util.TreeSet<>();
    for (int i = 0; n != null && i < n.size(); i++) {
      out.add(n.id(i));
    }
    return out;
  }

  private static long edges(List<Tuple2<Long, Neighbours>> lists) {
    return lists.stream().mapToLong(t -> t._2().size()).sum();
  }
}
