package io.facecluster.report;

import static io.facecluster.report.Html.esc;
import static io.facecluster.report.Html.px;

import java.util.List;

/**
 * One chart as inline SVG: a frame with data ranges, ticks, grid lines, axis labels and marks in data
 * coordinates. Colours come from the page's CSS classes, so the SVG holds geometry only (no script, no fonts
 * to fetch).
 */
final class SvgPlot {
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int TOP = 30;
  private static final int BOTTOM = 48;

  private final int width;
  private final int height;
  private final double x0;
  private final double x1;
  private final double y0;
  private final double y1;
  private final StringBuilder b = new StringBuilder();

  SvgPlot(int width, int height, double x0, double x1, double y0, double y1, String title) {
    this.width = width;
    this.height = height;
    this.x0 = x0;
    this.x1 = x1;
    this.y0 = y0;
    this.y1 = y1;
    b.append("<svg class=\"chart\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">");
    b.append("<text class=\"title\" x=\"").append(LEFT).append("\" y=\"18\">").append(esc(title)).append("</text>");
  }

  double sx(double x) {
    return LEFT + (x - x0) / (x1 - x0) * (width - LEFT - RIGHT);
  }

  double sy(double y) {
    return height - BOTTOM - (y - y0) / (y1 - y0) * (height - TOP - BOTTOM);
  }

  SvgPlot xTick(double x, String label) {
    b.append("<line class=\"grid\" x1=\"").append(px(sx(x))).append("\" x2=\"").append(px(sx(x)))
        .append("\" y1=\"").append(px(sy(y0))).append("\" y2=\"").append(px(sy(y1))).append("\"/>");
    b.append("<text class=\"tick\" text-anchor=\"middle\" x=\"").append(px(sx(x))).append("\" y=\"")
        .append(px(sy(y0) + 16)).append("\">").append(esc(label)).append("</text>");
    return this;
  }

  SvgPlot yTick(double y, String label) {
    b.append("<line class=\"grid\" x1=\"").append(px(sx(x0))).append("\" x2=\"").append(px(sx(x1)))
        .append("\" y1=\"").append(px(sy(y))).append("\" y2=\"").append(px(sy(y))).append("\"/>");
    b.append("<text class=\"tick\" text-anchor=\"end\" x=\"").append(px(sx(x0) - 6)).append("\" y=\"")
        .append(px(sy(y) + 4)).append("\">").append(esc(label)).append("</text>");
    return this;
  }

  SvgPlot axes(String xLabel, String yLabel) {
    b.append("<rect class=\"frame\" x=\"").append(px(sx(x0))).append("\" y=\"").append(px(sy(y1)))
        .append("\" width=\"").append(px(sx(x1) - sx(x0))).append("\" height=\"").append(px(sy(y0) - sy(y1)))
        .append("\"/>");
    b.append("<text class=\"axis\" text-anchor=\"middle\" x=\"").append(px((sx(x0) + sx(x1)) / 2))
        .append("\" y=\"").append(height - 8).append("\">").append(esc(xLabel)).append("</text>");
    double cy = (sy(y0) + sy(y1)) / 2;
    b.append("<text class=\"axis\" text-anchor=\"middle\" transform=\"translate(14 ").append(px(cy))
        .append(") rotate(-90)\">").append(esc(yLabel)).append("</text>");
    return this;
  }

  /** A bar from y0 up to y over [xa, xb], with an optional value printed above it. */
  SvgPlot bar(double xa, double xb, double y, String cssClass, String valueLabel) {
    b.append("<rect class=\"").append(cssClass).append("\" x=\"").append(px(sx(xa))).append("\" y=\"")
        .append(px(sy(y))).append("\" width=\"").append(px(Math.max(0.5, sx(xb) - sx(xa)))).append("\" height=\"")
        .append(px(sy(y0) - sy(y))).append("\"/>");
    if (valueLabel != null) {
      b.append("<text class=\"value\" text-anchor=\"middle\" x=\"").append(px((sx(xa) + sx(xb)) / 2))
          .append("\" y=\"").append(px(sy(y) - 4)).append("\">").append(esc(valueLabel)).append("</text>");
    }
    return this;
  }

  SvgPlot polyline(List<double[]> points, String cssClass) {
    b.append("<polyline class=\"").append(cssClass).append("\" points=\"");
    for (double[] p : points) {
      b.append(px(sx(p[0]))).append(',').append(px(sy(p[1]))).append(' ');
    }
    b.append("\"/>");
    return this;
  }

  /** A dashed vertical marker (a threshold) with its label at the top. */
  SvgPlot marker(double x, String label) {
    b.append("<line class=\"marker\" x1=\"").append(px(sx(x))).append("\" x2=\"").append(px(sx(x)))
        .append("\" y1=\"").append(px(sy(y0))).append("\" y2=\"").append(px(sy(y1))).append("\"/>");
    b.append("<text class=\"tick\" x=\"").append(px(sx(x) + 4)).append("\" y=\"").append(px(sy(y1) + 12))
        .append("\">").append(esc(label)).append("</text>");
    return this;
  }

  /** Legend entries (CSS class, label) in the top right corner of the plot area. */
  SvgPlot legend(String[][] entries) {
    double x = sx(x1) - 170;
    double y = sy(y1) + 8;
    for (String[] e : entries) {
      b.append("<rect class=\"").append(e[0]).append("\" x=\"").append(px(x)).append("\" y=\"").append(px(y))
          .append("\" width=\"12\" height=\"12\"/>");
      b.append("<text class=\"tick\" x=\"").append(px(x + 18)).append("\" y=\"").append(px(y + 10)).append("\">")
          .append(esc(e[1])).append("</text>");
      y += 18;
    }
    return this;
  }

  String svg() {
    return b + "</svg>";
  }
}
