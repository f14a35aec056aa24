package io.facecluster.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The benchmark's time-per-stage chart as a PNG (Java2D, headless): one stacked horizontal bar for the bare
 * loop and one for the job, in core milliseconds per image, so the job's overhead shows as the bar's excess.
 */
final class StageChart {
  private static final Color[] COLOURS = {
      new Color(0x8da0cb), new Color(0x66c2a5), new Color(0xa6d854), new Color(0x1b7837), new Color(0xffd92f),
      new Color(0xe5c494), new Color(0x2166ac), new Color(0xb3b3b3)};
  private static final int WIDTH = 1000;
  private static final int LEFT = 70;
  private static final int RIGHT = 30;

  private StageChart() {}

  static byte[] png(String title, List<BenchReport.StageTime> stages) {
    double bareTotal = 0;
    double jobTotal = 0;
    for (BenchReport.StageTime s : stages) {
      bareTotal += Double.isNaN(s.bareMs()) ? 0 : Math.max(0, s.bareMs());
      jobTotal += Math.max(0, s.jobMs());
    }
    double max = niceCeiling(Math.max(bareTotal, jobTotal));
    int legendRows = (stages.size() + 1) / 2;
    int height = 200 + legendRows * 22;
    BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(title, LEFT - 50, 22);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      double scale = (WIDTH - LEFT - RIGHT) / max;
      bar(g, "bare", 45, stages, true, scale, bareTotal);
      bar(g, "job", 95, stages, false, scale, jobTotal);
      axis(g, 140, max, scale);
      for (int i = 0; i < stages.size(); i++) {
        int x = LEFT + (i % 2) * 440;
        int y = 185 + (i / 2) * 22;
        g.setColor(COLOURS[i % COLOURS.length]);
        g.fillRect(x, y - 11, 14, 14);
        g.setColor(Color.BLACK);
        g.drawString(stages.get(i).stage(), x + 20, y);
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void bar(Graphics2D g, String label, int y, List<BenchReport.StageTime> stages, boolean bare,
      double scale, double total) {
    g.setColor(Color.BLACK);
    g.drawString(label, 15, y + 25);
    double x = LEFT;
    for (int i = 0; i < stages.size(); i++) {
      double ms = bare ? stages.get(i).bareMs() : stages.get(i).jobMs();
      if (Double.isNaN(ms) || ms <= 0) {
        continue;
      }
      g.setColor(COLOURS[i % COLOURS.length]);
      int w = (int) Math.round(ms * scale);
      g.fillRect((int) Math.round(x), y, w, 40);
      x += ms * scale;
    }
    g.setColor(Color.BLACK);
    g.drawString(String.format(Locale.ROOT, "%.1f ms", total), (int) Math.round(x) + 6 > WIDTH - 60
        ? WIDTH - 60 : (int) Math.round(x) + 6, y + 25);
  }

  private static void axis(Graphics2D g, int y, double max, double scale) {
    g.setColor(Color.DARK_GRAY);
    g.setStroke(new BasicStroke(1));
    g.drawLine(LEFT, y, (int) Math.round(LEFT + max * scale), y);
    double step = max / 5;
    for (int i = 0; i <= 5; i++) {
      int x = (int) Math.round(LEFT + i * step * scale);
      g.drawLine(x, y, x, y + 5);
      g.drawString(String.format(Locale.ROOT, "%.0f", i * step), x - 6, y + 18);
    }
    g.drawString("core milliseconds per image", LEFT + (int) (max * scale) / 2 - 80, y + 34);
  }

  /** 1, 2 or 5 times a power of ten, at least v. */
  private static double niceCeiling(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1e-9))));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }
}
