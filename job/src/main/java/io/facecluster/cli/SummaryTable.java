package io.facecluster.cli;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** A short human-readable rendering of summary.json for the console: what the run ends with. */
final class SummaryTable {
  private SummaryTable() {}

  @SuppressWarnings("unchecked")
  static String format(Map<String, Object> s) {
    Map<String, Object> counts = (Map<String, Object>) s.get("counts");
    Map<String, Object> timings = (Map<String, Object>) s.get("timings_ms");
    StringBuilder sb = new StringBuilder();
    sb.append("facecluster run ").append(s.get("run_id")).append(" -> ").append(s.get("output")).append('\n');
    sb.append(String.format("  %-11s %8s%n", "files", counts.get("files")));
    for (String k : new String[] {"ok", "no_face", "error", "faces", "clusters", "unclustered"}) {
      sb.append(String.format("  %-11s %8s%n", k, counts.get(k)));
    }
    long pipelineMs = ((Number) timings.get("pipeline_and_write")).longValue();
    sb.append(String.format(Locale.ROOT, "  %-11s %8.1f s (list %s ms, pipeline+write %s ms, cluster %s ms)%n", "time",
        ((Number) timings.get("total")).longValue() / 1000.0, timings.get("list"), pipelineMs,
        timings.get("cluster")));
    // Files per second of wall time through the pipeline, and where the task time went: the two numbers to
    // look at first when a run is slower than expected.
    sb.append(String.format(Locale.ROOT, "  %-11s %8.1f files/s (pipeline+write)%n", "rate",
        ((Number) counts.get("files")).longValue() * 1000.0 / Math.max(1, pipelineMs)));
    Object byStage = timings.get("task_time_by_stage");
    if (byStage instanceof Map<?, ?> stages && !stages.isEmpty()) {
      StringJoiner j = new StringJoiner(", ");
      ((Map<String, Object>) stages).forEach((stage, ms) -> j.add(String.format(Locale.ROOT, "%s %.1f s", stage,
          ((Number) ms).longValue() / 1000.0)));
      sb.append(String.format("  %-11s %s (summed over tasks)%n", "task time", j));
    }
    sb.append("  summary: ").append(s.get("output")).append("/summary.json");
    return sb.toString();
  }
}
