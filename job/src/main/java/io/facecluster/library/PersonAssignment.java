package io.facecluster.library;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import io.facecluster.cluster.CrossKnn;
import io.facecluster.cluster.GraphClustering;
import io.facecluster.cluster.IvfKnn;
import io.facecluster.cluster.KnnSearch;
import io.facecluster.cluster.StoredCellSearch;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * Who each new face is (docs/library.md, "A run with --library"):
 * <ol>
 *   <li><b>match</b>: a new face's `knn` nearest assigned library faces with cosine >= the threshold
 *       ({@link StoredCellSearch} in the library's stored index, or {@link CrossKnn}: new faces against the
 *       library, never all pairs over both) are its links; it joins the
 *       person whose linked faces have the highest mean cosine, unless a second person's mean is within
 *       {@link #AMBIGUITY_MARGIN}: then it stays unassigned, reason `ambiguous` (joining two persons is a
 *       user's correction, not an automatic step);
 *   <li><b>pool</b>: all new faces and the library's unassigned faces are clustered by the graph method; in
 *       each component, faces without a direct match follow the person most of the component's matched faces
 *       joined (a tie: `ambiguous`), so that a person's new faces that only link to each other still join it;
 *   <li><b>new persons</b>: a component (of at least cluster.min-size faces) with no matched face becomes a
 *       person whose id is `p-` + 16 hex digits of sha256 of its smallest face_id; components below min-size
 *       stay unassigned (`no_match`) and are pooled again by the next run.
 * </ol>
 * Ids come from content: the same faces give the same persons in any order or partitioning.
 */
public final class PersonAssignment {
  /** Two persons whose mean link cosines differ by less than this both claim a face: it stays unassigned. */
  public static final double AMBIGUITY_MARGIN = 0.02;
  public static final String AMBIGUOUS = "ambiguous";
  public static final String NO_MATCH = "no_match";

  /**
   * face_id, person_id (null: unassigned), reason (null when assigned), is_new (a new person's id) for every
   * new face and every library face that was unassigned; and counts of what happened.
   */
  public record Result(Dataset<Row> assignments, Map<String, Object> stats) {}

  private PersonAssignment() {}

  /**
   * @param newFaces face_id, path, embedding of the run's (ungated) faces
   * @param assignedFaces the library's faces that hold a person (schema LIBRARY_FACES); read once, by the search
   * @param unassignedFaces the library's faces that hold none (face_id, path, embedding): pooled with the new ones
   * @param personIds every person id ever issued (person_id column), so that a new id is never a reused one
   * @param index the library's stored index (null: none; the library is searched as {@link CrossKnn} does)
   */
  public static Result assign(Dataset<Row> newFaces, Dataset<Row> assignedFaces, Dataset<Row> unassignedFaces,
      Dataset<Row> personIds, GraphClustering.Params p, String runId, IvfKnn.Index index) {
    Map<String, Object> stats = new LinkedHashMap<>();
    Dataset<Row> fresh = newFaces.select("face_id", "path", "embedding");
    int k = p.knn() == 0 ? Integer.MAX_VALUE : p.knn();
    long t0 = System.nanoTime();
    Map<String, Object> search = new LinkedHashMap<>();
    Dataset<Row> links;
    Dataset<Row> cached = null;
    if (index != null && p.search().mode() != KnnSearch.Mode.EXACT) {
      links = StoredCellSearch.search(fresh, assignedFaces, index, p.search().ivf().probes(), k,
          (float) p.threshold(), StoredCellSearch.BROADCAST_LIMIT, search);
    } else {
      Dataset<Row> assigned = assignedFaces.select("face_id", "path", "embedding", "person_id");
      cached = CrossKnn.search(fresh, assigned, k, (float) p.threshold(), p.search(), search);
      links = cached.join(assigned.select(col("face_id").as("neighbour_id"), col("person_id")), "neighbour_id");
    }
    stats.put("match_search", search);
    Dataset<Row> match = match(links).persist(StorageLevel.MEMORY_AND_DISK());
    stats.put("links", match.count());
    stats.put("match_ms", (System.nanoTime() - t0) / 1_000_000);

    long t1 = System.nanoTime();
    Dataset<Row> pool = fresh.unionByName(unassignedFaces.select("face_id", "path", "embedding"));
    GraphClustering.Result clustered = GraphClustering.run(pool, p);
    stats.put("pool_graph", clustered.stats());
    Dataset<Row> members = clustered.clusters().join(match, "face_id", "left");
    Dataset<Row> result = follow(members, personIds, runId).persist(StorageLevel.MEMORY_AND_DISK());
    result.count();
    clustered.clusters().unpersist();
    match.unpersist();
    if (cached != null) {
      cached.unpersist();
    }
    stats.put("cluster_ms", (System.nanoTime() - t1) / 1_000_000);
    return new Result(result, stats);
  }

  /**
   * Links face_id, neighbour_id, person_id, sim -> per new face: its best person by mean link cosine (match), and
   * whether a second person is as close (ambiguous).
   */
  static Dataset<Row> match(Dataset<Row> links) {
    Dataset<Row> byPerson = links.filter(col("person_id").isNotNull())
        .groupBy("face_id", "person_id").agg(avg("sim").as("mean"));
    Dataset<Row> ranked = byPerson.withColumn("rank", row_number().over(
        Window.partitionBy("face_id").orderBy(col("mean").desc(), col("person_id"))));
    Column first = col("rank").equalTo(1);
    return ranked.filter(col("rank").leq(2)).groupBy("face_id").agg(
            max(when(first, col("person_id"))).as("match"),
            max(when(first, col("mean"))).as("m1"),
            max(when(col("rank").equalTo(2), col("mean"))).as("m2"))
        .select(col("face_id"), col("match"),
            col("m2").isNotNull().and(col("m1").minus(col("m2")).lt(AMBIGUITY_MARGIN)).as("ambiguous"));
  }

  /**
   * Rows face_id, cluster_id, match, ambiguous (null match: no link) -> face_id, person_id, reason, is_new: the
   * direct match, else the component's majority person, else a new person for a component without one.
   */
  static Dataset<Row> follow(Dataset<Row> members, Dataset<Row> personIds, String runId) {
    Column direct = col("match").isNotNull().and(col("ambiguous").equalTo(false));
    Dataset<Row> votes = members.filter(direct.and(col("cluster_id").notEqual(GraphClustering.NOISE)))
        .groupBy("cluster_id", "match").agg(count("*").as("n"))
        .withColumn("rank", row_number().over(
            Window.partitionBy("cluster_id").orderBy(col("n").desc(), col("match"))));
    Dataset<Row> winners = votes.filter(col("rank").leq(2)).groupBy("cluster_id").agg(
            max(when(col("rank").equalTo(1), col("match"))).as("winner"),
            max(when(col("rank").equalTo(1), col("n"))).as("n1"),
            max(when(col("rank").equalTo(2), col("n"))).as("n2"))
        .select(col("cluster_id"), when(col("n2").isNull().or(col("n1").gt(col("n2"))), col("winner")).as("winner"),
            col("n2").isNotNull().and(col("n1").equalTo(col("n2"))).as("tie"));
    Dataset<Row> newIds = newIds(members.filter(col("cluster_id").notEqual(GraphClustering.NOISE))
        .groupBy("cluster_id").agg(min("face_id").as("seed")), personIds, runId);
    Dataset<Row> joined = members.join(winners, "cluster_id", "left").join(newIds, "cluster_id", "left");
    Column noise = col("cluster_id").equalTo(GraphClustering.NOISE);
    Column person = when(direct, col("match"))
        .when(col("match").isNotNull(), lit(null))
        .when(noise, lit(null))
        .when(col("winner").isNotNull(), col("winner"))
        .when(coalesce(col("tie"), lit(false)), lit(null))
        .otherwise(col("new_id"));
    Column reason = when(direct, lit(null))
        .when(col("match").isNotNull(), lit(AMBIGUOUS))
        .when(noise, lit(NO_MATCH))
        .when(col("winner").isNotNull(), lit(null))
        .when(coalesce(col("tie"), lit(false)), lit(AMBIGUOUS))
        .otherwise(lit(null));
    Column isNew = col("match").isNull().and(org.apache.spark.sql.functions.not(noise)).and(col("winner").isNull())
        .and(coalesce(col("tie"), lit(false)).equalTo(false));
    return joined.select(col("face_id"), person.cast("string").as("person_id"), reason.cast("string").as("reason"),
        isNew.as("is_new"));
  }

  /**
   * cluster_id, seed (its smallest face_id) -> cluster_id, new_id: `p-` + sha256 of the seed; an id already
   * issued (possible only after a recluster or correction freed that face) takes the run id into the hash
   * instead, so that ids are never reused.
   */
  static Dataset<Row> newIds(Dataset<Row> seeds, Dataset<Row> personIds, String runId) {
    Dataset<Row> taken = personIds.select(col("person_id").as("candidate")).withColumn("taken", lit(true));
    return seeds.withColumn("candidate", personId(col("seed"))).join(taken, "candidate", "left")
        .select(col("cluster_id"), when(col("taken").isNull(), col("candidate"))
            .otherwise(personId(concat(col("seed"), lit("/" + runId)))).as("new_id"));
  }

  /** `p-` and the first 16 hex digits of sha256 of the seed. */
  static Column personId(Column seed) {
    return concat(lit("p-"), substring(sha2(seed, 256), 1, 16));
  }
}
