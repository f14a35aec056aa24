package io.facecluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.udfs.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.graphx.Edge;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * All-pairs cosine by blocks, on five 3-d unit vectors whose dot products are exact by hand (3-4-5 triangles):
 *
 * <pre>
 *   0 (1, 0, 0)      1 (0.8, 0.6, 0)     2 (0, 0, 1)     3 (0, 0.6, 0.8)     4 (0, 1, 0)
 *   0.1 = 0.8   2.3 = 0.8   1.4 = 0.6   3.4 = 0.6   1.3 = 0.36   every other pair = 0
 * </pre>
 *
 * Edges are written "src-dst cosine" with 4 decimals: floats hold 0.8 and 0.6 to about 1e-8.
 */
class BlockedSimilarityTest extends SparkTestBase {
  static final float[][] V = {{1, 0, 0}, {0.8f, 0.6f, 0}, {0, 0, 1}, {0, 0.6f, 0.8f}, {0, 1, 0}};

  /** A block of the vectors V[id] for the given ids, in that order. */
  static BlockedSimilarity.Block block(int index, long... ids) {
    float[] m = new float[ids.length * 3];
    for (int i = 0; i < ids.length; i++) {
      System.arraycopy(V[(int) ids[i]], 0, m, 3 * i, 3);
    }
    return new BlockedSimilarity.Block(index, ids, m, 3);
  }

  static List<String> text(List<Edge<Double>> edges) {
    List<String> out = new ArrayList<>();
    edges.forEach(e -> out.add(String.format(Locale.ROOT, "%d-%d %.4f", e.srcId(), e.dstId(), e.attr())));
    return out;
  }

  @Test
  void blockPairGivesEveryCrossPairAboveTheThreshold() {
    BlockedSimilarity.Block a = block(0, 0, 2, 4);
    BlockedSimilarity.Block b = block(1, 1, 3);
    assertThat(text(BlockedSimilarity.pairs(a, b, 0.5f))).as("edges >= 0.5 between {0,2,4} and {1,3}")
        .containsExactlyInAnyOrder("0-1 0.8000", "2-3 0.8000", "1-4 0.6000", "3-4 0.6000");
    assertThat(text(BlockedSimilarity.pairs(a, b, 0.7f))).as("edges >= 0.7 between the blocks")
        .containsExactlyInAnyOrder("0-1 0.8000", "2-3 0.8000");
    // src < dst whichever block holds the smaller id; pairs inside a block (0-2, 0-4, 2-4, 1-3) are not here.
    assertThat(text(BlockedSimilarity.pairs(b, a, -1f))).as("all 6 cross pairs, blocks swapped")
        .containsExactlyInAnyOrder("0-1 0.8000", "1-2 0.0000", "1-4 0.6000", "0-3 0.0000", "2-3 0.8000",
            "3-4 0.6000");
  }

  @Test
  void blockWithItselfHasNoSelfPairsAndEachPairOnce() {
    // Ids in descending order, so src < dst must come from ordering the ids, not from their positions.
    BlockedSimilarity.Block x = block(0, 4, 1, 0);
    assertThat(text(BlockedSimilarity.pairs(x, x, -1f))).as("all pairs of {4,1,0}: 3, none with itself")
        .containsExactlyInAnyOrder("1-4 0.6000", "0-4 0.0000", "0-1 0.8000");
    assertThat(text(BlockedSimilarity.pairs(x, x, 0.7f))).as("pairs of {4,1,0} >= 0.7")
        .containsExactly("0-1 0.8000");
  }

  @Test
  void edgesOverSeveralBlocksEqualAllPairs() {
    List<Tuple2<Long, float[]>> rows = new ArrayList<>();
    for (int i = 0; i < V.length; i++) {
      rows.add(new Tuple2<>((long) i, V[i]));
    }
    JavaPairRDD<Long, float[]> vectors = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelizePairs(rows, 2);
    List<String> all = List.of("0-1 0.8000", "0-2 0.0000", "0-3 0.0000", "0-4 0.0000", "1-2 0.0000",
        "1-3 0.3600", "1-4 0.6000", "2-3 0.8000", "2-4 0.0000", "3-4 0.6000");
    for (int blockSize : new int[] {1, 2, 3, 100}) {
      // Block size 2: 3 blocks by id mod 3 = {0,3}, {1,4}, {2}; 1: 5 blocks of one vector; 100: one block.
      assertThat(text(BlockedSimilarity.edges(vectors, V.length, blockSize, -1).collect()))
          .as("all 10 pairs, once each, with block size %d", blockSize).containsExactlyInAnyOrderElementsOf(all);
      assertThat(text(BlockedSimilarity.edges(vectors, V.length, blockSize, 0.5).collect()))
          .as("pairs >= 0.5 with block size %d", blockSize)
          .containsExactlyInAnyOrder("0-1 0.8000", "2-3 0.8000", "1-4 0.6000", "3-4 0.6000");
    }
  }
}
