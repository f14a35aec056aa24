package io.facecluster.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.cluster.FaceVector;
import io.facecluster.udfs.SparkTestBase;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The generator: its fitted shape reproduces the LFW pair statistics it was fitted to (MobileFaceNet PaddleX,
 * all 13,233 LFW faces: same-person cosine mean 0.658 std 0.096, different-person mean 0.009 std 0.097), the
 * fit finds such a shape again from those four numbers, and faces come out the same for any partitioning.
 */
class SyntheticFacesTest extends SparkTestBase {
  @Test
  void fittedShapeMatchesTheLfwPairStatistics() {
    double[] m = SyntheticFaces.Params.paddlexLfw().moments(20_000, 11);
    Offset<Double> close = Offset.offset(0.01);
    assertThat(m[0]).as("same-identity mean").isCloseTo(0.658, close);
    assertThat(m[1]).as("same-identity std").isCloseTo(0.096, close);
    assertThat(m[2]).as("different-identity mean").isCloseTo(0.009, close);
    assertThat(m[3]).as("different-identity std").isCloseTo(0.097, close);
    SyntheticFaces.Params fit = SyntheticFaces.Params.fit(new double[] {0, 0.658, 0.096},
        new double[] {0, 0.009, 0.097});
    double[] f = fit.moments(20_000, 12);
    assertThat(new double[] {f[0], f[1], f[2], f[3]}).as("moments of a fresh fit")
        .containsExactly(new double[] {0.658, 0.096, 0.009, 0.097}, Offset.offset(0.01));
  }

  @Test
  void identitySizesAreLongTailedAndAddUp() {
    int[] sizes = SyntheticFaces.identitySizes(100_000, 2.0, 1, 1000, 1);
    assertThat(Arrays.stream(sizes).asLongStream().sum()).as("faces").isEqualTo(100_000);
    assertThat(Arrays.stream(sizes).filter(s -> s == 1).count()).as("singletons: most identities")
        .isGreaterThan(sizes.length / 2);
    assertThat(Arrays.stream(sizes).max().getAsInt()).as("largest identity").isGreaterThan(200);
  }

  @Test
  void facesDoNotDependOnPartitioning() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int[] sizes = SyntheticFaces.identitySizes(500, 2.0, 1, 50, 2);
    List<Tuple2<FaceVector, Integer>> a = SyntheticFaces.generate(jsc, SyntheticFaces.Params.paddlexLfw(), sizes, 9, 1)
        .collect();
    List<Tuple2<FaceVector, Integer>> b = SyntheticFaces.generate(jsc, SyntheticFaces.Params.paddlexLfw(), sizes, 9, 5)
        .collect();
    assertThat(a).as("faces").hasSize(500);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i)._1().id()).as("dense ids in order").isEqualTo(i);
      assertThat(b.get(i)._1().vector()).as("face %d", i).containsExactly(a.get(i)._1().vector());
      assertThat(b.get(i)._2()).as("identity of face %d", i).isEqualTo(a.get(i)._2());
    }
  }
}
