package io.facecluster.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.udfs.SparkTestBase;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html of real runs (the bundled sample, a small eval-lfw, eval-clusters on the sample's people) opened
 * in headless Chromium: a screenshot that is a rendered page, and a DOM with the sections and the runs' real
 * numbers, thumbnails as data: URIs only, no reference to the network and nothing on the console.
 */
class ReportPageTest extends SparkTestBase {
  private static final Pattern IMG = Pattern.compile("<img\\b[^>]*>");
  private static final Pattern IMG_SRC = Pattern.compile("<img\\b[^>]*\\ssrc=\"(data:image/jpeg;base64,[^\"]+)\"");
  private static final Pattern EXTERNAL = Pattern.compile("(?i)(https?:|//[a-z0-9.-]+\\.[a-z]{2,}/|<script|<link|"
      + "<iframe|@import|url\\()");

  @TempDir
  Path tmp;

  @Test
  void runReportRendersTheSampleRun() throws Exception {
    Path out = tmp.resolve("out");
    JobRunner.Result r = JobRunner.run(TestData.sample().toString(), out.toString(), "--run-id", "report");
    Path html = keep(out.resolve("runs/run_id=report/report.html"), "report-run.html");
    assertThat(r.out()).as("run prints where the report is").contains("report:  " + html);

    Path png = tmp.resolve("report.png");
    Chromium.Run shot = Chromium.screenshot(html, png, 1280, 2000, tmp);
    assertThat(shot.consoleLines()).as("console messages while rendering (errors, CSP refusals)").isEmpty();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("screenshot decodes as PNG").isNotNull();
    assertThat(new int[] {image.getWidth(), image.getHeight()}).as("screenshot size").containsExactly(1280, 2000);
    assertThat(luminanceStd(image)).as("luminance spread of the screenshot (a blank page has 0)").isGreaterThan(20);
    assertThat(distinctColours(image)).as("colours in the screenshot (thumbnails are photos)").isGreaterThan(2000);
    assertThat(rgb(image, 8, 8)).as("header background #1d2330 at the top left: the inline CSS applied")
        .containsExactly(0x1d, 0x23, 0x30);
    // The committed docs/report-screenshot.png is a copy of this file (the image this test checked).
    keep(png, "report-screenshot.png");

    Chromium.Run dump = Chromium.dumpDom(html, tmp);
    String dom = dump.stdout();
    assertThat(dump.consoleLines()).as("console messages while loading the DOM").isEmpty();
    assertSelfContained(Files.readString(html), dom);
    for (String id : List.of("summary", "files", "cluster-sizes", "gallery", "details")) {
      assertThat(dom).as("section %s", id).contains("<section id=\"" + id + "\"><h2>");
    }
    assertThat(dom).as("no evaluation sections after run").doesNotContain("id=\"roc\"", "id=\"similarity\"");
    assertThat(counts(dom)).as("summary tiles: the sample run's numbers").contains("files=22", "ok=21",
        "no_face=1", "error=0", "faces=27", "clusters=5", "unclustered=7");
    assertThat(dom).as("the file without a face, with its reason")
        .contains("sample/no-face/voc-2008_002506-lower-part.jpg", "no face above the detector's score threshold");
    assertThat(dom).as("cluster size table: 5 clusters of 4 faces (20 faces)")
        .contains("<tr><td>4</td><td class=\"n\">5</td><td class=\"n\">20</td></tr>");
    assertThat(count(dom, "<div class=\"cluster\" id=\"cluster-")).as("clusters in the gallery").isEqualTo(5);
    assertThat(dom).as("unclustered faces shown too").contains("id=\"unclustered\"");
    List<BufferedImage> thumbs = thumbnails(dom);
    assertThat(thumbs).as("thumbnails: 5 clusters x 4 faces + 7 unclustered faces").hasSize(27);
    assertThat(thumbs).as("thumbnails are JPEGs with a long side of %d px", Thumbnails.SIZE)
        .allSatisfy(t -> assertThat(Math.max(t.getWidth(), t.getHeight())).isEqualTo(Thumbnails.SIZE));
    assertThat(dom).as("the gated face shows its gate").contains("<figcaption>face smaller than 32 px</figcaption>");
  }

  @Test
  void lfwReportShowsRocAndSimilarityHistograms() throws Exception {
    // Two folds of 2 matched + 2 mismatched pairs, the first lines of the official file's first two folds.
    List<String> official = Files.readAllLines(TestData.shared().resolve("data/lfw-protocol/pairs.txt"));
    Path pairs = tmp.resolve("pairs.txt");
    Files.write(pairs, List.of("2\t2", official.get(1), official.get(2), official.get(301), official.get(302),
        official.get(601), official.get(602), official.get(901), official.get(902)));
    Path out = tmp.resolve("lfw");
    JobRunner.Result r = JobRunner.main("eval-lfw", "--lfw", TestData.lfw().toString(), "--pairs", pairs.toString(),
        "--output", out.toString(), "--run-id", "lfw", "--models-dir", TestData.modelsDir());
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
    Path html = keep(out.resolve("runs/run_id=lfw/report.html"), "report-" + out.getFileName() + ".html");
    Chromium.Run dump = Chromium.dumpDom(html, tmp);
    String dom = dump.stdout();
    assertThat(dump.consoleLines()).as("console messages").isEmpty();
    assertSelfContained(Files.readString(html), dom);
    for (String id : List.of("summary", "evaluation", "roc", "similarity", "details")) {
      assertThat(dom).as("section %s", id).contains("<section id=\"" + id + "\"><h2>");
    }
    assertThat(dom).as("no run sections: eval-lfw writes no clusters").doesNotContain("id=\"gallery\"");
    assertThat(counts(dom)).as("summary tiles").contains("pairs=8", "images=13", "accuracy=100.00 %");
    assertThat(dom).as("ROC drawn, with the AUC of separable pairs").contains("<polyline class=\"roc\"")
        .contains("<b id=\"roc-auc\">1.00000</b>");
    assertThat(dom).as("histograms of 4 same and 4 different pairs")
        .contains("id=\"pairs-same\">4<", "id=\"pairs-different\">4<", "class=\"same\"", "class=\"diff\"");
    assertThat(count(dom, "<tr><td>")).as("fold rows and metric rows").isGreaterThanOrEqualTo(2 + 11);
    assertThat(dom).as("fold table").contains("<table id=\"folds\">");
  }

  @Test
  void evalClustersReportShowsTheEvaluationAndEscapesFileNames() throws Exception {
    Path input = tmp.resolve("labelled");
    TestData.copyTree(TestData.sample().resolve("lfw"), input);
    String hostile = "<script>alert('x&y')<script>.jpg";
    Files.writeString(input.resolve(hostile), "not an image");
    Path out = tmp.resolve("ec");
    JobRunner.Result r = JobRunner.main("eval-clusters", "--input", input.toString(), "--output", out.toString(),
        "--run-id", "ec", "--models-dir", TestData.modelsDir());
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
    Path html = keep(out.resolve("runs/run_id=ec/report.html"), "report-" + out.getFileName() + ".html");
    Chromium.Run dump = Chromium.dumpDom(html, tmp);
    String dom = dump.stdout();
    assertThat(dump.consoleLines()).as("console messages (an unescaped <script> would be refused and logged)")
        .isEmpty();
    assertSelfContained(Files.readString(html), dom);
    assertThat(dom).as("the hostile file name shown as text")
        .contains("&lt;script&gt;alert('x&amp;y')&lt;script&gt;.jpg", "not an image: unknown file signature");
    assertThat(counts(dom)).as("summary tiles").contains("files=21", "ok=20", "error=1", "faces=20", "clusters=5",
        "unclustered=0");
    for (String id : List.of("summary", "files", "cluster-sizes", "gallery", "evaluation", "roc", "similarity")) {
      assertThat(dom).as("section %s", id).contains("<section id=\"" + id + "\"><h2>");
    }
    JsonNode summary = new ObjectMapper().readTree(Files.readString(out.resolve("runs/run_id=ec/summary.json")));
    assertThat(dom).as("metrics of both evaluations, values as in summary.json")
        .contains("<th colspan=\"2\">clusters:graph</th>", "<th colspan=\"2\">pairs:best-threshold</th>")
        .contains("<td>bcubed_f1</td><td class=\"n\">" + Html.num(summary.at("/clustering_metrics/bcubed_f1")
            .asDouble(), 4) + "</td>");
    assertThat(dom).as("5 people x 6 same-folder pairs; the other 160 of the 190 pairs of 20 faces")
        .contains("id=\"pairs-same\">30<", "id=\"pairs-different\">160<", "<polyline class=\"roc\"");
    assertThat(dom).as("the clustering's threshold marked on the histogram").contains("cluster threshold "
        + String.format(Locale.ROOT, "%.3f", summary.at("/cluster/threshold").asDouble()));
  }

  /** Leaves a copy of what the test checked in job/target, to look at; returns the original. */
  private static Path keep(Path file, String name) throws Exception {
    Files.copy(file, TestData.root().resolve("job/target").resolve(name), StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  /** Nothing but data: images; no script, stylesheet link, frame or http(s) reference, in the file or the DOM. */
  private static void assertSelfContained(String html, String dom) {
    for (String[] page : new String[][] {{"file", html}, {"DOM", dom}}) {
      Matcher m = EXTERNAL.matcher(page[1]);
      assertThat(m.find() ? page[1].substring(Math.max(0, m.start() - 80), Math.min(page[1].length(), m.end() + 80))
          : null).as("external reference or script in the %s", page[0]).isNull();
      assertThat(count(page[1], "<img")).as("every <img> in the %s has a data:image/jpeg src", page[0])
          .isEqualTo(count(IMG_SRC, page[1]));
    }
    assertThat(count(IMG, html)).as("images in the file and in the DOM").isEqualTo(count(IMG, dom));
  }

  /** The summary tiles as "name=value". */
  private static List<String> counts(String dom) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<div class=\"stat[^\"]*\" id=\"count-([^\"]+)\"><b>([^<]*)</b>").matcher(dom);
    while (m.find()) {
      out.add(m.group(1) + "=" + m.group(2));
    }
    return out;
  }

  private static List<BufferedImage> thumbnails(String dom) throws Exception {
    List<BufferedImage> out = new ArrayList<>();
    Matcher m = IMG_SRC.matcher(dom);
    while (m.find()) {
      byte[] jpeg = java.util.Base64.getDecoder().decode(m.group(1).substring("data:image/jpeg;base64,".length()));
      BufferedImage t = ImageIO.read(new ByteArrayInputStream(jpeg));
      assertThat(t).as("thumbnail %d decodes", out.size()).isNotNull();
      out.add(t);
    }
    return out;
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
      n++;
    }
    return n;
  }

  private static int count(Pattern p, String s) {
    return (int) p.matcher(s).results().count();
  }

  private static double luminanceStd(BufferedImage img) {
    double s = 0;
    double ss = 0;
    long n = (long) img.getWidth() * img.getHeight();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int[] c = rgb(img, x, y);
        double l = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
        s += l;
        ss += l * l;
      }
    }
    double mean = s / n;
    return Math.sqrt(Math.max(0, ss / n - mean * mean));
  }

  private static int distinctColours(BufferedImage img) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        colours.add(img.getRGB(x, y) & 0xffffff);
      }
    }
    return colours.size();
  }

  private static int[] rgb(BufferedImage img, int x, int y) {
    int v = img.getRGB(x, y);
    return new int[] {(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff};
  }

}
