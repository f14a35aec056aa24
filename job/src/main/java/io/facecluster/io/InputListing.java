package io.facecluster.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The driver's part of listing a folder input: the entries of each matched folder's first level, streamed
 * into a staging file under the output ({@code <output>/_staging/run_id=<id>/input-paths.txt}) as they are
 * listed, so the driver holds one listing page at a time, never the file list (a flat S3 prefix of ten
 * million keys used to sit on the driver as a list and then as a local relation shipped with the plan).
 * Spark reads the file back; {@link #remove} deletes it when the run is over. One line per entry: {@code f}
 * (a file) or {@code d} (a folder, listed later by an executor), a tab, the path with backslash, newline and
 * carriage return escaped (a line break in a file name would otherwise split its line).
 */
final class InputListing {
  static final String STAGING = "_staging";

  /** How many entries of each kind the staging file holds. */
  record Counts(long files, long folders) {}

  private InputListing() {}

  static Path stagingFile(String output, String runId) {
    return new Path(new Path(new Path(output, STAGING), "run_id=" + runId), "input-paths.txt");
  }

  /**
   * Writes the first level of every match (a matched file is itself an entry); hidden names (".") are skipped.
   * Object stores page through listStatusIterator (S3A: fs.s3a.paging.maximum keys per request); the local
   * file system's iterator would build the whole FileStatus array first, so local folders are streamed with
   * java.nio instead.
   */
  static Counts write(Configuration conf, FileStatus[] matches, Path staging) throws IOException {
    long files = 0;
    long folders = 0;
    FileSystem out = staging.getFileSystem(conf);
    try (Writer w = new BufferedWriter(new OutputStreamWriter(out.create(staging, true), StandardCharsets.UTF_8),
        1 << 16)) {
      for (FileStatus m : matches) {
        if (!m.isDirectory()) {
          w.write(line(false, m.getPath()));
          files++;
          continue;
        }
        FileSystem fs = m.getPath().getFileSystem(conf);
        Entries entries = local(fs) ? localEntries(fs, m.getPath()) : pagedEntries(fs, m.getPath());
        try (entries) {
          for (Entry e = entries.next(); e != null; e = entries.next()) {
            if (e.path().getName().startsWith(".")) {
              continue;
            }
            w.write(line(e.folder(), e.path()));
            if (e.folder()) {
              folders++;
            } else {
              files++;
            }
          }
        }
      }
    }
    return new Counts(files, folders);
  }

  /** Deletes the run's staging folder, and {@code _staging} when no other run's is left in it. */
  static void remove(Configuration conf, String output, String runId) throws IOException {
    Path runDir = stagingFile(output, runId).getParent();
    FileSystem fs = runDir.getFileSystem(conf);
    fs.delete(runDir, true);
    Path parent = runDir.getParent();
    if (fs.exists(parent) && fs.listStatus(parent).length == 0) {
      fs.delete(parent, false);
    }
  }

  static String line(boolean folder, Path path) {
    String p = path.toString().replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    return (folder ? "d\t" : "f\t") + p + "\n";
  }

  static boolean isFolder(String line) {
    return line.startsWith("d\t");
  }

  static String path(String line) {
    String p = line.substring(2);
    if (p.indexOf('\\') < 0) {
      return p;
    }
    StringBuilder out = new StringBuilder(p.length());
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\' && i + 1 < p.length()) {
        char n = p.charAt(++i);
        out.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private record Entry(Path path, boolean folder) {}

  /** A closeable cursor over one folder's entries; next() gives null at the end. */
  private interface Entries extends AutoCloseable {
    Entry next() throws IOException;

    @Override
    void close() throws IOException;
  }

  private static boolean local(FileSystem fs) {
    return fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
  }

  private static Entries pagedEntries(FileSystem fs, Path dir) throws IOException {
    RemoteIterator<FileStatus> it = fs.listStatusIterator(dir);
    return new Entries() {
      @Override
      public Entry next() throws IOException {
        if (!it.hasNext()) {
          return null;
        }
        FileStatus st = it.next();
        return new Entry(st.getPath(), st.isDirectory());
      }

      @Override
      public void close() {}
    };
  }

  /** Paths built as the local file system's listStatus builds them, so both listings give the same strings. */
  private static Entries localEntries(FileSystem fs, Path dir) throws IOException {
    java.nio.file.Path folder = java.nio.file.Path.of(Path.getPathWithoutSchemeAndAuthority(dir).toString());
    DirectoryStream<java.nio.file.Path> stream = Files.newDirectoryStream(folder);
    var it = stream.iterator();
    Path qualified = fs.makeQualified(dir);
    return new Entries() {
      @Override
      public Entry next() {
        if (!it.hasNext()) {
          return null;
        }
        java.nio.file.Path child = it.next();
        return new Entry(new Path(qualified, new Path(null, null, child.getFileName().toString())),
            Files.isDirectory(child));
      }

      @Override
      public void close() throws IOException {
        stream.close();
      }
    };
  }
}
