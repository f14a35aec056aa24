package io.facecluster.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The pair protocol's arithmetic on hand-made scores and labels. */
class LabelPairsTest {
  @Test
  void bestThresholdAccuracyOnHandMadeScores() {
    // same 0.9 0.8 0.5 0.3; different 0.6 0.2 0.1 0.0: a threshold between 0.6 and 0.8 errs on 0.5 and 0.3
    // (2 of 8); between 0.3 and 0.2 it errs on 0.6 only (1 of 8): best 7/8 at 0.25.
    Map<String, Double> m = LabelPairs.summarise(new double[] {0.9, 0.8, 0.5, 0.3}, new double[] {0.6, 0.2, 0.1, 0});
    assertThat(m.get("best_threshold_accuracy")).as("accuracy").isEqualTo(7 / 8.0);
    assertThat(m.get("best_threshold")).as("midpoint threshold").isCloseTo(0.25, within(1e-12));
    assertThat(m.get("mean_cosine_same")).as("mean same").isCloseTo(0.625, within(1e-12));
    assertThat(m.get("mean_cosine_different")).as("mean different").isCloseTo(0.225, within(1e-12));
  }

  @Test
  void differentPairsAreDistinctAndCrossLabel() {
    List<Row> faces = List.of(RowFactory.create("a1", "A"), RowFactory.create("a2", "A"),
        RowFactory.create("b1", "B"), RowFactory.create("c1", "C"));
    // 5 cross-label pairs exist (a1b1 a1c1 a2b1 a2c1 b1c1): asking for 9 gives exactly those 5, once each
    List<Row> pairs = LabelPairs.differentPairs(faces, 9, 7);
    assertThat(pairs).as("all cross-label pairs, none twice").extracting(r -> r.getString(0) + r.getString(1))
        .containsExactlyInAnyOrder("a1b1", "a1c1", "a2b1", "a2c1", "b1c1");
  }
}
