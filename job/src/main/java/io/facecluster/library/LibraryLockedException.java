package io.facecluster.library;

import java.time.Duration;
import java.time.Instant;

/** Another run holds the person library's lock: this run must not write the library. */
public final class LibraryLockedException extends RuntimeException {
  private final String libraryRoot;
  private final LibraryLock.Holder holder;

  LibraryLockedException(String libraryRoot, LibraryLock.Holder holder, Instant now) {
    super("the person library " + libraryRoot + " is being written by run " + holder.runId() + " on host "
        + holder.host() + " since " + holder.since() + " (" + age(Duration.between(holder.since(), now))
        + " ago): one writer at a time. If that run is no longer running (its driver was killed), remove the"
        + " stale lock " + libraryRoot + "/" + LibraryLock.NAME + " with --library-unlock");
    this.libraryRoot = libraryRoot;
    this.holder = holder;
  }

  public String libraryRoot() {
    return libraryRoot;
  }

  public LibraryLock.Holder holder() {
    return holder;
  }

  /** "3 s", "12 min 5 s", "2 h 7 min", "3 d 4 h": enough to tell a live run from one killed days ago. */
  static String age(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + " s";
    } else if (s < 3600) {
      return s / 60 + " min " + s % 60 + " s";
    } else if (s < 86_400) {
      return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
    return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
  }
}
