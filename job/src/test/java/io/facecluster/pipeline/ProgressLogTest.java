package io.facecluster.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.image.OpenCv;
import io.facecluster.udfs.SparkTestBase;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on the bundled sample plus the awkward files of {@link BadImages}, with progress every 0.2 s, its log
 * captured by a log4j2 appender: progress lines per stage with real numbers, the summary table at the end, and
 * no stack trace anywhere for the broken files (they are expected input, reported in the images table).
 */
class ProgressLogTest extends SparkTestBase {
  @TempDir
  static Path tmp;
  static String log;
  static JobRunner.Result result;
  static JsonNode summary;
  static int files;

  @BeforeAll
  static void runWithProgressEveryFifthOfASecond() throws Exception {
    OpenCv.ensureLoaded();
    Path input = Files.createDirectories(tmp.resolve("in"));
    FileUtils.copyDirectory(TestData.sample().toFile(), input.resolve("sample").toFile());
    Files.createDirectories(input.resolve("bad"));
    BadImages.writeAll(input.resolve("bad"), Files.readAllBytes(TestData.lfwImage("Colin_Powell", 1)));
    try (Stream<Path> all = Files.walk(input)) {
      files = (int) all.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".md")).count();
    }
    String out = tmp.resolve("out").toString();
    StringWriter captured = new StringWriter();
    // %throwable: a logged exception would print its stack trace ("\tat ...") into the captured text.
    WriterAppender appender = WriterAppender.newBuilder().setName("progress-test").setTarget(captured)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c{1}: %m%n%throwable").build()).build();
    appender.start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    config.getRootLogger().addAppender(appender, null, null);
    ctx.updateLoggers();
    try {
      result = JobRunner.run(input.toString(), out, "--run-id", "progress", "--progress-interval-seconds", "0.2",
          "--input-images-per-partition", "4");
    } finally {
      config.getRootLogger().removeAppender("progress-test");
      ctx.updateLoggers();
      appender.stop();
    }
    log = captured.toString();
    summary = new ObjectMapper().readTree(Files.readString(Path.of(out, "runs/run_id=progress/summary.json")));
  }

  private static List<String> lines(String regex) {
    Pattern p = Pattern.compile(regex);
    return log.lines().filter(l -> p.matcher(l).find()).toList();
  }

  @Test
  void theExtractStageEndsWithItsCountsRateAndTaskTime() {
    long faces = summary.at("/counts/faces").asLong();
    List<String> done = lines("run progress: extract done in \\d+:\\d\\d \\| ");
    assertThat(done).as("the extract stage's final line; log:%n%s", log).hasSize(1);
    Matcher m = Pattern.compile("\\| (\\d+)/(\\d+) images \\(100\\.0 %\\), (\\d+) faces, (\\d+\\.\\d) images/s \\| "
        + "task time (.+)$").matcher(done.get(0));
    assertThat(m.find()).as("extract line: %s", done.get(0)).isTrue();
    assertThat(Integer.parseInt(m.group(1))).as("images done (sample + bad files)").isEqualTo(files);
    assertThat(Integer.parseInt(m.group(2))).as("images in all").isEqualTo(files);
    assertThat(Long.parseLong(m.group(3))).as("faces embedded = summary faces").isEqualTo(faces).isPositive();
    assertThat(Double.parseDouble(m.group(4))).as("images/s").isPositive();
    Map<String, Double> taskTime = seconds(m.group(5));
    List<String> inSummary = new ArrayList<>();
    summary.at("/timings_ms/task_time_by_stage").fieldNames().forEachRemaining(inSummary::add);
    assertThat(taskTime.keySet()).as("pipeline stages in the task time, as in summary.json")
        .containsExactlyElementsOf(inSummary).contains("read", "decode", "detect", "align", "embed");
    assertThat(taskTime.get("detect")).as("detect task time, s").isPositive();
    assertThat(taskTime.get("embed")).as("embed task time, s").isPositive();
  }

  /** "read 0.1 s, decode 0.0 s, ..." as stage -> seconds, in order. */
  private static Map<String, Double> seconds(String list) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String part : list.split(", ")) {
      Matcher m = Pattern.compile("(\\w+) (\\d+\\.\\d) s").matcher(part);
      assertThat(m.matches()).as("task time entry '%s'", part).isTrue();
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }

  @Test
  void everyStageLogsItsFinalLineInOrder() {
    List<String> stages = lines("run progress: \\w+ done in ").stream()
        .map(l -> l.replaceFirst(".*run progress: (\\w+) done in .*", "$1")).toList();
    assertThat(stages).as("stages that ended; log:%n%s", log).containsExactly("extract", "write", "cluster", "summary");
    assertThat(lines("run progress: (write|cluster|summary) done in \\d+:\\d\\d \\| " + files + "/" + files
        + " images, \\d+ faces$")).as("later stages show the totals").hasSize(3);
  }

  @Test
  void progressLinesComeAtTheIntervalWithNumbers() {
    // 0.2 s against a run of several seconds (models, 9 partitions of 4 images on 2 cores, 4 table writes).
    List<String> ticks = lines("run progress: (extract|write|cluster|summary) \\d+:\\d\\d \\| \\d+/" + files
        + " images");
    assertThat(ticks).as("periodic progress lines; log:%n%s", log).isNotEmpty();
    List<String> extract = lines("run progress: extract \\d+:\\d\\d \\| \\d+/" + files + " images \\([\\d.]+ %\\), "
        + "\\d+ faces, [\\d.]+ images/s, ETA (\\?|\\d+:\\d\\d) \\| (Spark tasks \\d+/\\d+ \\(\\d+ stages?\\)|no Spark "
        + "stage running)");
    assertThat(extract).as("periodic extract lines: images, faces, rate, ETA, Spark tasks").isNotEmpty();
  }

  @Test
  void endsWithTheSummaryTable() {
    List<String> table = result.out().lines().toList();
    assertThat(table.get(0)).as("first line of stdout").startsWith("facecluster run progress -> ");
    assertThat(result.out()).as("summary table")
        .containsPattern("\\n  files +" + files + "\\n")
        .containsPattern("\\n  error +" + summary.at("/counts/error").asLong() + "\\n")
        .containsPattern("\\n  faces +" + summary.at("/counts/faces").asLong() + "\\n")
        .containsPattern("\\n  rate +\\d+\\.\\d files/s \\(pipeline\\+write\\)\\n")
        .containsPattern("\\n  task time +read \\d+\\.\\d s, decode \\d+\\.\\d s, detect \\d+\\.\\d s, "
            + "(\\w+ \\d+\\.\\d s, )*embed \\d+\\.\\d s(, \\w+ \\d+\\.\\d s)* \\(summed over tasks\\)\\n")
        .containsPattern("\\n  summary: \\S+/runs/run_id=progress/summary.json\\n");
    assertThat(summary.at("/counts/error").asLong()).as("broken files: corrupt, truncated, empty, text")
        .isEqualTo(4);
  }

  @Test
  void badFilesLeaveNoStackTrace() {
    assertThat(log).as("captured log").contains("run progress: extract done");
    assertThat(log).as("stack traces or exceptions in the log").doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(result.err()).as("stderr of run").doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(result.out()).as("stdout of run").doesNotContain("\tat ").doesNotContain("Exception");
  }
}
