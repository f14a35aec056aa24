package io.facecluster.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.config.JobConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing a folder input (issue 15 item 7): the driver streams the first level into a staging file under the
 * output instead of holding the paths and shipping them as a local relation in the plan; the listing's rules
 * stay (hidden names skipped, zero-byte files kept, extensions filter, sub-folders listed by executors), every
 * file comes back exactly once, also names with a line break, and the staging file is removed on request.
 */
class InputFilesTest extends SparkTestBase {
  private static final int FLAT = 3000;
  @TempDir
  Path tmp;

  private static JobConfig config(Path input, Path output, String runId) {
    return JobConfig.from(ResolvedConfig.resolve(RunOptions.ALL,
        Map.of("input", input.toString(), "output", output.toString(), "run-id", runId), null));
  }

  private static List<String> paths(Dataset<Row> rows) {
    return rows.select("path").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  @Test
  void aFlatFolderIsReadBackFromStagingNotShippedInThePlan() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < FLAT; i++) {
      Path f = Files.createFile(in.resolve(String.format("img_%05d.jpg", i)));   // zero bytes: kept
      expected.add("file:" + f);
    }
    Files.createFile(in.resolve(".hidden.jpg"));
    Files.writeString(in.resolve("notes.txt"), "not an image");
    Path sub = Files.createDirectories(in.resolve("sub/deeper"));
    expected.add("file:" + Files.createFile(sub.resolve("a.PNG")));
    expected.add("file:" + Files.createFile(in.resolve("sub/b.jpeg")));
    Files.createFile(Files.createDirectories(in.resolve("sub/.cache")).resolve("c.jpg"));
    Files.createFile(Files.createDirectories(in.resolve(".trash")).resolve("d.jpg"));
    Path out = tmp.resolve("out");
    JobConfig config = config(in, out, "flat");

    Dataset<Row> rows = InputFiles.list(spark, config);
    assertThat(rows.queryExecution().optimizedPlan().toString()).as("the input rows' plan holds no paths")
        .doesNotContain("LocalRelation");
    assertThat(rows.inputFiles()).as("files the input rows are read from: the staging file")
        .singleElement().asString().endsWith("/out/_staging/run_id=flat/input-paths.txt");
    List<String> listed = paths(rows);
    assertThat(listed).as("listed paths (hidden names and .txt skipped, zero-byte files kept), each once")
        .hasSize(FLAT + 2).containsExactlyInAnyOrderElementsOf(expected);
    Path staging = out.resolve("_staging/run_id=flat/input-paths.txt");
    assertThat(Files.readAllLines(staging)).as("staging lines: first level only (files, one folder 'sub')")
        .hasSize(FLAT + 2).contains("d\tfile:" + in.resolve("sub"));

    InputFiles.removeStaging(spark.sparkContext().hadoopConfiguration(), config);
    assertThat(out.resolve("_staging")).as("staging folder after removeStaging").doesNotExist();
  }

  @Test
  void namesWithLineBreaksAndBackslashesComeBackWhole() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("odd"));
    List<String> names = List.of("line\nbreak.jpg", "carriage\rreturn.jpg", "back\\slash\\n.jpg", "tab\tname.jpg",
        "plain.jpg");
    List<String> expected = new ArrayList<>();
    for (String n : names) {
      expected.add("file:" + Files.createFile(in.resolve(n)));
    }
    Path out = tmp.resolve("out");
    List<String> listed = paths(InputFiles.list(spark, config(in, out, "odd")));
    assertThat(listed).as("paths of odd names, each exactly once and unchanged")
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void stagingLinesRoundTrip() {
    for (String p : List.of("s3a://b/x/plain.jpg", "file:/a\nb\\n\rc\\.jpg", "file:/ends\\")) {
      String line = InputListing.line(false, new org.apache.hadoop.fs.Path(p));
      assertThat(line.indexOf('\n')).as("one line break, at the end, for %s", p).isEqualTo(line.length() - 1);
      assertThat(line).as("no carriage return inside").doesNotContain("\r");
      assertThat(InputListing.path(line.substring(0, line.length() - 1)))
          .as("path back from its line").isEqualTo(new org.apache.hadoop.fs.Path(p).toString());
    }
  }
}
