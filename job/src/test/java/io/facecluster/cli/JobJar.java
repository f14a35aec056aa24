package io.facecluster.cli;

import io.facecluster.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The shaded job jar that submit.sh submits, as current as the compiled classes. `mvn test` stops before
 * `package`, so a test that submits the jar builds it first when it is missing or older than the classes (a
 * clean CI clone, or code changed since the last package).
 */
final class JobJar {
  private JobJar() {}

  static Path current() throws IOException, InterruptedException {
    Path root = TestData.root();
    Path jar = root.resolve("job/target/facecluster-job.jar");
    List<Path> classes = List.of(root.resolve("job/target/classes"), root.resolve("udfs/target/classes"));
    if (Files.isRegularFile(jar) && !newer(classes, Files.getLastModifiedTime(jar))) {
      return jar;
    }
    Path log = Files.createTempFile("facecluster-package", ".log");
    // Classes are already compiled by this build: without incremental compilation Maven only recompiles
    // stale sources, so the classes this test JVM runs from are left alone (with it, the jar that `package`
    // makes of udfs counts as a changed dependency and the whole module would be recompiled under us).
    // The Spark line under test (-Pspark4 or not), passed by surefire, so that the jar matches the classes.
    String line = System.getProperty("facecluster.maven.args", "").trim();
    if (line.isEmpty()) {
      throw new IllegalStateException("system property facecluster.maven.args is not set (the pom's surefire does)");
    }
    Process p = new ProcessBuilder("mvn", "-B", "-q", "-Dstyle.color=never", "-DskipTests",
        "-Dmaven.compiler.useIncrementalCompilation=false", line, "package")
        .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("mvn package did not finish in 10 minutes; log " + log);
    }
    if (p.exitValue() != 0 || !Files.isRegularFile(jar)) {
      throw new IllegalStateException("mvn package failed (exit " + p.exitValue() + "): " + Files.readString(log));
    }
    return jar;
  }

  private static boolean newer(List<Path> dirs, FileTime than) throws IOException {
    for (Path d : dirs) {
      if (!Files.isDirectory(d)) {
        continue; // e.g. udfs taken from the local repository when only job/ is built
      }
      try (Stream<Path> files = Files.walk(d)) {
        if (files.filter(Files::isRegularFile).anyMatch(f -> modified(f).compareTo(than) > 0)) {
          return true;
        }
      }
    }
    return false;
  }

  private static FileTime modified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
