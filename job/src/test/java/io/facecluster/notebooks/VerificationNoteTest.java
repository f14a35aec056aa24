package io.facecluster.notebooks;

import static io.facecluster.notebooks.NotebookOutputs.EVAL_ID;
import static io.facecluster.notebooks.NotebookOutputs.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.facecluster.output.Schemas;
import io.facecluster.udfs.SparkTestBase;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every SQL paragraph of the verification note on a real `eval-lfw` output ({@link NotebookOutputs}):
 * metrics as summary.json has them, the ROC curve and its area as recorded, and the threshold tables
 * recounted here, in Java, from the scored pairs.
 */
class VerificationNoteTest extends SparkTestBase {
  static NotebookOutputs out;

  @BeforeAll
  static void outputs() throws Exception {
    out = NotebookOutputs.get();
  }

  /** The 8 scored pairs: {same (1/0), score}, read from the table the evaluation wrote. */
  static List<double[]> pairs() {
    return sql("SELECT same, score FROM parquet.`%s/lfw_pairs` WHERE run_id = '%s'", out.evalOut, EVAL_ID)
        .stream().map(r -> new double[] {(Boolean) r[0] ? 1 : 0, (Double) r[1]}).toList();
  }

  /** {TAR, FAR, accuracy} accepting pairs with score above t. */
  static double[] rates(List<double[]> pairs, double t) {
    double same = 0;
    double accepted = 0;
    double different = 0;
    double falseAccepts = 0;
    double right = 0;
    for (double[] p : pairs) {
      boolean accept = p[1] > t;
      if (p[0] == 1) {
        same++;
        accepted += accept ? 1 : 0;
      } else {
        different++;
        falseAccepts += accept ? 1 : 0;
      }
      right += accept == (p[0] == 1) ? 1 : 0;
    }
    return new double[] {accepted / same, falseAccepts / different, right / pairs.size()};
  }

  @Test
  void verificationResults() {
    NoteRunner.Run run = NoteRunner.run(spark, out.note("3-verification-results"), Map.of("output", out.evalOut));
    NotebookSqlTest.assertSameColumns(run, "fc_metrics", Schemas.METRICS);
    NotebookSqlTest.assertSameColumns(run, "fc_lfw_pairs", Schemas.LFW_PAIRS);
    NotebookSqlTest.assertSameColumns(run, "fc_lfw_folds", Schemas.LFW_FOLDS);
    NotebookSqlTest.assertSameColumns(run, "fc_lfw_roc", Schemas.ROC);
    run.assertEveryQueryHasRows("Evaluation tables");
    List<double[]> pairs = pairs();
    assertThat(pairs).as("pairs scored").hasSize(8);
    assertThat(rows(run, "Selected evaluation")).as("the evaluation: 8 pairs, 4 same, 2 folds")
        .containsExactly(row(EVAL_ID, 8L, 4L, 2L));

    Map<String, Double> recorded = new TreeMap<>();
    evalMetrics().fields().forEachRemaining(e -> recorded.put(e.getKey(), e.getValue().asDouble()));
    Map<String, Double> shown = new TreeMap<>();
    rows(run, "Metrics").forEach(r -> shown.put((String) r[0], (Double) r[1]));
    assertThat(shown).as("metrics as in summary.json").isEqualTo(recorded);
    assertThat(rows(run, "All metrics in this output")).as("every metric of the one evaluation here")
        .hasSize(recorded.size()).allSatisfy(r -> assertThat(r[0]).isEqualTo(EVAL_ID));

    List<Object[]> roc = rows(run, "ROC curve");
    long distinctScores = pairs.stream().mapToDouble(p -> p[1]).distinct().count();
    assertThat(roc).as("one point per distinct score, and the (1, 1) end").hasSize((int) distinctScores + 1);
    assertThat(roc.get(0)).as("first point").startsWith(0.0, 0.0);
    assertThat(roc.get(roc.size() - 1)).as("last point").startsWith(1.0, 1.0);
    Object[] area = rows(run, "ROC area").get(0);
    assertThat((Double) area[0]).as("area under the curve's points = recorded AUC")
        .isCloseTo(recorded.get("roc_auc"), within(1e-12));
    assertThat((Double) area[1]).as("recorded AUC shown").isEqualTo(recorded.get("roc_auc"));

    List<Object[]> folds = rows(run, "Folds");
    assertThat(folds).as("one row per fold").hasSize(2);
    JsonNode summaryFolds = out.evalSummary.get("folds");
    for (int i = 0; i < folds.size(); i++) {
      assertThat((Double) folds.get(i)[1]).as("fold %d threshold", i)
          .isEqualTo(summaryFolds.get(i).get("threshold").asDouble());
      assertThat((Double) folds.get(i)[3]).as("fold %d accuracy", i)
          .isEqualTo(summaryFolds.get(i).get("accuracy").asDouble());
    }

    List<Object[]> table = rows(run, "Threshold table");
    assertThat(table).as("thresholds 0.20, 0.25, ..., 0.70").hasSize(11);
    for (int i = 0; i < table.size(); i++) {
      Object[] r = table.get(i);
      double t = 0.20 + 0.05 * i;
      double[] expected = rates(pairs, t);
      assertThat((Double) r[0]).as("threshold %d", i).isCloseTo(t, within(1e-9));
      assertThat(new double[] {(Double) r[1], (Double) r[2], (Double) r[3]}).as("TAR, FAR, accuracy at %.2f", t)
          .containsExactly(expected, within(1e-12));
      assertThat(new long[] {(Long) r[4], (Long) r[5]}).as("false accepts and rejects at %.2f", t)
          .containsExactly(Math.round(expected[1] * 4), Math.round((1 - expected[0]) * 4));
    }

    List<Object[]> atRecorded = rows(run, "At the recorded thresholds");
    assertThat(atRecorded).as("thresholds recorded").extracting(r -> r[0])
        .containsExactly("threshold_at_far_1e-2", "threshold_at_far_1e-3", "threshold_mean");
    for (Object[] r : atRecorded) {
      double[] expected = rates(pairs, (Double) r[1]);
      assertThat(new double[] {(Double) r[2], (Double) r[3], (Double) r[4]}).as("rates at %s", r[0])
          .containsExactly(expected, within(1e-12));
      if (!r[0].equals("threshold_mean")) {
        assertThat((Double) r[2]).as("TAR at %s = the recorded TAR", r[0]).isEqualTo((Double) r[5]);
      }
    }

    Map<Object, Long> byKind = new TreeMap<>();
    rows(run, "Score distributions").forEach(r -> byKind.merge(r[1], (Long) r[2], Long::sum));
    assertThat(byKind).as("pairs in score steps of 0.05, by kind")
        .isEqualTo(Map.of("different people", 4L, "same person", 4L));
    double mean = recorded.get("threshold_mean");
    assertThat(rows(run, "Pairs nearest the mean threshold")).as("all 8 pairs, each judged at the mean threshold")
        .hasSize(8).allSatisfy(r -> assertThat(r[5]).isEqualTo(((Double) r[4] > mean) == (Boolean) r[3]));
  }

  private static JsonNode evalMetrics() {
    return out.evalSummary.get("metrics");
  }
}
