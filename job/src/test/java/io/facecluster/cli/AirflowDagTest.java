package io.facecluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.config.ArgParser;
import io.facecluster.config.ConfigException;
import io.facecluster.config.EvalLfwConfig;
import io.facecluster.config.EvalOptions;
import io.facecluster.config.JobConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Airflow DAG (conf/airflow) without Airflow: both Python files byte-compile, the Python unit tests pass,
 * and the command lines the DAG's functions build for a date go through the job's own parsing, the code that
 * `submit.sh run` / `submit.sh eval-lfw` / `submit.sh recluster` run before Spark starts: accepted with the
 * expected values, and a misspelt or invalid option refused with the parser's message. Needs python3 on PATH
 * (fails, never skips).
 */
class AirflowDagTest {
  static final Path AIRFLOW = TestData.root().resolve("conf/airflow");
  static final String LIBRARY = "s3a://photos/fc-library";
  /** The DAG's settings with a person library (FACECLUSTER_LIBRARY), as a deployment sets them. */
  static final Map<String, String> WITH_LIBRARY = Map.of("FACECLUSTER_LIBRARY", LIBRARY);

  @TempDir
  Path tmp;

  record Py(int code, String out, String err) {}

  private Py python(String... args) throws Exception {
    return python(Map.of(), args);
  }

