package io.facecluster.report;

import static io.facecluster.report.Html.esc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The HTML of a run's sections: counts, files without faces, cluster sizes and the gallery. */
final class RunSections {
  private RunSections() {}

  /** A row of count tiles; `warn` names the counts drawn in a warning colour when not zero. */
  static String stats(Map<String, ?> counts, List<String> warn) {
    StringBuilder b = new StringBuilder("<div class=\"stats\">");
    counts.forEach((k, v) -> {
      boolean w = warn.contains(k) && v instanceof Number n && n.doubleValue() != 0;
      String text = v instanceof Number n ? Html.num(n.doubleValue(), 4) : String.valueOf(v);
      b.append("<div class=\"stat").append(w ? " warn" : "").append("\" id=\"count-").append(esc(k))
          .append("\"><b>").append(esc(text)).append("</b>").append(esc(k.replace('_', ' '))).append("</div>");
    });
    return b.append("</div>\n").toString();
  }

  static String files(RunFacts f) {
    if (f.reasons.isEmpty()) {
      return "<p>Every file had at least one face.</p>\n";
    }
    StringBuilder b = new StringBuilder("<p class=\"note\">Files with status no_face, error or known (already in "
        + "the person library, not processed again), by reason (the " + RunFacts.EXAMPLES + " most frequent), then "
        + "the first " + RunFacts.EXAMPLES + " no_face or error files by path.</p>");
    b.append("<table><tr><th>status</th><th>reason</th><th class=\"n\">files</th></tr>");
    for (RunFacts.Reason r : f.reasons) {
      b.append("<tr><td>").append(esc(r.status())).append("</td><td>").append(esc(r.reason()))
          .append("</td><td class=\"n\">").append(r.files()).append("</td></tr>");
    }
    b.append("</table>");
    if (f.examples.isEmpty()) {
      return b.append("\n").toString(); // every such file is known: nothing to look at by path
    }
    b.append("<table><tr><th>file</th><th>status</th><th>reason</th></tr>");
    for (String[] e : f.examples) {
      b.append("<tr><td class=\"path\">").append(esc(e[0])).append("</td><td>").append(esc(e[1])).append("</td><td>")
          .append(esc(e[2])).append("</td></tr>");
    }
    return b.append("</table>\n").toString();
  }

  static String clusterSizes(RunFacts f) {
    int first = -1;
    int last = -1;
    for (int i = 0; i < f.clustersPerSize.length; i++) {
      if (f.clustersPerSize[i] > 0) {
        first = first < 0 ? i : first;
        last = i;
      }
    }
    if (first < 0) {
      return "<p>No clusters: " + f.counts.get("faces") + " faces, none in a cluster.</p>\n";
    }
    StringBuilder b = new StringBuilder("<div class=\"row\">").append(Charts.clusterSizes(f.clustersPerSize, first,
        last));
    b.append("<table><tr><th>faces in the cluster</th><th class=\"n\">clusters</th><th class=\"n\">faces</th></tr>");
    for (int i = first; i <= last; i++) {
      b.append("<tr><td>").append(Charts.sizeLabel(i)).append("</td><td class=\"n\">").append(f.clustersPerSize[i])
          .append("</td><td class=\"n\">").append(f.facesPerSize[i]).append("</td></tr>");
    }
    b.append("<tr><td>unclustered (-1)</td><td class=\"n\"></td><td class=\"n\">").append(f.counts.get("unclustered"))
        .append("</td></tr></table></div>\n");
    return b.toString();
  }

  /** The largest clusters' sample faces, then unclustered ones; thumbnails cut on the driver (few faces). */
  static String gallery(RunFacts f, Thumbnails thumbs) {
    List<RunFacts.Cluster> shown = new ArrayList<>(f.top);
    if (f.unclustered.size() > 0) {
      shown.add(f.unclustered);
    }
    if (shown.isEmpty()) {
      return "<p>No faces.</p>\n";
    }
    // Cut thumbnails image by image: a photo holding several shown faces is decoded once.
    List<RunFacts.Face> all = new ArrayList<>();
    shown.forEach(c -> all.addAll(c.faces()));
    all.sort(Comparator.comparing(RunFacts.Face::path));
    Map<RunFacts.Face, Thumbnails.Thumb> cut = new IdentityHashMap<>();
    try {
      all.forEach(face -> cut.put(face, thumbs.of(face.path(), face.box())));
    } finally {
      thumbs.release();
    }
    StringBuilder b = new StringBuilder("<p class=\"note\">The ").append(f.top.size())
        .append(" largest clusters with up to ").append(RunFacts.FACES_PER_CLUSTER)
        .append(" faces each (highest detector score first; the caption is the file name, or why the face joined no cluster), then faces in no cluster.</p>\n");
    for (RunFacts.Cluster c : shown) {
      String id = c.id() < 0 ? "unclustered" : "cluster-" + c.id();
      String heading = c.id() < 0 ? "unclustered: " + c.size() + " faces (noise, or stopped by a quality gate)"
          : "cluster " + c.id() + ": " + c.size() + " faces";
      b.append("<div class=\"cluster\" id=\"").append(id).append("\"><h3>").append(esc(heading))
          .append("</h3><div class=\"faces\">");
      for (RunFacts.Face face : c.faces()) {
        b.append(figure(face, cut.get(face)));
      }
      b.append("</div></div>\n");
    }
    return b.toString();
  }

  private static String figure(RunFacts.Face face, Thumbnails.Thumb t) {
    String file = face.path().substring(face.path().lastIndexOf('/') + 1);
    String name = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
    String caption = face.gate() != null ? face.gate() : name;
    String tip = face.path() + " [" + Math.round(face.box()[0]) + ", " + Math.round(face.box()[1]) + ", "
        + Math.round(face.box()[2]) + ", " + Math.round(face.box()[3]) + "]"
        + String.format(Locale.ROOT, " score %.3f", face.score());
    StringBuilder b = new StringBuilder("<figure title=\"").append(esc(tip)).append("\">");
    if (t.dataUri() != null) {
      b.append("<img src=\"").append(t.dataUri()).append("\" alt=\"face in ").append(esc(file)).append("\">");
    } else {
      b.append("<div class=\"missing\">").append(esc(t.error())).append("</div>");
    }
    return b.append(face.gate() != null ? "<figcaption>" : "<figcaption class=\"file\">").append(esc(caption))
        .append("</figcaption></figure>").toString();
  }

  /** Nested summary values (models, timings, settings) as a two-column table of dotted keys. */
  static String table(Map<String, Object> values) {
    StringBuilder b = new StringBuilder("<table>");
    flatten("", values, b);
    return b.append("</table>\n").toString();
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Object value, StringBuilder b) {
    if (value instanceof Map<?, ?> m) {
      ((Map<Object, Object>) m).forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k,
          v, b));
    } else if (value instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        flatten(prefix + "[" + i + "]", l.get(i), b);
      }
    } else {
      b.append("<tr><th>").append(esc(prefix)).append("</th><td class=\"path\">").append(esc(value))
          .append("</td></tr>");
    }
  }
}
