package io.facecluster.report;

import static io.facecluster.report.Html.esc;

import java.util.ArrayList;
import java.util.List;

/**
 * The page around the sections: inline CSS, no script, and a Content-Security-Policy that lets the browser
 * load nothing but `data:` images, so a report opened anywhere shows the same and reaches no network.
 */
final class Page {
  private static final String CSS = """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f4f5f7}
      header{background:#1d2330;color:#fff;padding:18px 32px}header h1{margin:0 0 4px;font-size:22px}
      header p{margin:0;color:#c9cfdb}header code{color:#fff}
      nav{padding:8px 32px;background:#e6e9ef;font-size:13px}nav a{margin-right:16px;color:#2b5fa8}
      main{padding:8px 32px 32px}section{background:#fff;border-radius:6px;padding:14px 20px;margin:16px 0;
      box-shadow:0 1px 2px rgba(0,0,0,.08)}h2{margin:0 0 10px;font-size:18px}h3{margin:10px 0 6px;font-size:14px}
      .stats{display:flex;flex-wrap:wrap;gap:10px}.stat{background:#f0f3f8;border-radius:6px;padding:8px 14px;
      min-width:92px}.stat b{display:block;font-size:22px}.stat.warn b{color:#b3401c}
      table{border-collapse:collapse;margin:6px 0}td,th{padding:3px 10px;border-bottom:1px solid #e3e6eb;
      text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
      .path{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
      .row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.row>div{max-width:460px}
      .cluster{margin:8px 0 14px}.faces{display:flex;flex-wrap:wrap;gap:6px}
      figure{margin:0;text-align:center;font-size:11px;color:#5b6475;width:76px}
      figure img{display:block;margin:0 auto 2px;border-radius:4px;background:#ddd}
      figcaption{overflow:hidden;text-overflow:ellipsis}figcaption.file{white-space:nowrap}
      .missing{width:72px;height:72px;background:#eee;font-size:10px;overflow:hidden}
      .note{color:#5b6475;font-size:13px}details{margin-top:8px}footer{padding:0 32px 24px;color:#5b6475;font-size:12px}
      svg.chart{background:#fff}svg .title{font-size:13px;font-weight:600;fill:#1d2330}
      svg .tick{font-size:11px;fill:#5b6475}svg .axis{font-size:12px;fill:#1d2330}svg .value{font-size:11px;fill:#1d2330}
      svg .grid{stroke:#e6e9ef}svg .frame{fill:none;stroke:#9aa3b2}svg .bar{fill:#2b7bba}
      svg .same{fill:#2b7bba;fill-opacity:.65}svg .diff{fill:#e4572e;fill-opacity:.55}
      svg .roc{fill:none;stroke:#2b7bba;stroke-width:2}svg .marker{stroke:#1d2330;stroke-dasharray:4 3}
      """;

  private final String title;
  private final String subtitle;
  private final List<String[]> sections = new ArrayList<>();

  Page(String title, String subtitle) {
    this.title = title;
    this.subtitle = subtitle;
  }

  /** A section: `id` for links and tests, a heading, and its HTML body (already escaped where it holds data). */
  Page section(String id, String heading, String body) {
    sections.add(new String[] {id, heading, body});
    return this;
  }

  String html() {
    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; ")
        .append("style-src 'unsafe-inline'\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(title)).append("</title>\n<style>").append(CSS).append("</style></head>\n")
        .append("<body><header><h1>").append(esc(title)).append("</h1><p>").append(subtitle).append("</p></header>\n")
        .append("<nav>");
    for (String[] s : sections) {
      b.append("<a href=\"#").append(s[0]).append("\">").append(esc(s[1])).append("</a>");
    }
    b.append("</nav>\n<main>\n");
    for (String[] s : sections) {
      b.append("<section id=\"").append(s[0]).append("\"><h2>").append(esc(s[1])).append("</h2>\n").append(s[2])
          .append("</section>\n");
    }
    b.append("</main>\n<footer>Written by facecluster. Self-contained: styles, charts and thumbnails are inside ")
        .append("this file; it runs no script and loads nothing.</footer>\n</body></html>\n");
    return b.toString();
  }
}