  /** Runs python3 in conf/airflow, bytecode kept out of the source tree; FACECLUSTER_* only from `env`. */
  private Py python(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("python3"));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(AIRFLOW.toFile());
    pb.environment().put("PYTHONPYCACHEPREFIX", tmp.resolve("pycache").toString());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    pb.environment().keySet().removeIf(k -> k.startsWith("FACECLUSTER_"));
    pb.environment().putAll(env);
    Path out = tmp.resolve("py.out");
    Path err = tmp.resolve("py.err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("python3 is needed on PATH for the Airflow DAG tests: " + e.getMessage(), e);
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("python3 %s did not finish in 120 s", cmd);
    }
    return new Py(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private List<String> argv(String command, String date, String... more) throws Exception {
    return argv(Map.of(), command, date, more);
  }

  /**
   * The argv the DAG's function builds for a date (settings as flags, FACECLUSTER_HOME = this checkout; more
   * settings from `env`, FACECLUSTER_* variables).
   */
  private List<String> argv(Map<String, String> env, String command, String date, String... more)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("facecluster_commands.py", command, "--date", date, "--home",
        TestData.root().toString(), "--input-root", "s3a://photos/incoming", "--output-root", "s3a://photos/fc",
        "--lfw", "s3a://photos/eval/lfw", "--lfw-pairs", "/opt/fc/eval/pairs.txt", "--eval-output",
        "s3a://photos/fc-eval/lfw"));
    args.addAll(Arrays.asList(more));
    Py py = python(env, args.toArray(String[]::new));
    assertThat(py.code()).as("exit code of %s with %s; stderr: %s", args, env, py.err()).isZero();
    List<String> argv = Arrays.asList(new ObjectMapper().readValue(py.out(), String[].class));
    assertThat(argv.get(0)).as("the launcher").isEqualTo(TestData.root().resolve("submit.sh").toString());
    assertThat(Files.isExecutable(Path.of(argv.get(0)))).as("%s is executable", argv.get(0)).isTrue();
    assertThat(argv.get(1)).as("the command").isEqualTo(command);
    return argv;
  }

  /** What submit.sh hands to Main after its own name: the command's options. */
  private static String[] options(List<String> argv) {
    return argv.subList(2, argv.size()).toArray(String[]::new);
  }

  private static JobConfig run(List<String> argv) {
    return RunCommand.config(ArgParser.parse("run", RunOptions.ALL, options(argv)));
  }

  private static ResolvedConfig recluster(List<String> argv) {
    return ReclusterCommand.config(ArgParser.parse("recluster", RunOptions.RECLUSTER, options(argv)));
  }

  @Test
  void bothFilesByteCompileAndABrokenOneWouldNot() throws Exception {
    Py ok = python("-m", "py_compile", "facecluster_dag.py", "facecluster_commands.py");
    assertThat(ok.code()).as("py_compile of the DAG and its commands; stderr: %s", ok.err()).isZero();
    Path broken = Files.writeString(tmp.resolve("broken_dag.py"), "def dag(:\n    pass\n");
    Py bad = python("-m", "py_compile", broken.toString());
    assertThat(bad.code()).as("py_compile of a file with a syntax error").isNotZero();
    assertThat(bad.err()).as("its message").contains("SyntaxError");
  }

  @Test
  void theDagCallsEveryCommandFunctionCheckedHere() throws Exception {
    String dag = Files.readString(AIRFLOW.resolve("facecluster_dag.py"), StandardCharsets.UTF_8);
    assertThat(dag).as("the DAG's tasks").contains("def run_faces(", "def is_eval_day(", "def eval_lfw(",
        "def is_recluster_day(", "def recluster_library(");
    assertThat(dag).as("the functions it builds them with").contains("commands.run_argv(ds, SETTINGS)",
        "commands.is_eval_day(ds, SETTINGS)", "commands.eval_lfw_argv(ds, SETTINGS)",
        "commands.is_recluster_day(ds, SETTINGS)", "commands.recluster_argv(ds, SETTINGS)");
    assertThat(dag).as("recluster after the day's run").contains("faces = run_faces()",
        "faces >> is_recluster_day() >> recluster_library()");
  }

  @Test
  void pythonUnitTestsPass() throws Exception {
    Py py = python("-m", "unittest", "discover", "-s", ".", "-p", "test_*.py", "-v");
    assertThat(py.code()).as("python3 -m unittest in conf/airflow; output:%n%s", py.err()).isZero();
    assertThat(py.err()).as("unittest summary").containsPattern("Ran (1[0-9]|[2-9][0-9]) tests")
        .contains("\nOK").doesNotContain("skipped");
  }

  @Test
  void theRunCommandOfADayIsAcceptedByTheJobsParser() throws Exception {
    List<String> argv = argv("run", "2024-03-05");
    JobConfig c = run(argv);
    assertThat(c.input()).as("input: the day's prefix").isEqualTo("s3a://photos/incoming/dt=2024-03-05/");
    assertThat(c.output()).as("output root").isEqualTo("s3a://photos/fc");
    assertThat(c.runId()).as("run id: the date").isEqualTo("2024-03-05");
    assertThat(argv).as("the checkout's job config").containsSequence("--conf",
        TestData.root().resolve("conf/facecluster.conf").toString());
    assertThat(c.raw()).as("values from conf/facecluster.conf").containsEntry("cluster.ivf-probes", "16");
    assertThat(argv).as("no FACECLUSTER_LIBRARY: the run without a library").doesNotContain("--library");
    assertThat(c.library()).as("no library").isNull();
    assertThat(run(argv("run", "2024-03-05"))).as("a rerun of the day: the same config").isEqualTo(c);
    assertThat(run(argv("run", "2024-03-06")).runId()).as("the next day's run id").isEqualTo("2024-03-06");
  }

  @Test
  void theWeeklyEvalCommandIsAcceptedByTheJobsParser() throws Exception {
    List<String> argv = argv("eval-lfw", "2024-03-10");
    EvalLfwConfig c = EvalLfwCommand.config(ArgParser.parse("eval-lfw", EvalOptions.LFW_ALL, options(argv)));
    assertThat(c.lfw()).as("LFW root").isEqualTo("s3a://photos/eval/lfw");
    assertThat(c.pairs()).as("pairs file").isEqualTo("/opt/fc/eval/pairs.txt");
    assertThat(c.output()).as("eval output").isEqualTo("s3a://photos/fc-eval/lfw");
    assertThat(c.runId()).as("run id").isEqualTo("lfw-2024-03-10");
  }

  @Test
  void withALibraryTheRunCommandOfADayRunsWithIt() throws Exception {
    List<String> argv = argv(WITH_LIBRARY, "run", "2024-03-05");
    assertThat(argv).as("the run command").containsSequence("--library", LIBRARY);
    JobConfig c = run(argv);
    assertThat(c.library()).as("the library").isEqualTo(LIBRARY);
    assertThat(c.libraryUnlock()).as("a stale lock is not removed (a retry's own lock is taken over anyway)")
        .isFalse();
    assertThat(c.runId()).as("run id: still the date").isEqualTo("2024-03-05");
    assertThat(c.input()).as("input: the day's prefix").isEqualTo("s3a://photos/incoming/dt=2024-03-05/");
    assertThat(c.raw()).as("values from conf/facecluster.conf").containsEntry("cluster.ivf-probes", "16");
  }

  @Test
  void theWeeklyReclusterCommandIsAcceptedByTheJobsParser() throws Exception {
    List<String> argv = argv(WITH_LIBRARY, "recluster", "2024-03-10");
    assertThat(argv).as("no run config file: recluster refuses its other keys").doesNotContain("--conf");
    ResolvedConfig c = recluster(argv);
    assertThat(c.get(RunOptions.LIBRARY)).as("the library").isEqualTo(LIBRARY);
    assertThat(c.get(RunOptions.RUN_ID)).as("run id").isEqualTo("recluster-2024-03-10");
    assertThat(c.get(RunOptions.LIBRARY_UNLOCK)).as("library.unlock").isFalse();
    assertThat(c.get(RunOptions.CLUSTER_THRESHOLD)).as("threshold: from the library embedder's spec").isNull();
    JobConfig day = run(argv(WITH_LIBRARY, "run", "2024-03-10"));
    for (var o : List.of(RunOptions.CLUSTER_KNN, RunOptions.CLUSTER_MIN_SIZE, RunOptions.CLUSTER_MAX_SIZE,
        RunOptions.IVF_PROBES, RunOptions.CLUSTER_SEED)) {
      assertThat(c.asMap().get(o.key())).as("%s: as the day's run (conf/facecluster.conf)", o.key())
          .isEqualTo(day.raw().get(o.key()));
    }
    assertThat(recluster(argv(WITH_LIBRARY, "recluster", "2024-03-10")).asMap()).as("a rerun: the same config")
        .isEqualTo(c.asMap());
    assertThat(recluster(argv(WITH_LIBRARY, "recluster", "2024-03-10", "--option", "cluster.knn=20"))
        .get(RunOptions.CLUSTER_KNN)).as("a graph option").isEqualTo(20);
    List<String> runOption = argv(WITH_LIBRARY, "recluster", "2024-03-10", "--option", "input.manifest=true");
    assertThatThrownBy(() -> recluster(runOption)).as("an option of run only").isInstanceOf(ConfigException.class)
        .hasMessage("Unknown option --input-manifest for 'recluster' (see ./submit.sh recluster --help)");
    List<String> withRunConf = new ArrayList<>(argv);
    withRunConf.addAll(List.of("--conf", TestData.root().resolve("conf/facecluster.conf").toString()));
    assertThatThrownBy(() -> recluster(withRunConf)).as("the run's config file").isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Unknown key '");
    assertThatThrownBy(() -> recluster(List.of("submit.sh", "recluster", "--run-id", "recluster-2024-03-10")))
        .as("recluster without --library").isInstanceOf(ConfigException.class);
  }

  @Test
  void withoutALibraryThereIsNoReclusterCommand() throws Exception {
    Py py = python("facecluster_commands.py", "recluster", "--date", "2024-03-10");
    assertThat(py.code()).as("exit code without FACECLUSTER_LIBRARY").isEqualTo(2);
    assertThat(py.err()).as("message").contains("FACECLUSTER_LIBRARY");
    assertThat(py.out()).as("no command printed").isEmpty();
  }

  @Test
  void extraOptionsAreCheckedByTheJobsParser() throws Exception {
    assertThat(run(argv("run", "2024-03-05", "--option", "cluster.knn=20")).graph().knn()).as("a valid extra option")
        .isEqualTo(20);
    List<String> misspelt = argv("run", "2024-03-05", "--option", "cluster.kn=20");
    assertThat(misspelt).as("argv with the misspelt key").contains("--cluster-kn");
    assertThatThrownBy(() -> run(misspelt)).as("misspelt option").isInstanceOf(ConfigException.class)
        .hasMessage("Unknown option --cluster-kn for 'run' (see ./submit.sh run --help)");
    assertThatThrownBy(() -> run(argv("run", "2024-03-05", "--option", "cluster.knn=0")))
        .as("invalid value").isInstanceOf(ConfigException.class)
        .hasMessage("Invalid value '0' for --cluster-knn (config key 'cluster.knn', from command line --cluster-knn): "
            + "must be a positive integer");
    // As submit.sh would run it: Main refuses it in one line, exit code 2, before any Spark work.
    List<String> asSubmitted = new ArrayList<>(misspelt.subList(1, misspelt.size()));
    JobRunner.Result r = JobRunner.main(asSubmitted.toArray(String[]::new));
    assertThat(r.code()).as("exit code of the misspelt command").isEqualTo(2);
    assertThat(r.err()).as("its error").isEqualTo("facecluster: error: Unknown option --cluster-kn for 'run' "
        + "(see ./submit.sh run --help)\n");
  }

  @Test
  void aDayThatDoesNotExistIsRefusedBeforeAnyCommandIsBuilt() throws Exception {
    Py py = python("facecluster_commands.py", "run", "--date", "2024-02-30");
    assertThat(py.code()).as("exit code for 2024-02-30").isEqualTo(2);
    assertThat(py.err()).as("message").contains("--date").contains("2024-02-30");
    assertThat(py.out()).as("no command printed").isEmpty();
  }
}
