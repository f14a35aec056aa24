package io.facecluster.cli;

import java.util.Map;

/** A short human-readable rendering of summary.json for the console. */
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
    sb.append(String.format("  %-11s %8.1f s (list %s ms, pipeline+write %s ms, cluster %s ms)%n", "time",
        ((Number) timings.get("total")).longValue() / 1000.0, timings.get("list"), timings.get("pipeline_and_write"),
        timings.get("cluster")));
    sb.append("  summary: ").append(s.get("output")).append("/summary.json");
    return sb.toString();
  }
}
