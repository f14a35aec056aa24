package io.facecluster.run;

import io.facecluster.output.RunSummary;
import io.facecluster.output.RunTables;
import io.facecluster.output.SummaryWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run is committed when `<output>/runs/run_id=<id>/summary.json` exists: it is written last, after every
 * table and the report. Readers (notebooks, "latest") list runs by their markers, so a run that died midway,
 * or one a quality gate stopped, is never seen as a finished run. A rerun of an id withdraws the old marker
 * before it touches a table. (A chunked run keeps its progress apart, under `_chunks/run_id=<id>/`: see
 * run/ChunkStaging.)
 */
public final class RunMarker {
  public static final String FILE = "summary.json";

  private RunMarker() {}

  public static String path(String output, String runId) {
    return RunTables.runFile(output, runId, FILE);
  }

  /** Deletes the run's marker, if any: from here on the run is not committed until {@link #commit}. */
  static void withdraw(Configuration conf, String output, String runId) {
    Path p = new Path(path(output, runId));
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (fs.exists(p) && !fs.delete(p, false)) {
        throw new IOException("delete returned false");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot withdraw the commit marker " + p + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the marker whole: to a temporary name in the same folder, then renamed (atomic on local and HDFS
   * file systems; S3A objects appear whole on close anyway). Returns its path.
   */
  static String commit(Configuration conf, RunSummary summary) {
    Path p = new Path(path(summary.output(), summary.runId()));
    Path tmp = new Path(p.getParent(), "_" + FILE + ".tmp");
    SummaryWriter.writeBytes(conf, tmp.toString(), summary.toJson().getBytes(StandardCharsets.UTF_8));
    try {
      FileSystem fs = p.getFileSystem(conf);
      fs.delete(p, false);
      if (!fs.rename(tmp, p)) {
        throw new IOException("rename from " + tmp + " returned false");
      }
      return p.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the commit marker " + p + ": " + e.getMessage(), e);
    }
  }
}
