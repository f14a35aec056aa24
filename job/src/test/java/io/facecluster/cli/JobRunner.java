package io.facecluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs `submit.sh <command>` in-process, on the tests' shared local[2] session, as a user would call it. */
public final class JobRunner {
  /** Exit code and what the command printed. */
  public record Result(int code, String out, String err) {}

  private JobRunner() {}

  public static Result main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** `run` with the project's models; fails the test unless the job exits 0. */
  public static Result run(String input, String output, String... more) {
    List<String> args = new ArrayList<>(List.of("run", "--input", input, "--output", output, "--models-dir",
        TestData.modelsDir()));
    args.addAll(Arrays.asList(more));
    Result r = main(args.toArray(String[]::new));
    assertThat(r.code()).as("exit code of run %s; stderr: %s", args, r.err()).isZero();
    return r;
  }
}
