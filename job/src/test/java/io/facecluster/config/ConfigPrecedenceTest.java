package io.facecluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facecluster.cli.JobRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Precedence (command line > --conf file > default) and the errors a user sees, through the same calls as
 * `submit.sh run`: ArgParser, ResolvedConfig, JobConfig. Nothing here starts Spark: config errors come first.
 */
class ConfigPrecedenceTest {
  @TempDir
  Path tmp;

  /** Parses and resolves like RunCommand does; --input and --output are added unless the test drops them. */
  private static JobConfig config(String... args) {
    ArgParser.Parsed p = ArgParser.parse("run", RunOptions.ALL, args);
    return JobConfig.from(ResolvedConfig.resolve(RunOptions.ALL, p.values(), p.confFile()));
  }

  private static JobConfig run(String... more) {
    List<String> args = new ArrayList<>(List.of("--input", "in", "--output", "out"));
    args.addAll(List.of(more));
    return config(args.toArray(String[]::new));
  }

  private Path conf(String... lines) throws Exception {
    return Files.write(tmp.resolve("job.conf"), List.of(lines));
  }

  @Test
  void commandLineBeatsFileBeatsDefault() throws Exception {
    Path file = conf("k = 5", "cluster.max-iter=7", "embed.batch-size=16", "input.extensions=JPG, .png");
    JobConfig c = run("--conf", file.toString(), "--k", "3", "--embed-batch-size=8");
    assertThat(c.k()).as("k: flag 3 over file 5").isEqualTo(3);
    assertThat(c.pipeline().embedBatch()).as("embed batch: --flag=value 8 over file 16").isEqualTo(8);
    assertThat(c.clusterMaxIter()).as("max iter: file 7 over default 40").isEqualTo(7);
    assertThat(c.extensions()).as("extensions from the file, lower-cased, dot and blanks dropped")
        .containsExactly("jpg", "png");
    assertThat(c.clusterSeed()).as("seed: default").isEqualTo(42);
    assertThat(c.pipeline().detectLongSide()).as("long side: default").isEqualTo(640);
    assertThat(c.pipeline().detectScore()).as("detect score: no default here (the spec gives it)").isNull();
    assertThat(c.cluster()).as("auto with k = kmeans").isEqualTo(ClusterMethod.KMEANS);
    assertThat(c.raw()).as("raw values recorded for summary.json").containsEntry("k", "3")
        .containsEntry("cluster.max-iter", "7").containsEntry("cluster.seed", "42");
  }

  @Test
  void autoWithoutKIsGraphAndRunIdIsKept() {
    JobConfig c = run("--run-id", "day-1.b_2");
    assertThat(c.cluster()).as("auto without k").isEqualTo(ClusterMethod.GRAPH);
    assertThat(c.graph()).as("graph defaults").isEqualTo(new GraphConfig(30, true, 0.1, 2, 2000, KnnIndex.AUTO,
        50_000, 1000, 16, 300_000));
    assertThat(c.runId()).as("run id").isEqualTo("day-1.b_2");
    assertThat(c.input()).as("input").isEqualTo("in");
    assertThat(c.extensions()).as("default extensions")
        .containsExactly("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff");
  }

  @Test
  void unknownFlagIsNamed() {
    assertThatThrownBy(() -> run("--kk", "3")).as("unknown flag").isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown option --kk for 'run'");
  }

  @Test
  void unknownFileKeyNamesKeyAndFile() throws Exception {
    Path file = conf("k=3", "cluster.treshold=0.4");
    assertThatThrownBy(() -> run("--conf", file.toString())).as("typo in the config file")
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown key 'cluster.treshold' in config file " + file);
  }

  @Test
  void missingFileIsNamed() {
    Path missing = tmp.resolve("nope.conf");
    assertThatThrownBy(() -> run("--conf", missing.toString())).as("missing config file")
        .isInstanceOf(ConfigException.class).hasMessageContaining("Config file not found: " + missing);
  }

