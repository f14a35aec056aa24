package io.facecluster.cli;

import io.facecluster.output.RunCounts;
import io.facecluster.output.RunSummary;
import java.util.Locale;
import java.util.StringJoiner;

/** A short human-readable rendering of a run's summary.json for the console: what the run ends with. */
final class SummaryTable {
  private SummaryTable() {}

  /** @param marker the path of the run's summary.json (its commit marker) */
  static String format(RunSummary s, String marker) {
    RunCounts c = s.counts();
    RunSummary.Timings t = s.timingsMs();
    StringBuilder sb = new StringBuilder();
    sb.append("facecluster run ").append(s.runId()).append(" -> ").append(s.output()).append('\n');
    line(sb, "files", c.files());
    line(sb, "ok", c.ok());
    line(sb, "no_face", c.noFace());
    line(sb, "error", c.error());
    line(sb, "known", c.known());
    line(sb, "faces", c.faces());
    line(sb, "clusters", c.clusters());
    line(sb, "unclustered", c.unclustered());
    if (s.library() != null) {
      // run --library: the committed library_runs row's numbers.
      java.util.Map<String, Object> l = s.library();
      sb.append(String.format("  library     %s faces joined existing persons, %s new persons (%s faces), %s "
          + "unassigned, %s ambiguous; %s persons, %s faces in all%n", l.get("joined_existing"), l.get("new_persons"),
          l.get("faces_in_new_persons"), l.get("unassigned"), l.get("ambiguous"), l.get("library_persons"),
          l.get("library_faces")));
    }
    sb.append(String.format(Locale.ROOT, "  %-11s %8.1f s (list %s ms, pipeline+write %s ms, cluster %s ms)%n", "time",
        t.total() / 1000.0, t.list(), t.pipelineAndWrite(), t.cluster()));
    // Files per second of wall time through the pipeline, and where the task time went: the two numbers to
    // look at first when a run is slower than expected.
    sb.append(String.format(Locale.ROOT, "  %-11s %8.1f files/s (pipeline+write)%n", "rate",
        c.files() * 1000.0 / Math.max(1, t.pipelineAndWrite())));
    if (t.taskTimeByStage() != null && !t.taskTimeByStage().isEmpty()) {
      StringJoiner j = new StringJoiner(", ");
      t.taskTimeByStage().forEach((stage, ms) -> j.add(String.format(Locale.ROOT, "%s %.1f s", stage, ms / 1000.0)));
      sb.append(String.format("  %-11s %s (summed over tasks)%n", "task time", j));
    }
    sb.append("  summary: ").append(marker);
    return sb.toString();
  }

  private static void line(StringBuilder sb, String name, long value) {
    sb.append(String.format("  %-11s %8s%n", name, value));
  }
}
