package io.facecluster.library;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.facecluster.cluster.GraphClustering;
import io.facecluster.cluster.IvfKnn;
import io.facecluster.output.LibrarySchemas;
import io.facecluster.output.Schemas;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's work on the person library, in the order the run needs it: {@link #open} (lock, embedder check,
 * recovery of a killed commit, a rerun put back), {@link #knownImages} (so that extraction skips them),
 * {@link #update} (match, pool, new persons: computed, nothing written), {@link #commit} (the tables, then the
 * `library_runs` row), {@link #close} (the lock). The per-run Parquet tables stay the run's business.
 */
public final class LibraryRun implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LibraryRun.class);

  private final Library lib;
  private final String runId;
  private final String embedder;
  private final String embedderSha256;
  private final LibraryLock lock;
  private final RunLog.Start start;
  private final String started = Instant.now().toString();
  private Map<String, Dataset<Row>> rows;
  /** The tables {@link #commit} replaces whole rather than merges (the index and the faces when retrained). */
  private java.util.Set<String> replace = java.util.Set.of();
  /** Everything this run persisted: unpersisted on close, so that no later run meets its rows in the cache. */
  private final java.util.List<Dataset<Row>> cached = new java.util.ArrayList<>();
  private Map<String, Object> counts;

  private LibraryRun(Library lib, String runId, String embedder, String embedderSha256, LibraryLock lock,
      RunLog.Start start) {
    this.lib = lib;
    this.runId = runId;
    this.embedder = embedder;
    this.embedderSha256 = embedderSha256;
    this.lock = lock;
    this.start = start;
  }

  /** {@link #open(SparkSession, String, String, String, String, boolean)} without removing a stale lock. */
  public static LibraryRun open(SparkSession spark, String root, String runId, String embedder,
      String embedderSha256) {
    return open(spark, root, runId, embedder, embedderSha256, false);
  }

  /**
   * Takes the library's lock (or fails, naming its holder) and brings the library to its last commit. `unlock`
   * first removes a lock a killed run left; a lock held by the same run id is a killed attempt of this run (an
   * Airflow retry) and is taken over.
   */
  public static LibraryRun open(SparkSession spark, String root, String runId, String embedder,
      String embedderSha256, boolean unlock) {
    Library lib = new Library(spark, root);
    LibraryLock lock = lock(spark.sparkContext().hadoopConfiguration(), lib.root(), runId, unlock);
    try {
      RunLog.Start start = RunLog.prepare(lib, runId, embedder, embedderSha256);
      LOG.info("library {}: run {} starts from versions {}{}", lib.root(), runId, start.versions(),
          start.rolledBack() == null ? "" : " (restored: " + start.rolledBack() + ")");
      return new LibraryRun(lib, runId, embedder, embedderSha256, lock, start);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static LibraryLock lock(org.apache.hadoop.conf.Configuration conf, String root, String runId,
      boolean unlock) {
    java.util.Optional<LibraryLock.Holder> holder = LibraryLock.holder(conf, root);
    if (holder.isPresent() && (unlock || holder.get().runId().equals(runId))) {
      LOG.warn("library {}: removing the lock of run {} (host {}, since {}): {}", root, holder.get().runId(),
          holder.get().host(), holder.get().since(), unlock ? "--library-unlock" : "a killed attempt of this run id");
      LibraryLock.forceUnlock(conf, root);
    }
    return LibraryLock.acquire(conf, root, runId);
  }

  /** This run's committed `library_runs` row, read back from the table (summary.json's numbers). */
  public Map<String, Object> committedRow() {
    Row r = lib.read(LibrarySchemas.RUNS).filter(col("run_id").equalTo(runId)).first();
    Map<String, Object> m = new LinkedHashMap<>();
    for (String f : r.schema().fieldNames()) {
      Object v = r.get(r.fieldIndex(f));
      m.put(f, v instanceof scala.collection.Map<?, ?> ? r.getJavaMap(r.fieldIndex(f)) : v);
    }
    return m;
  }

  public Library library() {
    return lib;
  }

  /** The content hashes (image_sha256) of every image already in the library. */
  public Dataset<Row> knownImages() {
    return lib.read(LibrarySchemas.IMAGES).select("image_sha256");
  }

  /**
   * Works out the run's changes: images (path, sha256, status, face_count of this run), faces (the run's faces
   * table rows, gate null = ungated). Returns face_id, person_id for the run's ungated faces (the clusters
   * table's person_id). Gated faces stay out of the library, as they stay out of the run's clusters.
   */
  public Dataset<Row> update(Dataset<Row> images, Dataset<Row> faces, GraphClustering.Params params) {
    // The library's faces are read by each step with the columns it needs, not cached whole: at a million faces
    // their embeddings alone are half a gigabyte. Only the unassigned ones (the pool) are kept.
    Dataset<Row> libFaces = lib.faces();
    Dataset<Row> unassigned = keep(libFaces.filter(col("person_id").isNull()));
    Dataset<Row> persons = keep(lib.read(LibrarySchemas.PERSONS));
    IvfKnn.Index index = LibraryIndex.read(lib);
    Dataset<Row> newImages = images
        .filter(col("status").isin(Schemas.OK, Schemas.NO_FACE).and(col("sha256").isNotNull()))
        .groupBy(col("sha256").as("image_sha256"))
        .agg(min(org.apache.spark.sql.functions.struct("path", "status", "face_count")).as("i"))
        .select(col("image_sha256"), col("i.path").as("path"), col("i.status").as("status"),
            col("i.face_count").as("face_count"), lit(runId).as("run_id"));
    Dataset<Row> newFaces = keep(faces.filter(col("gate").isNull())
        .join(images.select(col("path"), col("sha256").as("image_sha256")), "path")
        .select("face_id", "image_sha256", "path", "box", "landmarks", "score", "embedding"));

    PersonAssignment.Result r = PersonAssignment.assign(newFaces, libFaces.filter(col("person_id").isNotNull()),
        unassigned, persons.select("person_id"), params, runId, index);
    Dataset<Row> a = r.assignments();
    Dataset<Row> added = LibraryIndex.withCells(newFaces.join(a, "face_id").withColumn("run_id", lit(runId)), index);
    Dataset<Row> pooled = unassigned.drop("person_id", "reason", "assignment", "assigned_run").join(a, "face_id");
    Dataset<Row> changed = keep(added.unionByName(pooled.select(LibraryCommit.cols(added.columns())))
        .withColumn("assignment", when(col("person_id").isNotNull(), lit(LibrarySchemas.AUTO)))
        .withColumn("assigned_run", lit(runId)));
    Dataset<Row> after = PersonRows.after(libFaces.select("face_id", "person_id", "score"), changed);
    Dataset<Row> touched = changed.filter(col("person_id").isNotNull()).select("person_id").distinct();
    Dataset<Row> personRows = keep(PersonRows.of(touched, after, persons, runId));
    cached.add(a);

    // One pass over the changed faces: every new face and every face that was unassigned is among them, so the
    // library's unassigned faces after the run are theirs; its size is its count before (Delta answers it from
    // its log) plus the faces added.
    long before = libFaces.count();
    Row c = changed.agg(
        sum(when(col("run_id").equalTo(runId), 1).otherwise(0)).as("faces_added"),
        sum(when(col("run_id").equalTo(runId).and(col("person_id").isNotNull()).and(not(col("is_new"))), 1)
            .otherwise(0)).as("joined_existing"),
        countDistinct(when(col("is_new"), col("person_id"))).as("new_persons"),
        sum(when(col("is_new"), 1).otherwise(0)).as("faces_in_new_persons"),
        sum(when(col("reason").equalTo(PersonAssignment.AMBIGUOUS), 1).otherwise(0)).as("ambiguous"),
        sum(when(col("person_id").isNull(), 1).otherwise(0)).as("none")).first();
    long libraryFaces = before + longOf(c, 0);
    counts = new LinkedHashMap<>();
    counts.put("images_added", newImages.count());
    counts.put("images_known", images.filter(col("status").equalTo(Schemas.KNOWN)).count());
    counts.put("faces_added", longOf(c, 0));
    counts.put("joined_existing", longOf(c, 1));
    counts.put("new_persons", longOf(c, 2));
    counts.put("faces_in_new_persons", longOf(c, 3));
    counts.put("unassigned", longOf(c, 5));
    counts.put("ambiguous", longOf(c, 4));
    counts.put("persons_kept", 0L);
    counts.put("persons_merged", 0L);
    counts.put("persons_split", 0L);
    counts.put("library_faces", libraryFaces);
    counts.put("library_persons", persons.count() + longOf(c, 2));
    counts.put("match_ms", ((Number) r.stats().get("match_ms")).longValue());
    counts.put("cluster_ms", ((Number) r.stats().get("cluster_ms")).longValue());
    LOG.info("library {}: run {}: {}; search {}", lib.root(), runId, counts, r.stats().get("match_search"));

    rows = new LinkedHashMap<>();
    rows.put(LibrarySchemas.IMAGES, newImages);
    Dataset<Row> faceRows = changed.drop("is_new");
    if (LibraryIndex.due(index, libraryFaces, params.search())) {
      // Train on the library as it will be, then every face gets its cell: one rewrite of library_faces, laid
      // out by cell so that a small run's probes skip the files of other cells.
      long t0 = System.nanoTime();
      Dataset<Row> all = PersonRows.after(libFaces, faceRows);
      IvfKnn.Index trained = LibraryIndex.train(all, libraryFaces, params.search());
      int files = (int) Math.max(1, libraryFaces / 100_000);
      rows.put(LibrarySchemas.INDEX, LibraryIndex.rows(lib.spark(), trained, runId));
      rows.put(LibrarySchemas.FACES, LibraryIndex.withCells(all, trained)
          .repartitionByRange(files, col("cell")).sortWithinPartitions("cell", "face_id"));
      replace = java.util.Set.of(LibrarySchemas.INDEX, LibrarySchemas.FACES);
      LOG.info("library {}: run {}: index of {} cells trained on {} faces in {} ms ({})", lib.root(), runId,
          trained.cells(), libraryFaces, (System.nanoTime() - t0) / 1_000_000,
          index == null ? "the library outgrew exact search" : "the library outgrew its " + index.cells() + " cells");
    } else {
      rows.put(LibrarySchemas.FACES, faceRows);
      replace = java.util.Set.of();
    }
    rows.put(LibrarySchemas.PERSONS, personRows);
    return added.select("face_id", "person_id");
  }

  /** `recluster`: every library face clustered again, ids carried over ({@link Recluster}); then the commit. */
  Map<String, Object> recluster(GraphClustering.Params params) {
    Recluster.Changes c = Recluster.changes(lib, params, runId, this::keep);
    return commit(lib, c.rows(), java.util.Set.of(), c.counts(), start, runId, "recluster", embedder,
        embedderSha256, started);
  }

  /** What {@link #update} counted (faces added, joined, new persons, ...): the `library_runs` row's numbers. */
  public Map<String, Object> counts() {
    return counts;
  }

  /** Writes the changes, then the run's row; returns that row's values. */
  public Map<String, Object> commit() {
    if (rows == null) {
      throw new IllegalStateException("commit before update");
    }
    return commit(lib, rows, replace, counts, start, runId, "run", embedder, embedderSha256, started);
  }

  static Map<String, Object> commit(Library lib, Map<String, Dataset<Row>> rows, java.util.Set<String> replace,
      Map<String, Object> counts, RunLog.Start start, String runId, String command, String embedder, String embedderSha256, String started) {
    long t0 = System.nanoTime();
    Map<String, Long> after = LibraryCommit.write(lib, rows, replace);
    long runsBefore = start.versions().get(LibrarySchemas.RUNS);
    after.put(LibrarySchemas.RUNS, runsBefore == Library.ABSENT ? 0 : runsBefore + 1);
    Map<String, Object> v = new LinkedHashMap<>(counts);
    v.put("seq", start.seq());
    v.put("run_id", runId);
    v.put("command", command);
    v.put("embedder", embedder);
    v.put("embedder_sha256", embedderSha256);
    v.put("started", started);
    v.put("committed", Instant.now().toString());
    v.put("commit_ms", (System.nanoTime() - t0) / 1_000_000);
    v.put("versions_before", start.versions());
    v.put("versions_after", after);
    LibraryCommit.appendRun(lib, LibraryCommit.runRow(v));
    return v;
  }

  /** A count of an aggregate row (sum over no rows is null). */
  private static long longOf(Row r, int i) {
    return r.isNullAt(i) ? 0 : ((Number) r.get(i)).longValue();
  }

  private Dataset<Row> keep(Dataset<Row> rows) {
    cached.add(rows);
    return rows.persist(StorageLevel.MEMORY_AND_DISK());
  }

  @Override
  public void close() {
    cached.forEach(Dataset::unpersist);
    lock.close();
  }
}
