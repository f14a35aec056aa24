package io.facecluster.library;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import io.facecluster.cluster.GraphClustering;
import io.facecluster.output.LibrarySchemas;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `recluster --library PATH`: every library face clustered again from scratch (graph method), and the person
 * ids carried over (docs/library.md): the clusters, largest first (then smallest face_id), each take the id
 * held by most of their faces among the ids not yet taken (a tie: the smaller id), else a new id from their
 * smallest face_id; faces a user placed (assignment `user`) keep their person whatever the clustering says. An
 * old person whose faces went to another id is recorded as merged into it.
 *
 * <p>The carry-over walks the (cluster, old person, faces) counts on the driver, in order: one small row per
 * pair that shares faces (about the number of persons), never the faces themselves.
 */
public final class Recluster {
  private static final Logger LOG = LoggerFactory.getLogger(Recluster.class);
  private static final StructType CARRIED = DataTypes.createStructType(List.of(
      DataTypes.createStructField("cluster_id", DataTypes.LongType, false),
      DataTypes.createStructField("carried", DataTypes.StringType, true)));

  private Recluster() {}

  /** Reclusters the library at `root` as run `runId`; returns the committed `library_runs` row's values. */
  public static Map<String, Object> run(SparkSession spark, String root, String runId, GraphClustering.Params p,
      boolean unlock) {
    Library probe = new Library(spark, root);
    List<Row> runs = RunLog.runs(probe);
    if (runs.isEmpty()) {
      throw new LibraryException("the library " + root + " has no committed run: nothing to recluster");
    }
    String embedder = runs.get(0).getString(runs.get(0).fieldIndex("embedder"));
    String sha = runs.get(0).getString(runs.get(0).fieldIndex("embedder_sha256"));
    try (LibraryRun open = LibraryRun.open(spark, root, runId, embedder, sha, unlock)) {
      return open.recluster(p);
    }
  }

  /** The name of the embedder the library at `root` is bound to (its first committed run's). */
  public static String embedder(SparkSession spark, String root) {
    List<Row> runs = RunLog.runs(new Library(spark, root));
    if (runs.isEmpty()) {
      throw new LibraryException("the library " + root + " has no committed run: nothing to recluster");
    }
    return runs.get(0).getString(runs.get(0).fieldIndex("embedder"));
  }

  /** What a recluster writes: faces and persons rows and the counts of its `library_runs` row. */
  record Changes(Map<String, Dataset<Row>> rows, Map<String, Object> counts) {}

