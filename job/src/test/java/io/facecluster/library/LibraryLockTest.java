package io.facecluster.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.facecluster.io.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The person library's lock on a local folder and on s3a:// (S3Proxy 4.1.0, which honours If-None-Match, with the
 * S3A settings of conf/spark-defaults.conf): one holder at a time, also when threads race for it.
 */
class LibraryLockTest {
  private static final String BUCKET = "library";
  private static final String HOST = LibraryLock.host();

  @TempDir
  static java.nio.file.Path tmp;
  static S3ProxyServer s3;
  static Configuration conf;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.start(tmp.resolve("s3"), BUCKET);
    conf = new Configuration();
    S3ProxyServer.configureBucket(conf, BUCKET, s3.port());
    S3ProxyServer.applySparkDefaults(conf, BUCKET);
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  /** A library root of its own per test: a plain local path, or a prefix in the bucket. */
  private static String root(String store, String name) {
    return store.equals("local") ? tmp.resolve("local").resolve(name).toString() : "s3a://" + BUCKET + "/" + name;
  }

  /** What the store holds under the root, listed without S3A for s3a (directory markers would show). */
  private static List<String> stored(String store, String root) throws Exception {
    if (store.equals("s3a")) {
      return s3.keys(BUCKET, root.substring(("s3a://" + BUCKET + "/").length()));
    }
    java.nio.file.Path dir = java.nio.file.Path.of(root);
    if (!java.nio.file.Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
      return files.map(p -> root.substring(tmp.resolve("local").toString().length() + 1) + "/" + p.getFileName())
          .sorted().collect(Collectors.toList());
    }
  }

