package io.facecluster.udfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

public class VectorMathTest {

  private static float[] v(float... values) {
    return values;
  }

  @Test
  public void testDotAndNorm() {
    assertThat(VectorMath.dot(v(1, 2, 3), v(4, 5, 6))).as("1*4 + 2*5 + 3*6").isEqualTo(32.0);
    assertThat(VectorMath.norm(v(3, 4))).as("3-4-5 triangle").isEqualTo(5.0);
    assertThat(VectorMath.norm(v())).as("Empty vector has norm 0").isEqualTo(0.0);
    assertThatThrownBy(() -> VectorMath.dot(v(1, 2), v(1)))
        .as("dot is a building block: a length mismatch is a caller bug")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length mismatch");
  }

  @Test
  public void testCosine() {
    assertThat(VectorMath.cosine(v(1, 0), v(1, 1)))
        .as("45 degrees: 1/sqrt(2)")
        .isEqualTo(0.70710677f);
    assertThat(VectorMath.cosine(v(1, 0), v(0, 1))).as("Orthogonal").isEqualTo(0f);
    assertThat(VectorMath.cosine(v(1, 2), v(-1, -2))).as("Opposite").isEqualTo(-1f);
    assertThat(VectorMath.cosine(v(1, 2, 3), v(2, 4, 6))).as("Scale-invariant").isEqualTo(1f);
    assertThat(VectorMath.cosine(v(0.1f, 0.7f, 0.3f), v(0.1f, 0.7f, 0.3f)))
        .as("Self-similarity is clamped to at most 1 despite rounding")
        .isLessThanOrEqualTo(1f)
        .isCloseTo(1f, within(1e-6f));
  }

  @Test
  public void testCosineNullRules() {
    assertThat(VectorMath.cosine(null, v(1))).as("Null left").isNull();
    assertThat(VectorMath.cosine(v(1), null)).as("Null right").isNull();
    assertThat(VectorMath.cosine(v(1, 0), v(1, 0, 0))).as("Length mismatch").isNull();
    assertThat(VectorMath.cosine(v(0, 0), v(1, 1))).as("Zero vector: null, not NaN").isNull();
    assertThat(VectorMath.cosine(v(1, 1), v(0, 0))).as("Zero vector on the right").isNull();
    assertThat(VectorMath.cosine(v(), v())).as("Empty vectors have zero norm").isNull();
  }

  @Test
  public void testL2Normalize() {
    float[] input = v(3, 4);
    assertThat(VectorMath.l2normalize(input)).as("[3,4] / 5").containsExactly(0.6f, 0.8f);
    assertThat(input).as("Input must not be modified").containsExactly(3f, 4f);
    assertThat(VectorMath.norm(VectorMath.l2normalize(v(1, 2, 3, 4, 5))))
        .as("Result has unit length")
        .isCloseTo(1.0, within(1e-6));
    assertThat(VectorMath.l2normalize(null)).as("Null in, null out").isNull();
    assertThat(VectorMath.l2normalize(v(0, 0, 0)))
        .as("Zero vector stays zeros")
        .containsExactly(0f, 0f, 0f);
    assertThat(VectorMath.l2normalize(v())).as("Empty stays empty").isEmpty();
  }

  @Test
  public void testEuclidean() {
    assertThat(VectorMath.euclidean(v(0, 0), v(3, 4))).as("3-4-5 triangle").isEqualTo(5f);
    assertThat(VectorMath.euclidean(v(1, 2, 3), v(1, 2, 3))).as("Identical").isEqualTo(0f);
    assertThat(VectorMath.euclidean(v(), v())).as("Two empty vectors").isEqualTo(0f);
    assertThat(VectorMath.euclidean(null, v(1))).as("Null left").isNull();
    assertThat(VectorMath.euclidean(v(1), null)).as("Null right").isNull();
    assertThat(VectorMath.euclidean(v(1, 2), v(1))).as("Length mismatch").isNull();
  }

  @Test
  public void testIou() {
    assertThat(VectorMath.iou(v(0, 0, 10, 10), v(5, 5, 15, 15)))
        .as("Overlap 5x5=25, union 100+100-25=175")
        .isEqualTo(25f / 175f);
    assertThat(VectorMath.iou(v(0, 0, 10, 10), v(0, 0, 10, 10))).as("Identical").isEqualTo(1f);
    assertThat(VectorMath.iou(v(0, 0, 10, 10), v(2, 2, 4, 4)))
        .as("Contained: 4 / 100")
        .isEqualTo(0.04f);
    assertThat(VectorMath.iou(v(0, 0, 10, 10), v(20, 20, 30, 30))).as("Disjoint").isEqualTo(0f);
    assertThat(VectorMath.iou(v(0, 0, 10, 10), v(10, 0, 20, 10))).as("Touching edges").isEqualTo(0f);
    assertThat(VectorMath.iou(v(0, 0, 10, 10), v(0, 20, 10, 30)))
        .as("Overlap in x only")
        .isEqualTo(0f);
  }

  @Test
  public void testIouInvalidBoxes() {
    float[] box = v(0, 0, 10, 10);
    assertThat(VectorMath.iou(null, box)).as("Null left").isNull();
    assertThat(VectorMath.iou(box, null)).as("Null right").isNull();
    assertThat(VectorMath.iou(v(0, 0, 10), box)).as("3 values").isNull();
    assertThat(VectorMath.iou(box, v(0, 0, 10, 10, 1))).as("5 values").isNull();
    assertThat(VectorMath.iou(v(5, 0, 5, 10), box)).as("Zero width").isNull();
    assertThat(VectorMath.iou(box, v(0, 10, 10, 0))).as("y2 < y1").isNull();
    assertThat(VectorMath.iou(v(10, 0, 0, 10), v(10, 0, 0, 10)))
        .as("x2 < x1 is invalid even for identical boxes")
        .isNull();
    assertThat(VectorMath.iou(v(Float.NaN, 0, 10, 10), box)).as("NaN coordinate").isNull();
  }
}
