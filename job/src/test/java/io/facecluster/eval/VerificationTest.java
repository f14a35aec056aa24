package io.facecluster.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The 10-fold protocol on hand-made score sets whose answers are known. */
class VerificationTest {
  @Test
  void perfectlySeparableScoresGiveOneHundredPercentWithTheMidpointThreshold() {
    int n = 20;
    double[] score = new double[n];
    boolean[] same = new boolean[n];
    int[] fold = new int[n];
    for (int i = 0; i < n; i++) {
      fold[i] = i / 2;
      same[i] = i % 2 == 0;
      score[i] = same[i] ? 0.9 : 0.1;
    }
    Verification.Result r = Verification.tenFold(score, same, fold);
    assertThat(r.folds()).as("ten folds").hasSize(10);
    assertThat(r.mean()).as("mean accuracy").isEqualTo(1.0);
    assertThat(r.std()).as("std").isEqualTo(0.0);
    assertThat(r.folds()).as("threshold: midpoint of the gap 0.1 .. 0.9")
        .allSatisfy(f -> assertThat(f.threshold()).isCloseTo(0.5, within(1e-12)));
  }

  @Test
  void oneKnownErrorPerFold() {
    // Per fold: 5 same at 0.8, 5 different at 0.2, and one same pair at 0.1 that no threshold can save.
    int perFold = 11;
    double[] score = new double[10 * perFold];
    boolean[] same = new boolean[score.length];
    int[] fold = new int[score.length];
    for (int f = 0; f < 10; f++) {
      for (int j = 0; j < perFold; j++) {
        int i = f * perFold + j;
        fold[i] = f;
        same[i] = j < 5 || j == 10;
        score[i] = j < 5 ? 0.8 : j < 10 ? 0.2 : 0.1;
      }
    }
    Verification.Result r = Verification.tenFold(score, same, fold);
    assertThat(r.mean()).as("each fold: 10 of 11 right").isCloseTo(10.0 / 11, within(1e-12));
    assertThat(r.std()).as("same accuracy in every fold").isCloseTo(0.0, within(1e-12));
    assertThat(r.folds()).as("threshold between 0.2 and 0.8")
        .allSatisfy(f -> assertThat(f.threshold()).isCloseTo(0.5, within(1e-12)));
  }

  @Test
  void tiesGoToTheSmallestThreshold() {
    // Sorted: 0.1 same, 0.2 diff, 0.3 same, 0.4 diff. Accuracy 2/4 below all, 1/4 at 0.15, 2/4 at 0.25,
    // 1/4 at 0.35, 2/4 above all: three ties at 2/4; the rule picks the smallest, below every score.
    double[] best = Verification.bestThreshold(new double[] {0.3, 0.1, 0.4, 0.2},
        new boolean[] {true, true, false, false});
    assertThat(best[1]).as("best training accuracy").isEqualTo(0.5);
    assertThat(best[0]).as("smallest tied threshold").isCloseTo(0.1 - 1e-6, within(1e-12));
  }

  @Test
  void equalScoresMoveTogether() {
    // Two pairs share the score 0.5 (one same, one different): no threshold can split them.
    double[] best = Verification.bestThreshold(new double[] {0.5, 0.5, 0.9, 0.1},
        new boolean[] {true, false, true, false});
    assertThat(best[1]).as("3 of 4 at best").isEqualTo(0.75);
    assertThat(best[0]).as("first best threshold: between 0.1 and 0.5").isCloseTo(0.3, within(1e-12));
  }

  @Test
  void rocOnAHandMadeSet() {
    double[] score = {0.9, 0.8, 0.3, 0.7, 0.3, 0.1};
    boolean[] same = {true, true, true, false, false, false};
    assertThat(Roc.auc(score, same)).as("AUC: (3 + 3 + 1.5) / 9").isCloseTo(7.5 / 9, within(1e-12));
    Roc.Point p = Roc.tarAtFar(score, same, 0.34);
    assertThat(p.threshold()).as("one false accept allowed: threshold = 2nd highest negative").isEqualTo(0.3);
    assertThat(p.tar()).as("TAR above 0.3").isCloseTo(2.0 / 3, within(1e-12));
    assertThat(p.far()).as("FAR above 0.3").isCloseTo(1.0 / 3, within(1e-12));
    assertThat(Roc.curve(score, same)).as("one point per distinct score, then (1, 1)").hasSize(6)
        .last().satisfies(last -> assertThat(last.tar()).isEqualTo(1.0));
  }
}
