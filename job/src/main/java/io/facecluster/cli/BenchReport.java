package io.facecluster.cli;

import io.facecluster.output.SummaryWriter;
import io.facecluster.pipeline.BareOrtLoop;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The speed benchmark's results: per repetition the bare bound and the job, the median repetition (by ratio)
 * as the headline, core time per image by stage (CSV and a PNG chart, {@link StageChart}), and the scaling
 * from one core to all.
 */
final class BenchReport {
  /** One repetition: the bare bound, the job's wall time, its task time by stage (ms) and its peak RSS. */
  record Rep(BareOrtLoop.Result bare, double jobSeconds, Map<String, Long> stagesMs, long jobRssPeakMib) {
    double jobImagesPerSecond() {
      return bare.images() / jobSeconds;
    }

    double ratio() {
      return jobImagesPerSecond() / bare.imagesPerSecond();
    }
  }

  /** Images/s of the bare loop and of the job on one core. */
  record Scaling(double bareOneCore, double jobOneCore) {}

  /** Core milliseconds per image of one stage, for the bare loop and the job (NaN where it has none). */
  record StageTime(String stage, double bareMs, double jobMs) {}

  private final int images;
  private final int cores;
  private final String detector;
  private final String embedder;
  private final String ortVersion;
  private final long jobFaces;
  private final List<Rep> reps;
  private final Scaling scaling;
  private final Rep median;

  BenchReport(int images, int cores, String detector, String embedder, String ortVersion, long jobFaces,
      List<Rep> reps, Scaling scaling) {
    this.images = images;
    this.cores = cores;
    this.detector = detector;
    this.embedder = embedder;
    this.ortVersion = ortVersion;
    this.jobFaces = jobFaces;
    this.reps = reps;
    this.scaling = scaling;
    List<Rep> byRatio = new ArrayList<>(reps);
    byRatio.sort(Comparator.comparingDouble(Rep::ratio));
    this.median = byRatio.get((byRatio.size() - 1) / 2);
  }

  /**
   * The median repetition's core time per image: the job's stages (session.run split out of detect and embed;
   * "spark, write, idle" is wall time x cores minus the timed stages) against the bare loop's runs (its
   * "idle" is the faster worker waiting for the slower).
   */
  List<StageTime> stages() {
    Map<String, Long> s = median.stagesMs();
    double n = images;
    double nan = Double.NaN;
    BareOrtLoop.Result b = median.bare();
    double bareDetect = b.detectTotalSeconds() * 1000 / n;
    double bareEmbed = b.embedTotalSeconds() * 1000 / n;
    List<StageTime> out = new ArrayList<>();
    out.add(new StageTime("read", nan, s.get("read") / n));
    out.add(new StageTime("decode", nan, s.get("decode") / n));
    out.add(new StageTime("detect: letterbox, tensor, decode", nan, (s.get("detect") - s.get("detect_run")) / n));
    out.add(new StageTime("detect: session.run", bareDetect, s.get("detect_run") / n));
    out.add(new StageTime("align", nan, s.get("align") / n));
    out.add(new StageTime("embed: tensor, normalise", nan, (s.get("embed") - s.get("embed_run")) / n));
    out.add(new StageTime("embed: session.run", bareEmbed, s.get("embed_run") / n));
    double timed = s.values().stream().mapToLong(Long::longValue).sum() - s.get("detect_run") - s.get("embed_run");
    out.add(new StageTime("spark, write, idle", b.wallSeconds() * 1000 * cores / n - bareDetect - bareEmbed,
        median.jobSeconds() * 1000 * cores / n - timed / n));
    return out;
  }

  double ratio() {
    return median.ratio();
  }