  static Changes changes(Library lib, GraphClustering.Params p, String runId, java.util.function.Function<Dataset<Row>,
      Dataset<Row>> keep) {
    SparkSession spark = lib.spark();
    Dataset<Row> faces = keep.apply(lib.faces());
    Dataset<Row> persons = keep.apply(lib.read(LibrarySchemas.PERSONS));
    long t0 = System.nanoTime();
    GraphClustering.Result g = GraphClustering.run(faces.select("face_id", "embedding", "path"), p);
    Dataset<Row> members = keep.apply(g.clusters().join(faces.select("face_id", "person_id", "assignment"), "face_id"));
    long clusterMs = (System.nanoTime() - t0) / 1_000_000;

    // (cluster, old person, faces) and the clusters' sizes and seeds: small, to the driver, walked in order.
    Dataset<Row> real = members.filter(col("cluster_id").notEqual(GraphClustering.NOISE));
    List<Row> sizes = real.groupBy("cluster_id").agg(count("*").as("n"), min("face_id").as("seed")).collectAsList();
    Map<Long, List<Row>> votes = new HashMap<>();
    for (Row v : real.filter(col("person_id").isNotNull()).groupBy("cluster_id", "person_id")
        .agg(count("*").as("n")).collectAsList()) {
      votes.computeIfAbsent(v.getLong(0), k -> new ArrayList<>()).add(v);
    }
    List<Row> order = new ArrayList<>(sizes);
    order.sort(Comparator.<Row>comparingLong(r -> -r.getLong(1)).thenComparing(r -> r.getString(2)));
    Set<String> taken = new HashSet<>();
    List<Row> carried = new ArrayList<>();
    for (Row c : order) {
      String best = null;
      long bestN = 0;
      for (Row v : votes.getOrDefault(c.getLong(0), List.of())) {
        String id = v.getString(1);
        long n = v.getLong(2);
        if (!taken.contains(id) && (n > bestN || (n == bestN && id.compareTo(best) < 0))) {
          best = id;
          bestN = n;
        }
      }
      if (best != null) {
        taken.add(best);
      }
      carried.add(RowFactory.create(c.getLong(0), best));
    }
    Dataset<Row> seeds = spark.createDataFrame(sizes, DataTypes.createStructType(List.of(
        DataTypes.createStructField("cluster_id", DataTypes.LongType, false),
        DataTypes.createStructField("n", DataTypes.LongType, false),
        DataTypes.createStructField("seed", DataTypes.StringType, false)))).select("cluster_id", "seed");
    Dataset<Row> ids = spark.createDataFrame(carried, CARRIED)
        .join(PersonAssignment.newIds(seeds, persons, runId), "cluster_id")
        .select(col("cluster_id"), col("carried"),
            org.apache.spark.sql.functions.coalesce(col("carried"), col("new_id")).as("new_person"));

    Dataset<Row> placed = members.join(ids, "cluster_id", "left").select(col("face_id"),
        when(col("assignment").equalTo(LibrarySchemas.USER), col("person_id")).otherwise(col("new_person"))
            .as("np"),
        when(col("assignment").equalTo(LibrarySchemas.USER), lit(LibrarySchemas.USER))
            .when(col("new_person").isNotNull(), lit(LibrarySchemas.AUTO)).as("na"),
        when(col("assignment").equalTo(LibrarySchemas.USER).or(col("new_person").isNotNull()), lit(null))
            .otherwise(lit(PersonAssignment.NO_MATCH)).as("nr"));
    Dataset<Row> after = keep.apply(faces.join(placed, "face_id")
        .withColumn("assigned_run", when(col("np").eqNullSafe(col("person_id"))
            .and(col("na").eqNullSafe(col("assignment"))), col("assigned_run")).otherwise(lit(runId)))
        .drop("person_id", "assignment", "reason")
        .withColumnRenamed("np", "person_id").withColumnRenamed("na", "assignment").withColumnRenamed("nr", "reason"));

    // Old persons: kept (their id still holds faces), merged (not kept, most of their faces under another id),
    // split (kept, and some of their faces under another id). Every old and new id gets its persons row.
    Dataset<Row> moves = keep.apply(faces.filter(col("person_id").isNotNull()).select(col("face_id"),
            col("person_id").as("old"))
        .join(after.select(col("face_id"), col("person_id").as("now")), "face_id")
        .groupBy("old", "now").agg(count("*").as("n")));
    Set<String> kept = new HashSet<>(after.filter(col("person_id").isNotNull()).select("person_id").distinct()
        .join(persons.select("person_id"), "person_id").as(Encoders.STRING()).collectAsList());
    Map<String, String> mergedInto = new HashMap<>();
    Map<String, Long> mergedN = new HashMap<>();
    Set<String> split = new HashSet<>();
    for (Row m : moves.collectAsList()) {
      String old = m.getString(0);
      String now = m.isNullAt(1) ? null : m.getString(1);
      long n = m.getLong(2);
      if (now == null || now.equals(old)) {
        continue;
      }
      if (kept.contains(old)) {
        split.add(old);
      } else if (n > mergedN.getOrDefault(old, 0L) || (n == mergedN.get(old) && now.compareTo(mergedInto.get(old)) < 0)) {
        mergedInto.put(old, now);
        mergedN.put(old, n);
      }
    }
    Dataset<Row> touched = persons.select("person_id")
        .unionByName(after.filter(col("person_id").isNotNull()).select("person_id")).distinct();
    List<Row> merges = mergedInto.entrySet().stream().map(e -> RowFactory.create(e.getKey(), e.getValue())).toList();
    Dataset<Row> personRows = PersonRows.of(touched, after, persons, runId)
        .join(spark.createDataFrame(merges, DataTypes.createStructType(List.of(
            DataTypes.createStructField("person_id", DataTypes.StringType, false),
            DataTypes.createStructField("merged_to", DataTypes.StringType, false)))), "person_id", "left")
        .withColumn("merged_into", org.apache.spark.sql.functions.coalesce(col("merged_to"), col("merged_into")))
        .drop("merged_to");
    long oldPersons = persons.filter(col("face_count").gt(0)).count();
    long newIds = after.filter(col("person_id").isNotNull()).select("person_id").distinct().except(
        persons.select("person_id")).count();
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("images_added", 0L);
    counts.put("images_known", 0L);
    counts.put("faces_added", 0L);
    counts.put("joined_existing", 0L);
    counts.put("new_persons", newIds);
    counts.put("faces_in_new_persons", after.filter(col("person_id").isNotNull())
        .join(persons.select("person_id"), "person_id", "left_anti").count());
    counts.put("unassigned", after.filter(col("person_id").isNull()).count());
    counts.put("ambiguous", 0L);
    counts.put("persons_kept", (long) kept.size());
    counts.put("persons_merged", (long) mergedInto.size());
    counts.put("persons_split", (long) split.size());
    counts.put("library_faces", after.count());
    counts.put("library_persons", persons.count() + newIds);
    counts.put("match_ms", 0L);
    counts.put("cluster_ms", clusterMs);
    LOG.info("library {}: recluster {} of {} persons with faces: {}", lib.root(), runId, oldPersons, counts);
    g.clusters().unpersist();
    Map<String, Dataset<Row>> rows = new LinkedHashMap<>();
    rows.put(LibrarySchemas.FACES, after);
    rows.put(LibrarySchemas.PERSONS, personRows);
    return new Changes(rows, counts);
  }
}
