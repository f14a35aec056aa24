package io.facecluster.report;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (the Debian package `chromium`) as the tests' browser: a screenshot, the DOM after
 * parsing, and the browser's log with the page's console messages. Every call gets a fresh profile and the
 * switches that keep Chromium off the network. A missing browser fails the test with how to install it.
 */
final class Chromium {
  private static final long TIMEOUT_S = 120;

  /** What one browser run left: stdout (the DOM for --dump-dom) and the log on stderr. */
  record Run(String stdout, String log) {
    /** Lines of the log that carry the page's console output (errors, CSP refusals, uncaught exceptions). */
    List<String> consoleLines() {
      return log.lines().filter(l -> l.contains(":CONSOLE") || l.contains("Uncaught")).toList();
    }
  }

  private Chromium() {}

  static Path binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir, "chromium");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError("chromium is not installed: the report test opens report.html in headless Chromium."
        + " Install it with `apt-get update && apt-get install -y chromium` (Debian; .ci/run does this)");
  }

  static Run screenshot(Path html, Path png, int width, int height, Path workDir) throws Exception {
    return run(workDir, html, "--screenshot=" + png, "--window-size=" + width + "," + height);
  }

  static Run dumpDom(Path html, Path workDir) throws Exception {
    return run(workDir, html, "--dump-dom");
  }

  private static Run run(Path workDir, Path html, String... action) throws Exception {
    Path profile = Files.createTempDirectory(workDir, "chromium-profile");
    List<String> cmd = new ArrayList<>(List.of(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
    cmd.addAll(List.of(action));
    cmd.add(html.toUri().toString());
    Path out = Files.createTempFile(workDir, "chromium", ".out");
    Path err = Files.createTempFile(workDir, "chromium", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        throw new AssertionError("chromium did not finish in " + TIMEOUT_S + " s: " + cmd + "\n"
            + Files.readString(err, StandardCharsets.UTF_8));
      }
    } finally {
      // Only the processes this call started: the browser and its helpers (zygote, renderer, gpu).
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String log = Files.readString(err, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new AssertionError("chromium exited with " + p.exitValue() + ": " + cmd + "\n" + log);
    }
    return new Run(Files.readString(out, StandardCharsets.UTF_8), log);
  }
}
