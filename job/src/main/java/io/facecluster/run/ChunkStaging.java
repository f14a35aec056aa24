package io.facecluster.run;

import io.facecluster.output.RunTables;
import io.facecluster.output.SummaryWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's extraction chunks while it is under way: `<output>/_chunks/run_id=<id>/chunk=<n>/` holds a chunk's
 * per-image rows (Parquet), and `chunk=<n>/_COMMITTED` says they are whole. The marker is written after the
 * chunk's data is committed, so a kill between the two only costs that chunk. `_`-prefixed folders are
 * skipped by Spark's and the notebooks' readers of `<output>`. The marker names the plan it belongs to (the
 * number of chunks and the chunk's image count): a resumed run whose input or `--chunk-images` changed
 * finds no matching marker and redoes those chunks instead of mixing two inputs.
 */
final class ChunkStaging {
  static final String FOLDER = "_chunks";
  static final String MARKER = "_COMMITTED";

  private final Configuration conf;
  private final Path root;

  ChunkStaging(Configuration conf, String output, String runId) {
    this.conf = conf;
    this.root = new Path(RunTables.path(output, FOLDER + "/run_id=" + runId));
  }

  String root() {
    return root.toString();
  }

  String data(int chunk) {
    return new Path(root, "chunk=" + chunk).toString();
  }

  /** True when the chunk's marker exists and was written for the same plan. */
  boolean committed(int chunk, int chunks, long images) {
    Path marker = new Path(data(chunk), MARKER);
    try {
      FileSystem fs = marker.getFileSystem(conf);
      if (!fs.exists(marker)) {
        return false;
      }
      try (InputStream in = fs.open(marker)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).equals(markerText(chunk, chunks, images));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the chunk marker " + marker + ": " + e.getMessage(), e);
    }
  }

  /** Written after the chunk's Parquet files are committed. */
  void commit(int chunk, int chunks, long images) {
    SummaryWriter.writeBytes(conf, new Path(data(chunk), MARKER).toString(),
        markerText(chunk, chunks, images).getBytes(StandardCharsets.UTF_8));
  }

  /** Removes the run's staging: before a fresh (not resumed) run, and after its commit marker. */
  void delete() {
    try {
      FileSystem fs = root.getFileSystem(conf);
      if (fs.exists(root) && !fs.delete(root, true)) {
        throw new IOException("delete returned false");
      }
      // `_chunks/` itself goes when no other run id has chunks left in it: a finished run leaves no staging.
      Path parent = root.getParent();
      if (fs.exists(parent) && fs.listStatus(parent).length == 0) {
        fs.delete(parent, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the chunk staging " + root + ": " + e.getMessage(), e);
    }
  }

  private static String markerText(int chunk, int chunks, long images) {
    return "{\"chunk\": " + chunk + ", \"chunks\": " + chunks + ", \"images\": " + images + "}\n";
  }
}
