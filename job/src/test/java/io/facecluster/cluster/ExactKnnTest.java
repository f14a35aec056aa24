package io.facecluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.udfs.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Exact kNN by blocks, on five 3-d unit vectors whose dot products are exact by hand (3-4-5 triangles):
 *
 * <pre>
 *   0 (1, 0, 0)      1 (0.8, 0.6, 0)     2 (0, 0, 1)     3 (0, 0.6, 0.8)     4 (0, 1, 0)
 *   0.1 = 0.8   2.3 = 0.8   1.4 = 0.6   3.4 = 0.6   1.3 = 0.36   every other pair = 0
 * </pre>
 */
class ExactKnnTest extends SparkTestBase {
  static final float[][] V = {{1, 0, 0}, {0.8f, 0.6f, 0}, {0, 0, 1}, {0, 0.6f, 0.8f}, {0, 1, 0}};

  static List<FaceVector> faces(long... photos) {
    List<FaceVector> out = new ArrayList<>();
    for (int i = 0; i < V.length; i++) {
      out.add(new FaceVector(i, photos.length == 0 ? 100 + i : photos[i], V[i]));
    }
    return out;
  }

  /** id -> "neighbour:cosine ..." with two decimals, most similar first (ties by id). */
  static Map<Long, String> knn(List<FaceVector> faces, int blockSize, int k, float threshold) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<Long, String> out = new TreeMap<>();
    ExactKnn.search(jsc.parallelize(faces, 2), faces.size(), blockSize, k, threshold).collect().forEach(t -> {
      List<long[]> list = new ArrayList<>();
      for (int i = 0; i < t._2().size(); i++) {
        list.add(new long[] {t._2().id(i), Math.round(t._2().sim(i) * 100)});
      }
      list.sort((a, b) -> a[1] != b[1] ? Long.compare(b[1], a[1]) : Long.compare(a[0], b[0]));
      StringBuilder sb = new StringBuilder();
      for (long[] e : list) {
        sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%d:%.2f", e[0], e[1] / 100.0));
      }
      out.put(t._1(), sb.toString());
    });
    return out;
  }

  @Test
  void listsHoldTheBestNeighboursAboveTheThresholdWhateverTheBlocks() {
    Map<Long, String> expected = Map.of(0L, "1:0.80", 1L, "0:0.80 4:0.60", 2L, "3:0.80", 3L, "2:0.80 4:0.60",
        4L, "1:0.60 3:0.60");
    for (int blockSize : new int[] {1, 2, 5}) {
      assertThat(knn(faces(), blockSize, 5, 0.5f)).as("kNN >= 0.5, blocks of %d", blockSize)
          .containsExactlyInAnyOrderEntriesOf(expected);
    }
    Map<Long, String> best = knn(faces(), 2, 1, 0.3f);
    assertThat(best).as("k = 1, >= 0.3: each face's single best").hasSize(5)
        .containsAllEntriesOf(Map.of(0L, "1:0.80", 1L, "0:0.80", 2L, "3:0.80", 3L, "2:0.80"));
    assertThat(best.get(4L)).as("4's best: a tie between 1 and 3").isIn("1:0.60", "3:0.60");
  }

  @Test
  void facesOfOnePhotoAreNeverNeighbours() {
    // 0 and 1 share a photo, and so do 2 and 3: their 0.8 links are gone; 1-3 (0.36) is left.
    assertThat(knn(faces(7, 7, 8, 8, 9), 2, 5, 0.3f)).as("kNN >= 0.3 with cannot-link")
        .containsExactlyInAnyOrderEntriesOf(Map.of(1L, "4:0.60 3:0.36", 3L, "4:0.60 1:0.36",
            4L, "1:0.60 3:0.60"));
  }
}
