package io.facecluster.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Clustering metrics on small hand-made clusterings, against values computed by hand. */
class ClusteringMetricsTest {
  @Test
  void handComputedPairwiseBcubedAndNmi() {
    // Labels a a a b b c; clusters {a, a} {a, b} {b, c}.
    ClusteringMetrics m = ClusteringMetrics.of(new long[] {1, 1, 2, 2, 3, 3},
        new String[] {"a", "a", "a", "b", "b", "c"});
    assertThat(m.clusters()).as("clusters").isEqualTo(3);
    assertThat(m.labels()).as("identities").isEqualTo(3);
    // Pairs inside clusters: 3, of which same-label: 1; same-label pairs: 3 (a) + 1 (b) = 4.
    assertThat(m.pairwisePrecision()).as("pairwise precision 1/3").isCloseTo(1.0 / 3, within(1e-12));
    assertThat(m.pairwiseRecall()).as("pairwise recall 1/4").isCloseTo(0.25, within(1e-12));
    assertThat(m.pairwiseF1()).as("pairwise F1 2/7").isCloseTo(2.0 / 7, within(1e-12));
    // BCubed precision (1 + 1 + 1/2 + 1/2 + 1/2 + 1/2) / 6; recall (2/3 + 2/3 + 1/3 + 1/2 + 1/2 + 1) / 6.
    assertThat(m.bcubedPrecision()).as("BCubed precision 2/3").isCloseTo(2.0 / 3, within(1e-12));
    assertThat(m.bcubedRecall()).as("BCubed recall 11/18").isCloseTo(11.0 / 18, within(1e-12));
    assertThat(m.bcubedF1()).as("BCubed F1 44/69").isCloseTo(44.0 / 69, within(1e-12));
    // MI = 1/3 ln 2 + 2 (1/6 ln 1.5) + 1/6 ln 3; H(C) = ln 3; H(L) = entropy of (1/2, 1/3, 1/6).
    double mi = Math.log(2) / 3 + Math.log(1.5) / 3 + Math.log(3) / 6;
    double hl = -(0.5 * Math.log(0.5) + Math.log(1.0 / 3) / 3 + Math.log(1.0 / 6) / 6);
    assertThat(m.nmi()).as("NMI, arithmetic normalisation").isCloseTo(2 * mi / (Math.log(3) + hl), within(1e-12));
    assertThat(m.nmi()).as("NMI value").isCloseTo(0.520665, within(1e-6));
  }

  @Test
  void perfectClusteringScoresOne() {
    ClusteringMetrics m = ClusteringMetrics.of(new long[] {7, 7, 9, 9, 4}, new String[] {"x", "x", "y", "y", "z"});
    assertThat(new double[] {m.pairwiseF1(), m.bcubedF1(), m.nmi()}).as("pairwise F1, BCubed F1, NMI")
        .containsExactly(1.0, 1.0, 1.0);
    assertThat(m.singletons()).as("one singleton cluster (z)").isEqualTo(1);
  }

  @Test
  void noiseItemsAreEachTheirOwnSingleton() {
    // Two noise faces of the same person are not a cluster: no pair is claimed, recall loses that pair.
    ClusteringMetrics m = ClusteringMetrics.of(new long[] {ClusteringMetrics.NOISE, ClusteringMetrics.NOISE, 5, 5},
        new String[] {"a", "a", "b", "b"});
    assertThat(m.clusters()).as("two singletons + one cluster").isEqualTo(3);
    assertThat(m.pairwisePrecision()).as("precision: the one claimed pair is right").isEqualTo(1.0);
    assertThat(m.pairwiseRecall()).as("recall: 1 of 2 same-label pairs").isEqualTo(0.5);
    assertThat(m.bcubedRecall()).as("BCubed recall (1/2 + 1/2 + 1 + 1) / 4").isEqualTo(0.75);
  }

  @Test
  void allSingletonsClaimNothing() {
    ClusteringMetrics m = ClusteringMetrics.of(new long[] {1, 2, 3}, new String[] {"a", "a", "b"});
    assertThat(m.pairwisePrecision()).as("no pair claimed: precision 1 by definition").isEqualTo(1.0);
    assertThat(m.pairwiseRecall()).as("the a-a pair missed").isEqualTo(0.0);
    assertThat(m.bcubedPrecision()).as("BCubed precision of singletons").isEqualTo(1.0);
  }
}
