package io.facecluster.report;

import java.util.Locale;

/** Escaping and number formatting for the report: every string that comes from data goes through {@link #esc}. */
final class Html {
  private Html() {}

  /** Text or attribute value made inert: paths, reasons, model names and settings can hold any character. */
  static String esc(Object value) {
    String s = String.valueOf(value);
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A number as the report prints it: whole numbers without decimals, others with `digits` decimals. */
  static String num(double v, int digits) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) v);
    }
    return String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  /** A coordinate in an SVG attribute: one decimal is finer than a screen pixel. */
  static String px(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String pct(double share) {
    return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.2f %%", 100 * share);
  }
}