  private static String lockText(String root) throws Exception {
    Path lock = new Path(root, LibraryLock.NAME);
    try (FileSystem fs = FileSystem.newInstance(lock.toUri(), conf); var in = fs.open(lock)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"local", "s3a"})
  void aSecondRunIsRefusedAndWritesNothing(String store) throws Exception {
    String root = root(store, "refused");
    try (LibraryLock first = LibraryLock.acquire(conf, root, "run-1")) {
      assertThat(first.holder().runId()).as("holder of the lock taken").isEqualTo("run-1");
      String text = lockText(root);
      assertThat(Arrays.stream(text.split("\n")).filter(l -> !l.startsWith("#")).map(l -> l.split("=", 2)[0]))
          .as("what the lock holds: no credentials, nothing of the configuration")
          .containsExactly("run_id", "host", "since", "token");
      assertThat(text).as("lock text").contains("run_id=run-1\n", "host=" + HOST + "\n",
          "since=" + first.holder().since() + "\n").doesNotContain(S3ProxyServer.SECRET_KEY, S3ProxyServer.ACCESS_KEY);

      LibraryLockedException refused = catchThrowableOfType(LibraryLockedException.class,
          () -> LibraryLock.acquire(conf, root, "run-2"));
      assertThat(refused).as("second acquire").isNotNull();
      assertThat(refused.holder()).as("holder named by the refusal").isEqualTo(first.holder());
      assertThat(refused.getMessage()).as("refusal message").matches(Pattern.quote("the person library " + root
          + " is being written by run run-1 on host " + HOST + " since " + first.holder().since() + " (")
          + "\\d+" + Pattern.quote(" s ago): one writer at a time. If that run is no longer running (its driver"
          + " was killed), remove the stale lock " + root + "/_facecluster_lock with --library-unlock"));
      assertThat(lockText(root)).as("lock after the refused acquire").isEqualTo(text);
      assertThat(stored(store, root)).as("objects under the library root")
          .containsExactly(root.substring(root.lastIndexOf('/') + 1) + "/_facecluster_lock");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"local", "s3a"})
  void afterCloseTheLockCanBeTakenAgain(String store) throws Exception {
    String root = root(store, "again");
    LibraryLock first = LibraryLock.acquire(conf, root, "run-1");
    first.close();
    assertThat(LibraryLock.holder(conf, root)).as("holder after close").isEmpty();
    assertThat(first.release()).as("a second release").isFalse();
    try (LibraryLock second = LibraryLock.acquire(conf, root, "run-2")) {
      assertThat(LibraryLock.holder(conf, root).map(LibraryLock.Holder::runId)).as("holder after the second acquire")
          .contains("run-2");
    }
    // S3A leaves a marker for the emptied "directory" when it deletes its last file, as after any delete.
    assertThat(stored(store, root)).as("objects under the root after both runs")
        .isEqualTo(store.equals("s3a") ? List.of("again/") : List.of());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"local", "s3a"})
  void exactlyOneOfEightRacingRunsWins(String store) throws Exception {
    int runs = 8;
    int rounds = 5;
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    try {
      for (int round = 0; round < rounds; round++) {
        String root = root(store, "race-" + round);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> outcomes = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          String runId = "racer-" + i;
          outcomes.add(pool.submit(() -> {
            start.await();
            try {
              return LibraryLock.acquire(conf, root, runId);
            } catch (LibraryLockedException e) {
              return e;
            }
          }));
        }
        start.countDown();
        List<LibraryLock> won = new ArrayList<>();
        List<LibraryLockedException> lost = new ArrayList<>();
        for (Future<Object> f : outcomes) {
          Object o = f.get();
          if (o instanceof LibraryLock lock) {
            won.add(lock);
          } else {
            lost.add((LibraryLockedException) o);
          }
        }
        assertThat(won).as("runs that got the lock in round %d", round).hasSize(1);
        String winner = won.get(0).holder().runId();
        assertThat(lost.stream().map(e -> e.holder().runId()))
            .as("holder named to each of the %d others in round %d", runs - 1, round)
            .containsExactlyElementsOf(java.util.Collections.nCopies(runs - 1, winner));
        assertThat(LibraryLock.holder(conf, root).map(LibraryLock.Holder::runId)).as("holder in the store")
            .contains(winner);
        assertThat(won.get(0).release()).as("the winner releases its lock").isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"local", "s3a"})
  void aStaleLockIsReportedAndForceUnlocked(String store) throws Exception {
    String root = root(store, "stale");
    assertThat(LibraryLock.holder(conf, root)).as("holder of a library never locked").isEmpty();
    Instant before = Instant.now().minusMillis(1);
    LibraryLock killed = LibraryLock.acquire(conf, root, "killed-run"); // never released: its driver "died"
    Optional<LibraryLock.Holder> holder = LibraryLock.holder(conf, root);
    assertThat(holder).as("holder reported").contains(killed.holder());
    assertThat(holder.get().host()).as("holder's host").isEqualTo(HOST);
    assertThat(holder.get().since()).as("holder's start").isBetween(before, Instant.now());

    assertThat(LibraryLock.forceUnlock(conf, root)).as("forced unlock of the stale lock").isTrue();
    assertThat(LibraryLock.holder(conf, root)).as("holder after the forced unlock").isEmpty();
    assertThat(LibraryLock.forceUnlock(conf, root)).as("forced unlock with no lock").isFalse();
    try (LibraryLock next = LibraryLock.acquire(conf, root, "next-run")) {
      assertThat(LibraryLock.holder(conf, root).map(LibraryLock.Holder::runId)).as("holder after the next acquire")
          .contains("next-run");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"local", "s3a"})
  void closeLeavesALockThatAnotherRunTookAfterAForcedUnlock(String store) throws Exception {
    String root = root(store, "taken-over");
    LibraryLock slow = LibraryLock.acquire(conf, root, "slow-run");
    assertThat(LibraryLock.forceUnlock(conf, root)).as("forced unlock while slow-run still runs").isTrue();
    try (LibraryLock other = LibraryLock.acquire(conf, root, "other-run")) {
      assertThat(slow.release()).as("slow-run's release of a lock that is no longer its own").isFalse();
      assertThat(LibraryLock.holder(conf, root)).as("holder after slow-run's release").contains(other.holder());
    }
    assertThat(LibraryLock.holder(conf, root)).as("holder after other-run's close").isEmpty();
  }

  @Test
  void aPlainPathAndItsFileUriAreOneLibrary() {
    String root = root("local", "uri");
    try (LibraryLock lock = LibraryLock.acquire(conf, root, "run-1")) {
      LibraryLockedException refused = catchThrowableOfType(LibraryLockedException.class,
          () -> LibraryLock.acquire(conf, "file://" + root, "run-2"));
      assertThat(refused).as("acquire through the file: URI of a locked plain path").isNotNull();
      assertThat(refused.holder()).as("holder named").isEqualTo(lock.holder());
    }
  }

  @Test
  void ageIsShownInTheLargestUnits() {
    assertThat(Stream.of(Duration.ofSeconds(5), Duration.ofSeconds(725), Duration.ofMinutes(127),
        Duration.ofHours(76)).map(LibraryLockedException::age))
        .as("ages").containsExactly("5 s", "12 min 5 s", "2 h 7 min", "3 d 4 h");
  }
}
