package io.facecluster.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ROC and shares the report draws from binned pair similarities, on a hand-made set with known answers. */
class PairHistogramTest {
  private static int bin(double cosine) {
    return (int) Math.round((cosine + 1) * 1000);
  }

  @Test
  void rocAndSharesFromBinnedPairs() {
    long[] same = new long[PairHistogram.BINS];
    long[] diff = new long[PairHistogram.BINS];
    same[bin(0.8)] = 3;
    same[bin(0.3)] = 1;
    diff[bin(0.85)] = 1;
    diff[bin(0.1)] = 3;
    PairHistogram h = new PairHistogram(same, diff);
    List<double[]> roc = h.roc();
    // Thresholds from the top: 0.85 accepts 1 of 4 different; 0.8 adds 3 of 4 same; 0.3 the last same; 0.1 all.
    assertThat(roc).as("ROC points (far, tar), highest threshold first").containsExactly(
        new double[] {0.25, 0}, new double[] {0.25, 0.75}, new double[] {0.25, 1}, new double[] {1, 1});
    assertThat(h.range()).as("first and last bin holding a pair").containsExactly(bin(0.1), bin(0.85));
    assertThat(PairHistogram.mean(same)).as("mean of the same pairs").isCloseTo(0.675, org.assertj.core.data.Offset
        .offset(1e-9));
    double[] shares = PairHistogram.shares(same, bin(0.2), 200, 4);
    assertThat(shares).as("same pairs per bin of 0.2 from 0.2: 0.3 in the first, 0.8 in the fourth")
        .containsExactly(0.25, 0, 0, 0.75);
  }

  @Test
  void clusterSizeBins() {
    assertThat(new int[] {Charts.sizeBin(1), Charts.sizeBin(5), Charts.sizeBin(6), Charts.sizeBin(10),
        Charts.sizeBin(11), Charts.sizeBin(2000), Charts.sizeBin(1_000_000)}).as("bins of sizes")
        .containsExactly(0, 4, 5, 5, 6, 12, Charts.SIZE_EDGES.length - 1);
    assertThat(new String[] {Charts.sizeLabel(0), Charts.sizeLabel(5), Charts.sizeLabel(12),
        Charts.sizeLabel(Charts.SIZE_EDGES.length - 1)}).as("labels")
        .containsExactly("1", "6-10", "1001-2000", "10001+");
  }

  @Test
  void escapesEveryMarkupCharacter() {
    assertThat(Html.esc("<a href=\"x\">'&'</a>")).as("escaped")
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  }
}
