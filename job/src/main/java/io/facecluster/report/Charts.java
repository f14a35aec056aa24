package io.facecluster.report;

import static io.facecluster.report.Html.num;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report's three charts, drawn as inline SVG from small aggregates. */
final class Charts {
  /** Lower edges of the cluster-size bins: exact small sizes, then roughly logarithmic ranges. */
  static final long[] SIZE_EDGES = {1, 2, 3, 4, 5, 6, 11, 21, 51, 101, 201, 501, 1001, 2001, 5001, 10001};

  private Charts() {}

  /** Index of the size bin holding `size`. */
  static int sizeBin(long size) {
    int i = 0;
    while (i + 1 < SIZE_EDGES.length && size >= SIZE_EDGES[i + 1]) {
      i++;
    }
    return i;
  }

  static String sizeLabel(int bin) {
    long lo = SIZE_EDGES[bin];
    if (bin + 1 == SIZE_EDGES.length) {
      return lo + "+";
    }
    long hi = SIZE_EDGES[bin + 1] - 1;
    return lo == hi ? Long.toString(lo) : lo + "-" + hi;
  }

  /** Clusters per size bin, over the bins from the first to the last non-empty one. */
  static String clusterSizes(long[] clustersPerBin, int first, int last) {
    long max = 1;
    for (int i = first; i <= last; i++) {
      max = Math.max(max, clustersPerBin[i]);
    }
    double top = niceCeiling(max * 1.15);
    SvgPlot p = new SvgPlot(560, 280, 0, last - first + 1, 0, top, "Clusters by size (faces per cluster)");
    for (double y : ticks(top)) {
      p.yTick(y, num(y, 2));
    }
    p.axes("faces in the cluster", "clusters");
    for (int i = first; i <= last; i++) {
      p.xTick(i - first + 0.5, sizeLabel(i));
    }
    for (int i = first; i <= last; i++) {
      double x = i - first;
      p.bar(x + 0.15, x + 0.85, clustersPerBin[i], "bar", Long.toString(clustersPerBin[i]));
    }
    return p.svg();
  }

  /** Same and different pairs as shares per bin of 0.02, over the similarities that occur; a threshold marker. */
  static String similarity(PairHistogram h, Double threshold, String thresholdName) {
    int[] r = h.range();
    int width = 20;
    int from = Math.max(0, (r[0] / width - 1) * width);
    int n = Math.min(PairHistogram.BINS - from, (r[1] / width + 2) * width - from) / width;
    double[] same = PairHistogram.shares(h.same(), from, width, n);
    double[] diff = PairHistogram.shares(h.different(), from, width, n);
    double max = 0.01;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, Math.max(same[i], diff[i]));
    }
    double x0 = PairHistogram.centre(from);
    double x1 = PairHistogram.centre(from + n * width);
    double top = niceCeiling(max * 1.1);
    SvgPlot p = new SvgPlot(720, 300, x0, x1, 0, top, "Cosine similarity of same-person and different-person pairs");
    for (double y : ticks(top)) {
      p.yTick(y, Html.num(Math.round(1000 * y) / 10.0, 1) + " %");
    }
    for (long k = Math.round(Math.ceil(x0 * 10 - 1e-9)); k <= Math.round(Math.floor(x1 * 10 + 1e-9)); k++) {
      p.xTick(k / 10.0, String.format(Locale.ROOT, "%.1f", k / 10.0));
    }
    p.axes("cosine similarity (bins of 0.02)", "share of pairs");
    for (int i = 0; i < n; i++) {
      double a = x0 + i * 0.02;
      p.bar(a, a + 0.02, diff[i], "diff", null);
      p.bar(a, a + 0.02, same[i], "same", null);
    }
    if (threshold != null && threshold > x0 && threshold < x1) {
      p.marker(threshold, thresholdName + " " + String.format(Locale.ROOT, "%.3f", threshold));
    }
    p.legend(new String[][] {{"same", "same person (" + PairHistogram.total(h.same()) + ")"},
        {"diff", "different people (" + PairHistogram.total(h.different()) + ")"}});
    return p.svg();
  }

  /** TAR against FAR on a log axis from the smallest positive FAR's decade to 1; FAR 0 sits on the left edge. */
  static String roc(List<double[]> farTar) {
    double minFar = 1;
    for (double[] q : farTar) {
      if (q[0] > 0) {
        minFar = Math.min(minFar, q[0]);
      }
    }
    double lx0 = Math.max(-6, Math.floor(Math.log10(minFar)));
    lx0 = Math.min(lx0, -1);
    List<double[]> pts = new ArrayList<>();
    double minTar = 1;
    for (double[] q : farTar) {
      double lx = q[0] > 0 ? Math.max(lx0, Math.log10(q[0])) : lx0;
      pts.add(new double[] {lx, q[1]});
      minTar = Math.min(minTar, q[1]);
    }
    pts.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
    double y0 = Math.max(0, Math.floor(minTar * 10 - 1e-9) / 10);
    SvgPlot p = new SvgPlot(560, 340, lx0, 0, y0, 1, "ROC: true accept rate against false accept rate");
    for (double y = y0; y <= 1 + 1e-9; y += y0 >= 0.7 ? 0.05 : 0.1) {
      p.yTick(y, String.format(Locale.ROOT, "%.2f", y));
    }
    for (int d = (int) lx0; d <= 0; d++) {
      p.xTick(d, d == 0 ? "1" : "1e" + d);
    }
    p.axes("false accept rate (log scale)", "true accept rate");
    p.polyline(pts, "roc");
    return p.svg();
  }

  /** 1, 2 or 5 times a power of ten, at least v. */
  static double niceCeiling(double v) {
    double mag = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * mag >= v - 1e-12) {
        return m * mag;
      }
    }
    return 10 * mag;
  }

  /** Ticks from 0 to top at a step of 1, 2 or 5 times a power of ten: at most six, whole counts stay whole. */
  private static double[] ticks(double top) {
    double step = niceCeiling(top / 5);
    int n = (int) Math.floor(top / step + 1e-9);
    double[] out = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      out[i] = i * step;
    }
    return out;
  }
}