  @Test
  void badValuesNameFlagRuleAndSource() throws Exception {
    assertThatThrownBy(() -> run("--k", "zero")).as("non-integer k").isInstanceOf(ConfigException.class)
        .hasMessage("Invalid value 'zero' for --k (config key 'k', from command line --k): "
            + "must be a positive integer");
    assertThatThrownBy(() -> run("--detect-score", "1.5")).as("score above 1").isInstanceOf(ConfigException.class)
        .hasMessageContaining("Invalid value '1.5' for --detect-score")
        .hasMessageEndingWith("must be a number in [0, 1]");
    assertThatThrownBy(() -> run("--cluster", "dbscan")).as("unknown method").isInstanceOf(ConfigException.class)
        .hasMessageContaining("--cluster").hasMessageEndingWith("must be one of auto|kmeans|bisecting|threshold|graph");
    // From a file, the message must point at the file: the user did not type the value.
    Path file = conf("cluster.seed=-1");
    assertThatThrownBy(() -> run("--conf", file.toString())).as("bad value from the file")
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Invalid value '-1' for --cluster-seed (config key 'cluster.seed', from config file "
            + file + ")");
  }

  @Test
  void clusterAndKMustAgree() {
    assertThatThrownBy(() -> run("--cluster", "kmeans")).as("kmeans without k").isInstanceOf(ConfigException.class)
        .hasMessageContaining("--cluster kmeans needs --k");
    assertThatThrownBy(() -> run("--k", "3", "--cluster", "threshold")).as("k with threshold")
        .isInstanceOf(ConfigException.class).hasMessageContaining("--k is used by kmeans and bisecting only");
  }

  @Test
  void badRunIdAndMissingInputAreNamed() {
    assertThatThrownBy(() -> run("--run-id", "a/b")).as("run id with a slash (it becomes a path)")
        .isInstanceOf(ConfigException.class).hasMessageContaining("--run-id 'a/b'");
    assertThatThrownBy(() -> config("--output", "out")).as("no --input").isInstanceOf(ConfigException.class)
        .hasMessageContaining("Missing required option --input (config key 'input')");
  }

  @Test
  void helpListsEveryFlagWithItsDefault() {
    String help = ArgParser.help("usage: test", RunOptions.ALL);
    List<String> lines = help.lines().map(String::trim).toList();
    assertThat(lines).as("help lines").contains("usage: test").anyMatch(l -> l.startsWith("--conf FILE"));
    for (ConfigOption<?> o : RunOptions.ALL) {
      int at = lines.indexOf(o.flag() + " VALUE");
      assertThat(at).as("help line of %s", o.flag()).isNotNegative();
      assertThat(lines.get(at + 2)).as("key and default under %s", o.flag())
          .isEqualTo("key: " + o.key() + "; default: " + o.defaultText());
    }
    // Spelled out, so that a renamed flag or a changed default shows up here as well as in the README.
    assertThat(help).as("help text").contains("--cluster-max-iter VALUE", "default: 40\n", "--input-extensions VALUE",
        "default: jpg,jpeg,png,bmp,webp,tif,tiff\n", "--detect-long-side VALUE", "default: 640\n",
        "--embed-batch-size VALUE", "default: 32\n", "--image-max-pixels VALUE", "default: 100000000\n",
        "--flip VALUE", "default: false\n");
  }

  @Test
  void mainReportsBadOptionsInOneLineWithExitCode2() {
    for (String[] bad : new String[][] {{"run", "--input", "in", "--output", "out", "--k", "zero"},
        {"run", "--output", "out"}, {"run", "--bogus", "1"}}) {
      JobRunner.Result r = JobRunner.main(bad);
      assertThat(r.code()).as("exit code of %s", List.of(bad)).isEqualTo(2);
      assertThat(r.err().lines().toList()).as("stderr of %s", List.of(bad)).hasSize(1)
          .allMatch(l -> l.startsWith("facecluster: error: "));
      assertThat(r.err()).as("no stack trace for %s", List.of(bad)).doesNotContain("Exception", "\tat ");
      assertThat(r.out()).as("stdout of %s", List.of(bad)).isEmpty();
    }
  }

  @Test
  void mainRunHelpPrintsEveryFlag() {
    JobRunner.Result r = JobRunner.main("run", "--help");
    assertThat(r.code()).as("exit code of run --help").isZero();
    assertThat(r.err()).as("stderr of run --help").isEmpty();
    assertThat(r.out()).as("run --help").startsWith("usage: submit.sh run").contains("--conf FILE");
    RunOptions.ALL.forEach(o -> assertThat(r.out()).as("run --help lists %s", o.flag()).contains(o.flag() + " "));
  }
}
