package io.facecluster.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.udfs.SparkTestBase;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Real output for the notebook tests, written once per test JVM: `run` on the bundled sample plus
 * three broken files (run id {@link #RUN_ID}), after an earlier run of the group photo alone into the
 * same output ("a-group": a paragraph that ignores the chosen run counts too much), a later run without its
 * commit marker ({@link #KILLED_ID}), and `eval-lfw` on
 * 8 official LFW pairs in two folds ({@link #EVAL_ID}, as EvalCommandsTest).
 */
final class NotebookOutputs extends SparkTestBase { // for SparkTestBase's row conversion
  static final String RUN_ID = "nb";
  static final String EVAL_ID = "nb-lfw";
  /** A run whose commit marker is deleted after it finished: not committed, never "latest", not listed. */
  static final String KILLED_ID = "zz-killed";

  private static NotebookOutputs instance;

  final Path dir;
  final String runOut;
  final String evalOut;
  final JsonNode runSummary;
  final JsonNode evalSummary;
  final List<ZeppelinNote> notes;

  /** The outputs, produced on first use; the caller has started Spark (SparkTestBase). */
  static synchronized NotebookOutputs get() throws Exception {
    if (instance == null) {
      instance = new NotebookOutputs();
    }
    return instance;
  }

  private NotebookOutputs() throws Exception {
    dir = Files.createTempDirectory("facecluster-notebooks");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
    Path input = dir.resolve("input");
    TestData.copyTree(TestData.sample(), input);
    Files.createDirectories(input.resolve("bad"));
    Files.write(input.resolve("bad/empty.jpg"), new byte[0]);
    Files.writeString(input.resolve("bad/notes.jpg"), "minutes of the meeting\n", StandardCharsets.UTF_8);
    byte[] photo = Files.readAllBytes(input.resolve("lfw/Tony_Blair/Tony_Blair_0001.jpg"));
    Files.write(input.resolve("bad/truncated.jpg"), Arrays.copyOf(photo, photo.length / 2));
    runOut = dir.resolve("run").toString();
    JobRunner.run(input.resolve("group").toString(), runOut, "--run-id", "a-group");
    JobRunner.run(input.toString(), runOut, "--run-id", RUN_ID);
    runSummary = new ObjectMapper().readTree(Files.readString(Path.of(runOut, "runs/run_id=" + RUN_ID + "/summary.json")));
    // A run that died before its commit: all tables written, the marker gone. Its id sorts last, so a note that
    // took the greatest id of the tables as "latest" would show it.
    JobRunner.run(input.resolve("group").toString(), runOut, "--run-id", KILLED_ID);
    Files.delete(Path.of(runOut, "runs/run_id=" + KILLED_ID + "/summary.json"));

    List<String> official = Files.readAllLines(TestData.shared().resolve("data/lfw-protocol/pairs.txt"));
    Path pairs = dir.resolve("pairs.txt");
    Files.write(pairs, List.of("2\t2", official.get(1), official.get(2), official.get(301), official.get(302),
        official.get(601), official.get(602), official.get(901), official.get(902)));
    evalOut = dir.resolve("lfw").toString();
    JobRunner.Result r = JobRunner.main("eval-lfw", "--lfw", TestData.lfw().toString(), "--pairs",
        pairs.toString(), "--output", evalOut, "--run-id", EVAL_ID, "--models-dir", TestData.modelsDir());
    assertThat(r.code()).as("eval-lfw exit code; stderr: %s", r.err()).isZero();
    evalSummary = new ObjectMapper().readTree(Files.readString(Path.of(evalOut, "runs/run_id=" + EVAL_ID + "/summary.json")));
    notes = ZeppelinNote.all(TestData.root().resolve("notebooks"));
  }

  ZeppelinNote note(String fileStem) {
    return notes.stream().filter(n -> n.file().getFileName().toString().equals(fileStem + ".zpln")).findFirst()
        .orElseThrow(() -> new AssertionError("no note " + fileStem + ".zpln in notebooks/"));
  }

  /** A paragraph's rows as Java values (SparkTestBase.toJava). */
  static List<Object[]> rows(NoteRunner.Run run, String title) {
    return run.get(title).rows().stream().map(SparkTestBase::toJava).toList();
  }

  /** The file name of a path cell. */
  static String fileName(Object path) {
    return ((String) path).replaceAll(".*/", "");
  }

  /**
   * The JPEG thumbnails Zeppelin shows for a %html table cell, decoded. Its table renders such a cell
   * as the HTML between the first and the second "%html" (JavaScript's split("%html")[1]).
   */
  static List<BufferedImage> thumbnails(Object cell) {
    String text = (String) cell;
    assertThat(text).as("an HTML cell").startsWith("%html ");
    String html = text.split(Pattern.quote("%html"), -1)[1];
    Matcher m = Pattern.compile("<img src=\"data:image/jpeg;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    List<BufferedImage> images = new ArrayList<>();
    while (m.find()) {
      try {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
        assertThat(image).as("a decodable JPEG").isNotNull();
        images.add(image);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return images;
  }

  /** Whether an image is a square thumbnail of {@code size} px (faces away from the photo's edges). */
  static boolean isSquare(BufferedImage image, int size) {
    return image.getWidth() == size && image.getHeight() == size;
  }


  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // Best effort at JVM exit: a leftover temporary folder harms nothing.
    }
  }
}
