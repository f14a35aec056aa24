package io.facecluster.report;

import static io.facecluster.report.Html.esc;

import java.util.Locale;
import java.util.Map;

/** The HTML of an evaluation's sections: its metrics, the ROC curve and the pair similarity histograms. */
final class EvalSections {
  private EvalSections() {}

  static String metrics(EvalFacts f) {
    StringBuilder b = new StringBuilder("<div class=\"row\">");
    f.metrics.forEach((evaluation, values) -> {
      b.append("<table><tr><th colspan=\"2\">").append(esc(evaluation)).append("</th></tr>");
      values.forEach((k, v) -> b.append("<tr><td>").append(esc(k)).append("</td><td class=\"n\">")
          .append(esc(Html.num(v, 4))).append("</td></tr>"));
      b.append("</table>");
    });
    if (!f.folds.isEmpty()) {
      b.append("<table id=\"folds\"><tr><th>fold</th><th class=\"n\">threshold</th><th class=\"n\">accuracy</th></tr>");
      for (double[] fold : f.folds) {
        b.append("<tr><td>").append((int) fold[0]).append("</td><td class=\"n\">")
            .append(String.format(Locale.ROOT, "%.4f", fold[1])).append("</td><td class=\"n\">")
            .append(Html.pct(fold[2])).append("</td></tr>");
      }
      b.append("</table>");
    }
    return b.append("</div>\n").toString();
  }

  static String roc(EvalFacts f, Double auc) {
    if (f.roc.isEmpty()) {
      return "<p>No scored pairs.</p>\n";
    }
    StringBuilder b = new StringBuilder("<div class=\"row\">").append(Charts.roc(f.roc)).append("<div>");
    if (auc != null) {
      b.append("<p>ROC AUC <b id=\"roc-auc\">").append(String.format(Locale.ROOT, "%.5f", auc)).append("</b></p>");
    }
    b.append("<table><tr><th class=\"n\">FAR at most</th><th class=\"n\">TAR</th></tr>");
    for (double far : new double[] {1e-4, 1e-3, 1e-2, 1e-1}) {
      double tar = Double.NaN;
      for (double[] p : f.roc) {
        if (p[0] <= far && (Double.isNaN(tar) || p[1] > tar)) {
          tar = p[1];
        }
      }
      b.append("<tr><td class=\"n\">").append(String.format(Locale.ROOT, "%.0e", far)).append("</td><td class=\"n\">")
          .append(Html.pct(tar)).append("</td></tr>");
    }
    return b.append("</table><p class=\"note\">").append(esc("Pairs: " + f.pairsNote + "."))
        .append("</p></div></div>\n").toString();
  }

  static String similarity(EvalFacts f, Double threshold, String thresholdName) {
    PairHistogram h = f.pairs;
    if (h == null || h.range() == null) {
      return "<p>No scored pairs.</p>\n";
    }
    long same = PairHistogram.total(h.same());
    long diff = PairHistogram.total(h.different());
    StringBuilder b = new StringBuilder("<div class=\"row\">").append(Charts.similarity(h, threshold, thresholdName));
    b.append("<table><tr><th></th><th class=\"n\">pairs</th><th class=\"n\">mean cosine</th></tr>");
    b.append("<tr><td>same person</td><td class=\"n\" id=\"pairs-same\">").append(same).append("</td><td class=\"n\">")
        .append(same == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", PairHistogram.mean(h.same())))
        .append("</td></tr>");
    b.append("<tr><td>different people</td><td class=\"n\" id=\"pairs-different\">").append(diff)
        .append("</td><td class=\"n\">")
        .append(diff == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", PairHistogram.mean(h.different())))
        .append("</td></tr></table></div>\n");
    return b.toString();
  }

  static Double metric(EvalFacts f, String evaluation, String name) {
    Map<String, Double> m = f.metrics.get(evaluation);
    return m == null ? null : m.get(name);
  }
}
