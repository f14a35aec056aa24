package io.facecluster.library;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.row_number;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.cluster.GraphClustering;
import io.facecluster.config.JobConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.eval.ClusteringMetrics;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.ModelSpecs;
import io.facecluster.output.LibrarySchemas;
import io.facecluster.run.GraphSettings;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's LFW acceptance (bench/lfw-library.sh; docs/library.md): the five daily folders of bench/lfw-days.sh
 * run one after the other into one library with `submit.sh run --library` (in this JVM); then one-shot graph
 * clustering of all the faces those runs embedded (same embedder, same settings, no embedding twice), both
 * scored against the LFW labels on each image's centre face (LFW photos are centred on their person; other faces
 * are bystanders); id stability per day; then `recluster` of the library, its id carry-over and score. A JUnit
 * class outside surefire's name patterns: bench/lfw-library.sh runs it. Prints "lfwlib: " lines.
 */
class LfwLibraryBench extends SparkTestBase {
  static final int DAYS = 5;

  @Test
  void fiveDaysIntoOneLibrary() throws Exception {
    Path days = Path.of(System.getProperty("lfwlib.days", "/tmp/lfw-days"));
    Path work = Path.of(System.getProperty("lfwlib.dir", "/tmp/lfw-library"));
    Path out = work.resolve("out");
    Path lib = work.resolve("library");
    List<String> lines = new ArrayList<>();
    List<Map<String, String>> snapshots = new ArrayList<>();
    for (int d = 1; d <= DAYS; d++) {
      long t0 = System.nanoTime();
      JobRunner.run(days.resolve("dt=day" + d).toString(), out.toString(), "--run-id", "day" + d, "--library",
          lib.toString());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      JsonNode s = new ObjectMapper().readTree(out.resolve("runs/run_id=day" + d + "/summary.json").toFile());
      JsonNode l = s.get("library");
      say(lines, "day %d: %d files (%d known), %d faces added, %d joined existing persons, %d new persons (%d faces),"
          + " %d unassigned in the library, %d ambiguous; library %d faces, %d persons; run %.1f s (match %.1f s, "
          + "library clustering %.1f s, commit %.1f s)", d, s.get("counts").get("files").asLong(),
          s.get("counts").get("known").asLong(), l.get("faces_added").asLong(), l.get("joined_existing").asLong(),
          l.get("new_persons").asLong(), l.get("faces_in_new_persons").asLong(), l.get("unassigned").asLong(),
          l.get("ambiguous").asLong(), l.get("library_faces").asLong(), l.get("library_persons").asLong(), ms / 1e3,
          l.get("match_ms").asLong() / 1e3, l.get("cluster_ms").asLong() / 1e3, l.get("commit_ms").asLong() / 1e3);
      snapshots.add(persons(lib));
    }
    Map<String, String> last = snapshots.get(DAYS - 1);
    for (int d = 1; d <= DAYS; d++) {
      long held = 0;
      long same = 0;
      for (Map.Entry<String, String> e : snapshots.get(d - 1).entrySet()) {
        if (e.getValue() != null) {
          held++;
          same += e.getValue().equals(last.get(e.getKey())) ? 1 : 0;
        }
      }
      say(lines, "id stability day %d: %d faces held a person after day %d, %d hold the same id after day %d: %.4f",
          d, held, d, same, DAYS, (double) same / held);
    }

    evaluate(work, snapshots.get(DAYS - 1), lines);
  }

  /**
   * The scores and the recluster again on the library the five days left (lfwlib.dir), without running the days:
   * a recluster committed before is undone first (its tables restored to the versions its row recorded before
   * it, and its row removed), so this can be repeated.
   */
  @Test
  void evaluateAgain() throws Exception {
    Path work = Path.of(System.getProperty("lfwlib.dir", "/tmp/lfw-library"));
    Library lib = new Library(spark, work.resolve("library").toString());
    List<Row> runs = RunLog.runs(lib);
    Row last = runs.get(runs.size() - 1);
    if (last.getString(last.fieldIndex("command")).equals("recluster")) {
      Map<String, Long> before = last.getJavaMap(last.fieldIndex("versions_before"));
      for (String t : LibrarySchemas.COMMIT_ORDER) {
        lib.restore(t, before.get(t));
      }
    }
    evaluate(work, persons(work.resolve("library")), new ArrayList<>());
  }

