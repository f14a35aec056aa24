package io.facecluster.run;

import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's two-day person library of the bundled sample, built once per test JVM and shared by the tests
 * that read it (LibraryRunTest, the persons note's test): day 1 = the first two photos of each of the five LFW
 * people, day 2 = the whole sample; with a copy of the library as day 1 left it, for tests that redo day 2.
 */
public final class SampleLibrary {
  public static final String DAY1 = TestData.sample().resolve("lfw") + "/*/*_000[12].jpg";
  public static final String DAY2 = TestData.sample().toString();
  private static SampleLibrary built;

  public final Path library;
  public final Path output;
  /** The library as day 1 committed it (a copy: Delta tables on a local path are plain folders). */
  public final Path afterDay1;

  private SampleLibrary(Path dir) {
    library = dir.resolve("library");
    output = dir.resolve("out");
    afterDay1 = dir.resolve("library-after-day1");
  }

  public static synchronized SampleLibrary get() {
    if (built == null) {
      try {
        SampleLibrary s = new SampleLibrary(Files.createTempDirectory("facecluster-sample-library"));
        JobRunner.run(DAY1, s.output.toString(), "--run-id", "day1", "--library", s.library.toString());
        TestData.copyTree(s.library, s.afterDay1);
        JobRunner.run(DAY2, s.output.toString(), "--run-id", "day2", "--library", s.library.toString());
        built = s;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return built;
  }

}
