package io.facecluster.report;

import static io.facecluster.report.Html.esc;

import io.facecluster.config.EvalLfwConfig;
import io.facecluster.config.JobConfig;
import io.facecluster.output.LfwSummary;
import io.facecluster.output.RunSummary;
import io.facecluster.output.RunTables;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * `<output>/runs/run_id=<id>/report.html`: one self-contained page per command (`run`, `eval-clusters`,
 * `eval-lfw`) from the run's own output tables, written through the Hadoop FileSystem API (local, hdfs://,
 * s3a://) beside the run's summary.json; a rerun of the id replaces it, other runs keep theirs.
 */
public final class RunReport {
  public static final String FILE = "report.html";
  private static final List<String> WARN = List.of("no_face", "error", "unclustered");

  private RunReport() {}

  /** After `run`: counts, files without faces, cluster sizes, gallery, run details. Returns the report's path. */
  public static String run(SparkSession spark, JobConfig config, RunSummary summary) {
    Page page = new Page("facecluster run report", subtitle("run", config.runId(), summary.asMap()));
    runSections(page, spark, config, RunFacts.read(spark, config.output(), config.runId(), summary.counts()));
    library(page, summary);
    details(page, summary.asMap());
    return write(spark, config.output(), config.runId(), page.html());
  }

  /** After `eval-clusters`: the run's sections, then its metrics, ROC and pair similarities by folder label. */
  public static String evalClusters(SparkSession spark, JobConfig config, RunSummary summary) {
    Page page = new Page("facecluster eval-clusters report", subtitle("eval-clusters", config.runId(),
        summary.asMap()));
    runSections(page, spark, config, RunFacts.read(spark, config.output(), config.runId(), summary.counts()));
    EvalFacts e = EvalFacts.labelledFolders(spark, config.output(), config.runId());
    page.section("evaluation", "Evaluation", EvalSections.metrics(e))
        .section("roc", "ROC curve", EvalSections.roc(e, null))
        .section("similarity", "Similarity of same and different people",
            EvalSections.similarity(e, summary.cluster().threshold(), "cluster threshold"));
    details(page, summary.asMap());
    return write(spark, config.output(), config.runId(), page.html());
  }

  /** After `eval-lfw`: the protocol's numbers, its folds, ROC and the same / different pair similarities. */
  public static String lfw(SparkSession spark, EvalLfwConfig config, LfwSummary summary) {
    Page page = new Page("facecluster eval-lfw report", subtitle("eval-lfw", config.runId(), summary.asMap()));
    EvalFacts e = EvalFacts.lfw(spark, config.output(), config.runId());
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("pairs", EvalSections.metric(e, "lfw", "pairs"));
    stats.put("images", EvalSections.metric(e, "lfw", "images"));
    stats.put("accuracy", percent(EvalSections.metric(e, "lfw", "accuracy_mean")));
    stats.put("ROC_AUC", fixed(EvalSections.metric(e, "lfw", "roc_auc")));
    stats.put("TAR_at_FAR_1e-3", percent(EvalSections.metric(e, "lfw", "tar_at_far_1e-3")));
    page.section("summary", "Summary", RunSections.stats(stats, List.of()))
        .section("evaluation", "Evaluation", EvalSections.metrics(e))
        .section("roc", "ROC curve", EvalSections.roc(e, EvalSections.metric(e, "lfw", "roc_auc")))
        .section("similarity", "Similarity of same and different people",
            EvalSections.similarity(e, EvalSections.metric(e, "lfw", "threshold_mean"), "mean fold threshold"));
    details(page, summary.asMap());
    return write(spark, config.output(), config.runId(), page.html());
  }

  private static void runSections(Page page, SparkSession spark, JobConfig config, RunFacts f) {
    Thumbnails thumbs = new Thumbnails(spark.sparkContext().hadoopConfiguration(), config.pipeline().maxPixels());
    page.section("summary", "Summary", RunSections.stats(f.counts, WARN))
        .section("files", "Files without faces", RunSections.files(f))
        .section("cluster-sizes", "Cluster sizes", RunSections.clusterSizes(f))
        .section("gallery", "Clusters", RunSections.gallery(f, thumbs));
  }

  /**
   * The summary's other entries (models, timings, cluster settings), the resolved configuration folded; counts
   * and metrics are left out: the sections above show them, read from the tables.
   */
  @SuppressWarnings("unchecked")
  private static void details(Page page, Map<String, Object> summary) {
    Map<String, Object> rest = new LinkedHashMap<>(summary);
    for (String shown : List.of("counts", "metrics", "folds", "clustering_metrics", "pair_verification")) {
      rest.remove(shown);
    }
    Object config = rest.remove("config");
    String body = RunSections.table(rest);
    if (config instanceof Map<?, ?> c) {
      body += "<details><summary>resolved configuration</summary>" + RunSections.table((Map<String, Object>) c)
          + "</details>\n";
    }
    page.section("details", "Run details", body);
  }

  /** run --library: what the run did to the person library, from its committed `library_runs` row. */
  private static void library(Page page, RunSummary summary) {
    Map<String, Object> l = summary.library();
    if (l == null) {
      return;
    }
    Map<String, Object> tiles = new LinkedHashMap<>();
    for (String k : List.of("joined_existing", "new_persons", "faces_in_new_persons", "unassigned", "ambiguous",
        "library_persons", "library_faces")) {
      tiles.put(k.replace('_', ' '), l.get(k));
    }
    page.section("library", "Person library", RunSections.stats(tiles, List.of("ambiguous")));
  }

  private static String subtitle(String command, String runId, Map<String, Object> summary) {
    StringBuilder b = new StringBuilder(esc(command)).append(" <code>").append(esc(runId)).append("</code>");
    for (String k : List.of("input", "lfw", "output", "finished_at")) {
      if (summary.get(k) != null) {
        b.append(" &middot; ").append(esc(k.replace('_', ' '))).append(" <code>").append(esc(summary.get(k)))
            .append("</code>");
      }
    }
    return b.toString();
  }

  private static String percent(Double share) {
    return share == null ? "n/a" : Html.pct(share);
  }

  private static String fixed(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String write(SparkSession spark, String output, String runId, String html) {
    Path p = new Path(RunTables.runFile(output, runId, FILE));
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.setWriteChecksum(false);
      try (OutputStream out = fs.create(p, true)) {
        out.write(html.getBytes(StandardCharsets.UTF_8));
      }
      return p.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p + ": " + e.getMessage(), e);
    }
  }
}