  /**
   * One-shot graph clustering of the faces the runs embedded (all of them, and each image's centre face only,
   * as eval-clusters takes them), the library's persons, both scored on the centre faces; then `recluster`.
   * The threshold is the library's embedder's clusterThreshold, as the runs used it.
   */
  void evaluate(Path work, Map<String, String> day5, List<String> lines) throws Exception {
    Path out = work.resolve("out");
    Path lib = work.resolve("library");
    String embedder = Recluster.embedder(spark, lib.toString());
    double threshold = ModelSpecs.load(embedder, TestData.modelsDir(), ModelSpec.FACE_EMBEDDER).embedding()
        .clusterThreshold();
    JobConfig config = JobConfig.from(ResolvedConfig.resolve(RunOptions.ALL, Map.of("input", "x",
        "output", out.toString()), null));
    GraphClustering.Params params = GraphSettings.params(config, threshold);
    say(lines, "embedder %s, graph threshold %.3f", embedder, threshold);
    Dataset<Row> faces = spark.read().parquet(out.resolve("faces").toString()).filter(col("gate").isNull());
    Dataset<Row> centre = centreFaces(faces);
    long t0 = System.nanoTime();
    GraphClustering.Result oneShot = GraphClustering.run(faces.select("face_id", "embedding", "path"), params);
    ClusteringMetrics shot = score(centre.join(oneShot.clusters(), "face_id").select(col("label"),
        col("cluster_id").cast("string").as("group")));
    say(lines, "one-shot of all %d faces (%.1f s), scored on %d centre faces: %s", faces.count(),
        (System.nanoTime() - t0) / 1e9, shot.items(), fmt(shot));
    t0 = System.nanoTime();
    GraphClustering.Result centreShot = GraphClustering.run(faces.join(centre.select("face_id"), "face_id")
        .select("face_id", "embedding", "path"), params);
    ClusteringMetrics shotCentre = score(centre.join(centreShot.clusters(), "face_id").select(col("label"),
        col("cluster_id").cast("string").as("group")));
    say(lines, "one-shot of the centre faces only, as eval-clusters (%.1f s): %s", (System.nanoTime() - t0) / 1e9,
        fmt(shotCentre));
    ClusteringMetrics daily = score(centre.join(libraryFaces(lib), "face_id").select(col("label"),
        col("person_id").as("group")));
    say(lines, "library after 5 days: %s", fmt(daily));
    say(lines, "one-shot (all faces) - library: BCubed F1 %.4f, pairwise F1 %.4f; one-shot (centre) - library: "
        + "BCubed F1 %.4f, pairwise F1 %.4f", shot.bcubedF1() - daily.bcubedF1(), shot.pairwiseF1()
        - daily.pairwiseF1(), shotCentre.bcubedF1() - daily.bcubedF1(), shotCentre.pairwiseF1() - daily.pairwiseF1());

    t0 = System.nanoTime();
    Map<String, Object> r = Recluster.run(spark, lib.toString(), "recluster1", params, false);
    say(lines, "recluster: %.1f s: kept %s, merged %s, split %s, new %s (%s faces), unassigned %s",
        (System.nanoTime() - t0) / 1e9, r.get("persons_kept"), r.get("persons_merged"), r.get("persons_split"),
        r.get("new_persons"), r.get("faces_in_new_persons"), r.get("unassigned"));
    Map<String, String> after = persons(lib);
    long held = day5.values().stream().filter(v -> v != null).count();
    long kept = day5.entrySet().stream()
        .filter(e -> e.getValue() != null && e.getValue().equals(after.get(e.getKey()))).count();
    ClusteringMetrics re = score(centre.join(libraryFaces(lib), "face_id").select(col("label"),
        col("person_id").as("group")));
    say(lines, "recluster kept the id of %d of %d faces that held a person: %.4f", kept, held, (double) kept / held);
    say(lines, "library after recluster: %s; BCubed F1 one-shot (all faces) - recluster %.4f", fmt(re),
        shot.bcubedF1() - re.bcubedF1());
    Files.write(work.resolve("results.txt"), lines, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    assertThat(daily.items()).as("centre faces scored").isGreaterThan(13_000);
  }

  static void say(List<String> lines, String format, Object... args) {
    String line = String.format(format, args);
    lines.add(line);
    System.out.println("lfwlib: " + line);
  }

  static String fmt(ClusteringMetrics m) {
    return String.format("pairwise P %.4f R %.4f F1 %.4f, BCubed P %.4f R %.4f F1 %.4f, NMI %.4f, %d clusters",
        m.pairwisePrecision(), m.pairwiseRecall(), m.pairwiseF1(), m.bcubedPrecision(), m.bcubedRecall(),
        m.bcubedF1(), m.nmi(), m.clusters());
  }

  /** face_id -> person_id (null: unassigned) of the library now (17K rows: to the driver). */
  static Map<String, String> persons(Path lib) {
    Map<String, String> m = new HashMap<>();
    for (Row r : libraryFaces(lib).collectAsList()) {
      m.put(r.getString(0), r.getString(1));
    }
    return m;
  }

  static Dataset<Row> libraryFaces(Path lib) {
    return spark.read().format("delta").load(lib.resolve(LibrarySchemas.FACES).toString()).select("face_id",
        "person_id");
  }

  /** Per image, the face whose box centre is nearest the image's centre (LFW: 250 x 250), with its label. */
  static Dataset<Row> centreFaces(Dataset<Row> faces) {
    Dataset<Row> d = faces.withColumn("dist", pow(col("box").getItem(0).plus(col("box").getItem(2)).minus(250), 2)
        .plus(pow(col("box").getItem(1).plus(col("box").getItem(3)).minus(250), 2)));
    return d.withColumn("r", row_number().over(Window.partitionBy("path").orderBy(col("dist"), col("face_id"))))
        .filter(col("r").equalTo(1))
        .select(col("face_id"), regexp_extract(col("path"), "/([^/]+)/[^/]+$", 1).as("label"));
  }

  /** Rows label, group (null = unassigned: its own singleton). */
  static ClusteringMetrics score(Dataset<Row> rows) {
    List<Row> all = rows.collectAsList();
    long[] cluster = new long[all.size()];
    String[] label = new String[all.size()];
    Map<String, Long> ids = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      Row r = all.get(i);
      label[i] = r.getString(0);
      String g = r.isNullAt(1) ? null : r.getString(1);
      cluster[i] = g == null || g.equals("-1") ? ClusteringMetrics.NOISE : ids.computeIfAbsent(g, k -> (long) ids.size());
    }
    return ClusteringMetrics.of(cluster, label);
  }
}
