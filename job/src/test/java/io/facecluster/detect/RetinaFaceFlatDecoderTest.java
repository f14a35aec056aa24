package io.facecluster.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.facecluster.models.ModelSpec;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Priors and box decoding on hand-made network outputs (no model): the same constants as the shipped
 * retinaface-mnet025 spec, written out so that every expected pixel below can be checked by hand.
 */
class RetinaFaceFlatDecoderTest {
  private static final ModelSpec.Decoder SPEC = new ModelSpec.Decoder("retinaface-flat", new int[] {8, 16, 32},
      new int[][] {{16, 32}, {64, 128}, {256, 512}}, new double[] {0.1, 0.2});
  private static final Offset<Float> PX = within(1e-3f);
  // At 640x640: 80x80 cells of stride 8 with 2 priors each come first, then stride 16 (40x40), then 32.
  private static final int STRIDE8 = 2 * 80 * 80;
  // Stride 16, row 2, column 3, second size (128 px): centre (3.5 * 16, 2.5 * 16) = (56, 40) px.
  private static final int P = STRIDE8 + (2 * 40 + 3) * 2 + 1;

  private final RetinaFaceFlatDecoder decoder = new RetinaFaceFlatDecoder(SPEC);

  /** Network outputs for `priors` priors: all background, zero offsets. */
  private record Outputs(float[] loc, float[] conf, float[] lm) {
    Outputs(int priors) {
      this(new float[priors * 4], new float[priors * 2], new float[priors * 10]);
      for (int p = 0; p < priors; p++) {
        conf[2 * p] = 1;
      }
    }

    Outputs face(int p, float score) {
      conf[2 * p] = 1 - score;
      conf[2 * p + 1] = score;
      return this;
    }
  }

  @Test
  void priorCountsFollowTheFeatureMaps() {
    assertThat(decoder.priors(640, 640)).as("16800 priors * 4 at 640x640 = 2*(80^2+40^2+20^2)")
        .hasSize(4 * 16800);
    // H 480, W 640: 2 * (60*80 + 30*40 + 15*20) = 12600.
    assertThat(decoder.priors(480, 640)).as("priors at 480x640").hasSize(4 * 12600);
    // Sizes that are not multiples of the strides round up: 2 * (13*13 + 7*7 + 4*4) = 468.
    assertThat(decoder.priors(100, 100)).as("priors at 100x100").hasSize(4 * 468);
  }

  @Test
  void firstPriorsAreNormalisedToTheInput() {
    float[] p = decoder.priors(640, 640);
    assertThat(new float[] {p[0], p[1], p[2], p[3]}).as("first prior (cx, cy, w, h)")
        .containsExactly(4 / 640f, 4 / 640f, 16 / 640f, 16 / 640f);
    assertThat(new float[] {p[4], p[5], p[6], p[7]}).as("second prior: same cell, 32 px")
        .containsExactly(4 / 640f, 4 / 640f, 32 / 640f, 32 / 640f);
    assertThat(new float[] {p[8], p[9]}).as("third prior: next column").containsExactly(12 / 640f, 4 / 640f);
    float[] q = decoder.priors(480, 640);
    assertThat(new float[] {q[0], q[1], q[2], q[3]}).as("first prior at H 480, W 640: y is over 480")
        .containsExactly(4 / 640f, 4 / 480f, 16 / 640f, 16 / 480f);
  }

  @Test
  void zeroOffsetsGiveThePriorBoxAndLandmarksAtItsCentre() {
    Outputs o = new Outputs(16800).face(P, 0.9f);
    List<Detection> d = decoder.decode(o.loc, o.conf, o.lm, 640, 640, 0.5);
    assertThat(d).as("faces at or above 0.5").hasSize(1);
    Detection f = d.get(0);
    assertThat(f.score()).as("score").isEqualTo(0.9f);
    assertThat(f.x1()).as("x1 = 56 - 64").isCloseTo(-8f, PX);
    assertThat(f.y1()).as("y1 = 40 - 64").isCloseTo(-24f, PX);
    assertThat(f.x2()).as("x2 = 56 + 64").isCloseTo(120f, PX);
    assertThat(f.y2()).as("y2 = 40 + 64").isCloseTo(104f, PX);
    for (int n = 0; n < 5; n++) {
      assertThat(f.landmarks()[2 * n]).as("landmark %d x", n).isCloseTo(56f, PX);
      assertThat(f.landmarks()[2 * n + 1]).as("landmark %d y", n).isCloseTo(40f, PX);
    }
  }

  @Test
  void scoresBelowTheThresholdAreDropped() {
    // The very first prior (4, 4) px, 16 px wide, and the last one; a 0.49 face in between is dropped.
    Outputs o = new Outputs(16800).face(0, 0.5f).face(P, 0.49f).face(16799, 0.97f);
    List<Detection> d = decoder.decode(o.loc, o.conf, o.lm, 640, 640, 0.5);
    assertThat(d).as("faces kept, in prior order").extracting(Detection::score).containsExactly(0.5f, 0.97f);
    assertThat(d.get(0).x1()).as("first prior x1 = 4 - 8").isCloseTo(-4f, PX);
    assertThat(d.get(0).x2()).as("first prior x2 = 4 + 8").isCloseTo(12f, PX);
    // Last prior: stride 32, cell (19, 19), 512 px: centre 624, box 368..880.
    assertThat(d.get(1).x1()).as("last prior x1").isCloseTo(368f, PX);
    assertThat(d.get(1).y2()).as("last prior y2").isCloseTo(880f, PX);
    assertThat(decoder.decode(o.loc, o.conf, o.lm, 640, 640, 0.98)).as("faces at or above 0.98").isEmpty();
  }

  @Test
  void offsetsAreScaledByVariancesAndPriorSize() {
    Outputs o = new Outputs(16800).face(P, 0.9f);
    o.loc[4 * P] = 1; // dx: centre moves by 0.1 * 128 = 12.8 px
    o.loc[4 * P + 3] = 1; // dh: height = 128 * e^0.2 = 156.3396 px
    o.lm[10 * P + 4] = -2; // nose x: 56 - 2 * 12.8 = 30.4 px
    Detection f = decoder.decode(o.loc, o.conf, o.lm, 640, 640, 0.5).get(0);
    assertThat((f.x1() + f.x2()) / 2).as("centre x = 56 + 12.8").isCloseTo(68.8f, PX);
    assertThat(f.width()).as("width unchanged").isCloseTo(128f, PX);
    assertThat(f.y1()).as("y1 = 40 - 156.3396 / 2").isCloseTo(-38.1698f, PX);
    assertThat(f.height()).as("height = 128 e^0.2").isCloseTo(156.3396f, PX);
    assertThat(f.landmarks()[4]).as("nose x").isCloseTo(30.4f, PX);
    assertThat(f.landmarks()[0]).as("left eye x: no offset").isCloseTo(56f, PX);
  }

  @Test
  void outputsOfTheWrongSizeAreRejected() {
    Outputs o = new Outputs(12600);
    assertThatThrownBy(() -> decoder.decode(o.loc, o.conf, o.lm, 640, 640, 0.5))
        .as("480x640 outputs decoded as 640x640").isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16800 priors for 640x640");
  }
}
