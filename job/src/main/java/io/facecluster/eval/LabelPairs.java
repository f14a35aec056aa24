package io.facecluster.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.split;

import io.facecluster.output.RunTables;
import io.facecluster.output.Schemas;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Pair verification on a labelled folder tree (label = parent folder), the protocol of
 * ../shared/data/person-reid/README.md: every same-label pair, as many random different-label pairs (seed 7,
 * no pair twice), cosine of the embeddings, accuracy at the single best threshold over all pairs (optimistic:
 * not cross-validated). Scores are computed by Spark (a join on the label for the same pairs); only face ids
 * with labels and the pair scores reach the driver.
 */
public final class LabelPairs {
  private static final StructType PAIRS = DataTypes.createStructType(List.of(
      DataTypes.createStructField("a", DataTypes.StringType, false),
      DataTypes.createStructField("b", DataTypes.StringType, false)));

  private LabelPairs() {}

  public static Map<String, Double> score(SparkSession spark, String output, String runId, long seed) {
    Dataset<Row> faces = spark.read().schema(Schemas.FACES).parquet(RunTables.path(output, "faces"))
        .where(col("run_id").equalTo(runId))
        .select(col("face_id"), col("embedding"), element_at(split(col("path"), "/"), -2).as("label"))
        .cache();
    String cosine = "aggregate(zip_with(x.embedding, y.embedding, (p, q) -> p * q), 0D, (s, v) -> s + v)";
    double[] same = faces.as("x").join(faces.as("y"),
            col("x.label").equalTo(col("y.label")).and(col("x.face_id").lt(col("y.face_id"))))
        .select(expr(cosine)).as(Encoders.DOUBLE()).collectAsList().stream().mapToDouble(Double::doubleValue)
        .toArray();
    List<Row> idLabels = faces.select("face_id", "label").collectAsList();
    List<Row> pairs = differentPairs(idLabels, same.length, seed);
    Dataset<Row> p = spark.createDataFrame(pairs, PAIRS);
    double[] diff = p.join(faces.as("x"), col("a").equalTo(col("x.face_id")))
        .join(faces.as("y"), col("b").equalTo(col("y.face_id")))
        .select(expr(cosine)).as(Encoders.DOUBLE()).collectAsList().stream().mapToDouble(Double::doubleValue)
        .toArray();
    faces.unpersist();
    return summarise(same, diff);
  }

  /** `n` distinct unordered pairs of faces with different labels, drawn uniformly with a fixed seed. */
  static List<Row> differentPairs(List<Row> idLabels, int n, long seed) {
    Random r = new Random(seed);
    Set<String> seen = new HashSet<>();
    List<Row> out = new ArrayList<>();
    int size = idLabels.size();
    Map<String, Long> perLabel = new java.util.HashMap<>();
    idLabels.forEach(x -> perLabel.merge(x.getString(1), 1L, Long::sum));
    long possible = (long) size * (size - 1) / 2;
    for (long c : perLabel.values()) {
      possible -= c * (c - 1) / 2;
    }
    while (out.size() < n && seen.size() < possible) {
      Row a = idLabels.get(r.nextInt(size));
      Row b = idLabels.get(r.nextInt(size));
      if (a.getString(1).equals(b.getString(1))) {
        continue;
      }
      String x = a.getString(0).compareTo(b.getString(0)) < 0 ? a.getString(0) : b.getString(0);
      String y = x.equals(a.getString(0)) ? b.getString(0) : a.getString(0);
      if (seen.add(x + "|" + y)) {
        out.add(RowFactory.create(x, y));
      }
    }
    return out;
  }

  /** Counts, mean cosines and the best single threshold's accuracy (midpoint between neighbouring scores). */
  static Map<String, Double> summarise(double[] same, double[] diff) {
    int n = same.length + diff.length;
    double[][] all = new double[n][];
    for (int i = 0; i < same.length; i++) {
      all[i] = new double[] {same[i], 1};
    }
    for (int i = 0; i < diff.length; i++) {
      all[same.length + i] = new double[] {diff[i], 0};
    }
    Arrays.sort(all, (u, v) -> Double.compare(u[0], v[0]));
    // threshold below all[i]: pairs 0..i-1 called different, i..n-1 same
    int sameAbove = same.length;
    int diffBelow = 0;
    int best = sameAbove;
    double bestThreshold = all.length == 0 ? 0 : all[0][0] - 1e-6;
    for (int i = 1; i <= n; i++) {
      if (all[i - 1][1] == 1) {
        sameAbove--;
      } else {
        diffBelow++;
      }
      if (sameAbove + diffBelow > best) {
        best = sameAbove + diffBelow;
        bestThreshold = i == n ? all[n - 1][0] + 1e-6 : (all[i - 1][0] + all[i][0]) / 2;
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("same_pairs", (double) same.length);
    m.put("different_pairs", (double) diff.length);
    m.put("mean_cosine_same", Arrays.stream(same).average().orElse(Double.NaN));
    m.put("mean_cosine_different", Arrays.stream(diff).average().orElse(Double.NaN));
    m.put("best_threshold_accuracy", n == 0 ? Double.NaN : (double) best / n);
    m.put("best_threshold", bestThreshold);
    return m;
  }
}
