package io.facecluster.library;

import io.facecluster.output.LibrarySchemas;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library's own record of committed runs (`library_runs`), and what a writer does with it before it
 * writes: refuse another embedder, undo a killed run's partial commit, and put a rerun of the last run's id
 * back before that run. Called under the library lock, so nothing else moves the versions meanwhile.
 */
final class RunLog {
  private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);

  /** The library as the new run starts from it: the next sequence number and each table's version. */
  record Start(long seq, Map<String, Long> versions, String rolledBack) {}

  private RunLog() {}

  /** The committed runs, oldest first (one small row per run: read to the driver). */
  static List<Row> runs(Library lib) {
    return lib.read(LibrarySchemas.RUNS).collectAsList().stream()
        .sorted(Comparator.comparingLong(r -> r.getLong(r.fieldIndex("seq")))).toList();
  }

  /**
   * Checks the embedder binding, then brings every table to the last committed run's versions (a run killed
   * between two of its table commits leaves later versions behind) and, when `runId` is that last run, to the
   * versions before it (a rerun replaces it). A run id committed before other runs cannot be redone.
   */
  static Start prepare(Library lib, String runId, String embedder, String embedderSha256) {
    List<Row> runs = runs(lib);
    if (!runs.isEmpty()) {
      Row first = runs.get(0);
      String boundName = first.getString(first.fieldIndex("embedder"));
      String boundSha = first.getString(first.fieldIndex("embedder_sha256"));
      if (!boundSha.equals(embedderSha256)) {
        throw new LibraryException("the library " + lib.root() + " holds embeddings of '" + boundName
            + "' (sha256 " + boundSha + "); this run embeds with '" + embedder + "' (sha256 " + embedderSha256
            + "): embeddings of two models cannot be compared. Use the library's embedder or a new --library");
      }
    }
    Row last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
    Map<String, Long> committed = last == null ? null : last.getJavaMap(last.fieldIndex("versions_after"));
    String rolledBack = null;
    for (String table : LibrarySchemas.COMMIT_ORDER) {
      // A table the row does not name did not exist then (the index came later than the first libraries).
      long want = committed == null ? Library.ABSENT : committed.getOrDefault(table, Library.ABSENT);
      long now = lib.version(table);
      if (now != want) {
        LOG.warn("library {}: table {} is at version {} but the last committed run left it at {}: a run was "
            + "killed during its commit; restoring", lib.root(), table, now, want);
        lib.restore(table, want);
        rolledBack = "partial commit";
      }
    }
    if (last != null && last.getString(last.fieldIndex("run_id")).equals(runId)) {
      Map<String, Long> before = last.getJavaMap(last.fieldIndex("versions_before"));
      LOG.info("library {}: run {} is its last committed run; restoring the versions before it to run it again",
          lib.root(), runId);
      for (String table : LibrarySchemas.COMMIT_ORDER) {
        lib.restore(table, before.getOrDefault(table, Library.ABSENT));
      }
      rolledBack = "rerun of " + runId;
    } else if (runs.stream().anyMatch(r -> r.getString(r.fieldIndex("run_id")).equals(runId))) {
      throw new LibraryException("run id " + runId + " is already committed in the library " + lib.root()
          + " and later runs built on it: only the last run can be run again; pick a new --run-id");
    }
    long seq = runs.isEmpty() ? 1 : runs.stream().mapToLong(r -> r.getLong(r.fieldIndex("seq"))).max().getAsLong()
        + (rolledBack != null && rolledBack.startsWith("rerun") ? 0 : 1);
    return new Start(seq, lib.versions(), rolledBack);
  }
}