  Map<String, Object> json() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("images", images);
    r.put("cores", cores);
    r.put("detector", detector);
    r.put("embedder", embedder);
    r.put("onnxruntime", ortVersion);
    r.put("job_faces", jobFaces);
    List<Map<String, Object>> runs = new ArrayList<>();
    for (Rep rep : reps) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bare_images_per_s", rep.bare().imagesPerSecond());
      m.put("bare_faces", rep.bare().faces());
      m.put("bare_detect_run_s_total", rep.bare().detectTotalSeconds());
      m.put("bare_embed_run_s_total", rep.bare().embedTotalSeconds());
      m.put("bare_wall_s", rep.bare().wallSeconds());
      m.put("job_images_per_s", rep.jobImagesPerSecond());
      m.put("job_wall_s", rep.jobSeconds());
      m.put("job_task_time_by_stage_ms", rep.stagesMs());
      m.put("job_rss_peak_mib", rep.jobRssPeakMib());
      m.put("ratio", rep.ratio());
      runs.add(m);
    }
    r.put("repetitions", runs);
    r.put("median_repetition", reps.indexOf(median));
    r.put("job_bare_ratio", ratio());
    r.put("job_rss_peak_mib", reps.stream().mapToLong(Rep::jobRssPeakMib).max().orElse(-1));
    if (scaling != null) {
      r.put("bare_one_core_images_per_s", scaling.bareOneCore());
      r.put("job_one_core_images_per_s", scaling.jobOneCore());
      r.put("bare_scaling_all_cores_vs_one", median.bare().imagesPerSecond() / scaling.bareOneCore());
      r.put("scaling_all_cores_vs_one", median.jobImagesPerSecond() / scaling.jobOneCore());
    }
    return r;
  }

  String csv() {
    StringBuilder b = new StringBuilder("stage,bare_core_ms_per_image,job_core_ms_per_image\n");
    for (StageTime t : stages()) {
      b.append('"').append(t.stage()).append("\",").append(Double.isNaN(t.bareMs()) ? "" : fmt(t.bareMs()))
          .append(',').append(fmt(t.jobMs())).append('\n');
    }
    return b.toString();
  }

  void writeCsv(Configuration conf, String path) {
    SummaryWriter.writeBytes(conf, path, csv().getBytes(StandardCharsets.UTF_8));
  }

  void writePng(Configuration conf, String path) {
    String title = String.format(Locale.ROOT, "%d LFW images, %d cores, %s + %s, ORT %s: job/bare %.2f", images,
        cores, detector, embedder, ortVersion, ratio());
    SummaryWriter.writeBytes(conf, path, StageChart.png(title, stages()));
  }

  void print(PrintStream out) {
    out.printf("bench: %d images, %d cores, %s + %s, ONNX Runtime %s, %d repetitions%n", images, cores, detector,
        embedder, ortVersion, reps.size());
    for (int i = 0; i < reps.size(); i++) {
      Rep r = reps.get(i);
      out.printf("  run %d: bare %6.1f images/s (%d faces), job %6.1f images/s (%.1f s), ratio %.2f%s%n", i + 1,
          r.bare().imagesPerSecond(), r.bare().faces(), r.jobImagesPerSecond(), r.jobSeconds(), r.ratio(),
          r == median ? "  <- median" : "");
    }
    out.printf("  job faces %d, job peak RSS %d MiB%n", jobFaces,
        reps.stream().mapToLong(Rep::jobRssPeakMib).max().orElse(-1));
    out.println("  core ms per image      bare     job");
    for (StageTime t : stages()) {
      out.printf("    %-34s %6s %7s%n", t.stage(), Double.isNaN(t.bareMs()) ? "" : fmt(t.bareMs()), fmt(t.jobMs()));
    }
    if (scaling != null) {
      out.printf("  1 core: bare %.1f, job %.1f images/s; scaling %d cores / 1: bare x %.2f, job x %.2f%n",
          scaling.bareOneCore(), scaling.jobOneCore(), cores, median.bare().imagesPerSecond() / scaling.bareOneCore(),
          median.jobImagesPerSecond() / scaling.jobOneCore());
    }
    out.printf("job/bare ratio: %.2f%n", ratio());
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
