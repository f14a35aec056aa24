package io.facecluster.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Greedy NMS on boxes whose overlaps are worked out by hand. */
class NmsTest {
  // A and B: 30x10 each, shifted by 10: intersection 20x10 = 200, union 300 + 300 - 200 = 400, IoU 0.5 exactly.
  private static final Detection A = box(0, 0, 30, 10, 0.8f);
  private static final Detection B = box(10, 0, 40, 10, 0.9f);
  // C: far from both.
  private static final Detection C = box(100, 100, 110, 110, 0.7f);
  // Given lowest score first, so that the output order can only come from sorting.
  private static final List<Detection> INPUT = List.of(C, A, B);

  private static Detection box(float x1, float y1, float x2, float y2, float score) {
    return new Detection(x1, y1, x2, y2, score, new float[10]);
  }

  @Test
  void iouOfTheHandMadeBoxes() {
    assertThat(A.iou(B)).as("IoU(A, B) = 200 / 400").isEqualTo(0.5f);
    assertThat(B.iou(A)).as("IoU is symmetric").isEqualTo(0.5f);
    assertThat(A.iou(C)).as("IoU(A, C), disjoint").isZero();
    assertThat(A.iou(box(30, 0, 60, 10, 1f))).as("boxes that only touch").isZero();
    assertThat(A.iou(A)).as("IoU with itself").isEqualTo(1f);
  }

  @Test
  void lowThresholdDropsTheWeakerOfTheOverlappingPair() {
    assertThat(Nms.apply(INPUT, 0.4)).as("kept at IoU threshold 0.4: B beats A, C is alone")
        .containsExactly(B, C);
  }

  @Test
  void highThresholdKeepsAllInScoreOrder() {
    assertThat(Nms.apply(INPUT, 0.6)).as("kept at IoU threshold 0.6").containsExactly(B, A, C);
  }

  @Test
  void overlapEqualToTheThresholdIsKept() {
    // Suppression needs IoU strictly above the threshold.
    assertThat(Nms.apply(INPUT, 0.5)).as("kept at IoU threshold 0.5").containsExactly(B, A, C);
  }

  @Test
  void aSuppressedBoxSuppressesNothing() {
    // E overlaps A (10x10 = 100 of a 500 union) and only touches B; B removes A first, so E stays at 0.1.
    Detection e = box(-20, 0, 10, 10, 0.5f);
    assertThat(A.iou(e)).as("IoU(A, E) = 100 / 500").isEqualTo(0.2f);
    assertThat(B.iou(e)).as("IoU(B, E): touching only").isZero();
    assertThat(Nms.apply(List.of(e, A, B, C), 0.1)).as("kept at IoU threshold 0.1").containsExactly(B, C, e);
    assertThat(Nms.apply(List.of(), 0.4)).as("no candidates").isEmpty();
  }
}
