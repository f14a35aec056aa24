package io.facecluster.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/facecluster.conf cannot go stale: it lists every option of `run` once, each under a comment that says what
 * it does, every active value is the built-in default, the commented-out examples are valid, and the job's own
 * `--conf` parsing (ArgParser, ResolvedConfig, JobConfig) accepts the file and resolves it to the defaults.
 */
class ConfFileTest {
  /** An option line: `key = value`, or `# key = value` for an option without a fixed default. */
  private static final Pattern OPTION = Pattern.compile("^(# )?([a-z][a-z0-9.-]*) = (.+)$");

  @TempDir
  Path tmp;

  static Path file;
  static List<String> lines;
  /** Key -> its option line's index; and the keys written active (not commented out). */
  static final Map<String, Integer> at = new LinkedHashMap<>();
  static final Map<String, String> active = new LinkedHashMap<>();
  static final Map<String, String> commented = new LinkedHashMap<>();

  @BeforeAll
  static void read() throws Exception {
    file = TestData.root().resolve("conf/facecluster.conf");
    lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = OPTION.matcher(lines.get(i));
      if (m.matches()) {
        assertThat(at.put(m.group(2), i)).as("%s listed twice (line %d)", m.group(2), i + 1).isNull();
        (m.group(1) == null ? active : commented).put(m.group(2), m.group(3));
      }
    }
  }

  private static Map<String, ConfigOption<?>> runOptions() {
    Map<String, ConfigOption<?>> byKey = new LinkedHashMap<>();
    RunOptions.ALL.forEach(o -> byKey.put(o.key(), o));
    return byKey;
  }

  /** A default the file can state: a fixed string, not one derived from a spec, the clock or the environment. */
  private static boolean fixedDefault(ConfigOption<?> o) {
    return o.defaultValue() != null && o.defaultText().equals(o.defaultValue());
  }

  private static JobConfig resolve(String... args) {
    ArgParser.Parsed p = ArgParser.parse("run", RunOptions.ALL, args);
    return JobConfig.from(ResolvedConfig.resolve(RunOptions.ALL, p.values(), p.confFile()));
  }

  @Test
  void listsEveryRunOptionOnceAndNothingElse() {
    assertThat(at.keySet()).as("option lines of %s (active or commented out)", file)
        .containsExactlyInAnyOrderElementsOf(runOptions().keySet());
    // Every other non-blank line is prose: a typo'd key in any form would otherwise hide as a comment.
    for (String line : lines) {
      if (!line.isBlank() && !OPTION.matcher(line).matches()) {
        assertThat(line).as("a line that is neither an option line nor a comment").startsWith("#");
        assertThat(line).as("a comment that looks like a mistyped option line")
            .doesNotMatch("^#\\s*[a-z][a-z0-9.-]*\\s*=.*");
      }
    }
  }

  @Test
  void eachOptionHasACommentSayingWhatItDoes() {
    at.forEach((key, i) -> {
      // The prose comment lines right above the option line (no blank line between): its documentation.
      StringBuilder doc = new StringBuilder();
      for (int j = i - 1; j >= 0 && lines.get(j).startsWith("# ") && !OPTION.matcher(lines.get(j)).matches(); j--) {
        doc.insert(0, lines.get(j).substring(2) + " ");
      }
      assertThat(doc.toString().trim()).as("the comment right above %s (line %d)", key, i + 1).hasSizeGreaterThan(20);
    });
  }

  @Test
  void activeValuesAreTheDefaultsAndTheRestAreCommentedOut() {
    runOptions().forEach((key, o) -> {
      if (fixedDefault(o)) {
        assertThat(active).as("%s has the fixed default %s: written active, with that value", key, o.defaultValue())
            .containsEntry(key, o.defaultValue());
      } else {
        assertThat(commented).as("%s has no fixed default (%s): commented out", key, o.defaultText())
            .containsKey(key);
      }
    });
  }

  @Test
  void theJobsConfParsingResolvesTheFileToTheDefaults() {
    JobConfig withFile = resolve("--input", "in", "--output", "out", "--run-id", "conf-test", "--conf",
        file.toString());
    JobConfig without = resolve("--input", "in", "--output", "out", "--run-id", "conf-test");
    assertThat(withFile).as("run with --conf %s against run without it", file).isEqualTo(without);
    assertThat(withFile.raw()).as("values read from the file").containsEntry("cluster.ivf-probes", "16")
        .containsEntry("progress.interval-seconds", "30").containsEntry("detector", "retinaface-mnet025");
    assertThat(withFile.pipeline().embedder()).as("embedder: the mode's default, the file leaves it unset")
        .isEqualTo("face-reidentification-retail-0095");
  }

  @Test
  void commentedOutExamplesAreValidValues() throws Exception {
    // Uncommented all at once: the file then gives input and output itself, and k makes auto pick kmeans.
    List<String> uncommented = new ArrayList<>();
    for (String line : lines) {
      Matcher m = OPTION.matcher(line);
      uncommented.add(m.matches() && m.group(1) != null ? line.substring(2) : line);
    }
    Path examples = Files.write(tmp.resolve("examples.conf"), uncommented);
    JobConfig c = resolve("--conf", examples.toString());
    assertThat(c.raw()).as("every example value reached the config")
        .containsAllEntriesOf(commented);
    assertThat(c.input()).as("input example").isEqualTo(commented.get("input"));
    assertThat(c.runId()).as("run id example").isEqualTo("2024-03-05");
    assertThat(c.cluster()).as("auto with the k example").isEqualTo(ClusterMethod.KMEANS);
    assertThat(c.pipeline().modelsPath()).as("models.path example, split").hasSize(2);
    assertThat(commented.keySet().stream().filter(k -> !c.raw().containsKey(k)).collect(Collectors.toList()))
        .as("examples the resolver dropped").isEmpty();
  }
}
