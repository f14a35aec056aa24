package io.facecluster.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The person library's one-writer lock: an object {@code <root>/_facecluster_lock}, created only if absent, in one
 * atomic step, holding the run id, host, start time and a random token. Delta's log store on s3a:// assumes a single
 * driver, so a run takes this before its first library write and releases it after its last commit.
 *
 * <p>Where the create-if-absent is atomic (and why not simply {@code FileSystem.create(path, false)} everywhere):
 * <ul>
 *   <li>{@code file:} and plain local paths: {@code O_CREAT|O_EXCL} through java.nio ({@code CREATE_NEW}). Hadoop's
 *       RawLocalFileSystem checks {@code exists()} and then opens with truncation, two steps that racing runs on one
 *       machine both pass (6 and 8 of LibraryLockTest's 8 racing threads "got" the lock that way, Spark 3.5 / 4).
 *   <li>{@code hdfs:}: {@code create(path, false)}, which the NameNode decides under its namespace lock (not tested
 *       here: the tests have no HDFS).
 *   <li>{@code s3a:}: a PUT with {@code If-None-Match: *} (S3 answers 412 when the key exists). S3A's own
 *       {@code create(path, false)} is a HEAD (and LIST) and then an unconditional PUT (all 8 racing threads "got"
 *       the lock that way, on both lines). See {@link S3ConditionalPut} for how the header is sent on each Spark line.
 * </ul>
 * Other stores are refused rather than locked with a create that might not be atomic.
 *
 * <p>Failures of the create are judged by reading the lock back, whatever the store's error: someone else's token
 * means the library is held ({@link LibraryLockedException}); our own token means our write landed and only its
 * answer was lost (a retried conditional PUT then gets 412 for our own object); no lock means a real error.
 *
 * <p>The lock holds no credentials and nothing from the Hadoop configuration. Each call opens its own
 * {@link FileSystem} instance and closes it: the lock is held for hours without an open client, and the callers'
 * cached instances are never closed under them.
 */
public final class LibraryLock implements AutoCloseable {
  public static final String NAME = "_facecluster_lock";
  private static final String COMMENT = "# facecluster person library lock: the run below writes this library."
      + " If it is no longer running, remove this lock with --library-unlock.";
  /** How long a reader waits for a lock that exists but is still empty (local and HDFS show a file before its bytes). */
  private static final long READ_WAIT_MS = 5_000;

  /** Who holds a library's lock. {@code since} is the lock's start time (its modification time if unreadable). */
  public record Holder(String runId, String host, Instant since) {}

  private record Content(Holder holder, String token) {}

  private final Configuration conf;
  private final String libraryRoot;
  private final Holder holder;
  private final String token;
  private boolean released;

  private LibraryLock(Configuration conf, String libraryRoot, Holder holder, String token) {
    this.conf = conf;
    this.libraryRoot = libraryRoot;
    this.holder = holder;
    this.token = token;
  }

  /**
   * Takes the lock of the library under {@code libraryRoot} for {@code runId}.
   *
   * @throws LibraryLockedException when another run (or an earlier, killed one) holds it; nothing is written then
   * @throws UncheckedIOException when the store fails
   */
  public static LibraryLock acquire(Configuration conf, String libraryRoot, String runId) {
    if (runId == null || runId.isBlank() || runId.contains("\n") || runId.contains("\r")) {
      throw new IllegalArgumentException("a run id of one non-blank line is needed for the library lock, got '"
          + runId + "'");
    }
    Holder mine = new Holder(runId, host(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
    String token = UUID.randomUUID().toString();
    byte[] bytes = format(mine, token);
    try (FileSystem fs = open(conf, libraryRoot)) {
      Path lock = lockPath(fs, libraryRoot);
      IOException failure = null;
      // A lock that vanishes between our failed create and the read back was released just then: try again.
      for (int attempt = 0; attempt < 3; attempt++) {
        try {
          createIfAbsent(fs, lock, bytes);
          return new LibraryLock(conf, libraryRoot, mine, token);
        } catch (IOException e) {
          failure = e;
        }
        Optional<Content> current = read(fs, lock);
        if (current.isPresent()) {
          if (current.get().token().equals(token)) {
            return new LibraryLock(conf, libraryRoot, mine, token);
          }
          throw new LibraryLockedException(libraryRoot, current.get().holder(), Instant.now());
        }
      }
      throw new UncheckedIOException("could not create the library lock " + lock, failure);
    } catch (IOException e) {
      throw new UncheckedIOException("library lock under " + libraryRoot + ": " + e.getMessage(), e);
    }
  }

  /** Who holds the lock of the library under {@code libraryRoot}, if anyone. */
  public static Optional<Holder> holder(Configuration conf, String libraryRoot) {
    try (FileSystem fs = open(conf, libraryRoot)) {
      return read(fs, lockPath(fs, libraryRoot)).map(Content::holder);
    } catch (IOException e) {
      throw new UncheckedIOException("library lock under " + libraryRoot + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes the lock whoever holds it (for {@code --library-unlock}, after a driver was killed while it held the
   * lock); true if there was one. Never call it while the holder may still be running.
   */
  public static boolean forceUnlock(Configuration conf, String libraryRoot) {
    try (FileSystem fs = open(conf, libraryRoot)) {
      return fs.delete(lockPath(fs, libraryRoot), false);
    } catch (IOException e) {
      throw new UncheckedIOException("library lock under " + libraryRoot + ": " + e.getMessage(), e);
    }
  }

  /** This lock's holder: the run id, host and start time written into it. */
  public Holder holder() {
    return holder;
  }

  /**
   * Deletes the lock if it is still ours (same token); false if it is gone or another run's, as after a
   * {@link #forceUnlock} and another acquire: that run's lock stays. Read and delete are two steps; only a forced
   * unlock and a new acquire between them, while this run still runs, would remove the newer lock.
   */
  public synchronized boolean release() {
    if (released) {
      return false;
    }
    try (FileSystem fs = open(conf, libraryRoot)) {
      Path lock = lockPath(fs, libraryRoot);
      Optional<Content> current = read(fs, lock);
      boolean deleted = current.isPresent() && current.get().token().equals(token) && fs.delete(lock, false);
      released = true; // not after a failure of the store: a later close() tries again
      return deleted;
    } catch (IOException e) {
      throw new UncheckedIOException("releasing the library lock under " + libraryRoot + ": " + e.getMessage(), e);
    }
  }

  /** {@link #release()}; a second close does nothing. */
  @Override
  public void close() {
    release();
  }

  private static FileSystem open(Configuration conf, String libraryRoot) throws IOException {
    return FileSystem.newInstance(new Path(libraryRoot).toUri(), conf);
  }

  private static Path lockPath(FileSystem fs, String libraryRoot) {
    return fs.makeQualified(new Path(libraryRoot, NAME));
  }

  private static void createIfAbsent(FileSystem fs, Path lock, byte[] bytes) throws IOException {
    String scheme = lock.toUri().getScheme();
    switch (scheme) {
      case "file" -> {
        java.nio.file.Path local = java.nio.file.Path.of(lock.toUri());
        Files.createDirectories(local.getParent());
        Files.write(local, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
      case "hdfs" -> {
        try (FSDataOutputStream out = fs.create(lock, false)) {
          out.write(bytes);
        }
      }
      case "s3a" -> S3ConditionalPut.put(fs, lock, bytes);
      default -> throw new UnsupportedOperationException("the person library's lock needs an atomic create-if-absent,"
          + " known for file:, hdfs: and s3a: only, not " + scheme + ": (" + lock + ")");
    }
  }

  /** The lock's content, empty if there is none; waits a little for one being written. */
  private static Optional<Content> read(FileSystem fs, Path lock) throws IOException {
    long deadline = System.currentTimeMillis() + READ_WAIT_MS;
    while (true) {
      FileStatus status;
      byte[] bytes;
      try {
        status = fs.getFileStatus(lock);
        try (var in = fs.open(lock)) {
          bytes = in.readAllBytes();
        }
      } catch (java.io.FileNotFoundException e) {
        return Optional.empty();
      }
      Optional<Content> parsed = parse(bytes);
      if (parsed.isPresent()) {
        return parsed;
      }
      if (System.currentTimeMillis() > deadline) {
        // Not ours to interpret: still a lock, reported with what the store knows.
        return Optional.of(new Content(new Holder("unknown (unreadable lock)", "unknown",
            Instant.ofEpochMilli(status.getModificationTime())), "unreadable"));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading " + lock, e);
      }
    }
  }

  static byte[] format(Holder holder, String token) {
    return (COMMENT + "\nrun_id=" + holder.runId() + "\nhost=" + holder.host() + "\nsince=" + holder.since()
        + "\ntoken=" + token + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static Optional<Content> parse(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (!text.endsWith("\n")) {
      return Optional.empty(); // empty or partly written: every line, the token's last, ends with a newline
    }
    Map<String, String> values = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    String runId = values.get("run_id");
    String host = values.get("host");
    String since = values.get("since");
    String token = values.get("token");
    if (runId == null || host == null || since == null || token == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Content(new Holder(runId, host, Instant.parse(since)), token));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** This machine's name as the lock shows it (the driver's host). */
  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "unknown" : env;
    }
  }
}
