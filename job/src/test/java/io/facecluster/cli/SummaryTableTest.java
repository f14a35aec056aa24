package io.facecluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.output.RunCounts;
import io.facecluster.output.RunSummary;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console table a run ends with, and summary.json's counts, for a rerun whose files are mostly known. */
class SummaryTableTest {
  static RunSummary summary() {
    Map<String, Long> stages = new LinkedHashMap<>();
    stages.put("read", 120L);
    stages.put("decode", 40L);
    stages.put("detect", 900L);
    return new RunSummary("r2", "in", "/tmp/out", "2026-12-02T10:00:00Z", "2026-12-02T10:00:09Z",
        new RunCounts(24, 1, 0, 0, 23, 1, 0, 0, 1), new RunSummary.Timings(300, 4000, 200, 9000, stages),
        Map.of(), null, null, null, null, null, null, null);
  }

  @Test
  void listsKnownFilesAfterTheOtherStatuses() {
    assertThat(SummaryTable.format(summary(), "/tmp/out/runs/run_id=r2/summary.json")).as("summary table")
        .isEqualTo(String.join("\n",
            "facecluster run r2 -> /tmp/out",
            "  files             24",
            "  ok                 1",
            "  no_face            0",
            "  error              0",
            "  known             23",
            "  faces              1",
            "  clusters           0",
            "  unclustered        1",
            "  time             9.0 s (list 300 ms, pipeline+write 4000 ms, cluster 200 ms)",
            "  rate             6.0 files/s (pipeline+write)",
            "  task time   read 0.1 s, decode 0.0 s, detect 0.9 s (summed over tasks)",
            "  summary: /tmp/out/runs/run_id=r2/summary.json"));
  }

  @Test
  void summaryJsonCountsKnownBetweenErrorAndFaces() {
    assertThat(summary().toJson()).as("counts in summary.json").contains(String.join("\n",
        "  \"counts\" : {",
        "    \"files\" : 24,",
        "    \"ok\" : 1,",
        "    \"no_face\" : 0,",
        "    \"error\" : 0,",
        "    \"known\" : 23,",
        "    \"faces\" : 1,",
        "    \"gated\" : 0,",
        "    \"clusters\" : 0,",
        "    \"unclustered\" : 1",
        "  },"));
    assertThat(summary().counts().processed()).as("files that went to the models").isEqualTo(1);
  }
}
