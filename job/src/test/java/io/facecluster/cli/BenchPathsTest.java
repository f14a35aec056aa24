package io.facecluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.io.InputFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bench` hands the job the paths of the images it found: with odd names they must still name those files. */
class BenchPathsTest {
  @TempDir
  Path tmp;

  @Test
  void oddFileNamesReachTheJobAsReadablePaths() throws Exception {
    byte[] photo = Files.readAllBytes(TestData.lfwImage("Colin_Powell", 1));
    Path dir = Files.createDirectories(tmp.resolve("Zoë #1 100%"));
    for (String name : new String[] {"a b.jpg", "a%20b.jpg", "100%.jpg", "hash#tag.jpg", "Ünal 東京 it's \"q\".jpg"}) {
      Files.write(dir.resolve(name), photo);
    }
    for (Path image : BenchCommand.images(tmp.toString(), 100)) {
      String path = BenchCommand.hadoopPath(image);
      assertThat(InputFiles.read(new Configuration(), path)).as("bytes read by the job from %s", path)
          .isEqualTo(photo);
    }
    assertThat(BenchCommand.images(tmp.toString(), 100)).as("images found").hasSize(5);
  }
}
