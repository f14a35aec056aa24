package io.facecluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.config.ConfigOption;
import io.facecluster.config.RunOptions;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The README documents every option of `run` with its key, so docs cannot drift from the code. */
class ReadmeOptionsTest {
  @Test
  void readmeListsEveryRunOptionWithItsKey() throws Exception {
    String readme = Files.readString(TestData.root().resolve("README.md"));
    for (ConfigOption<?> o : RunOptions.ALL) {
      assertThat(readme).as("README row for %s", o.flag())
          .contains("| `" + o.flag() + "` | `" + o.key() + "` |");
    }
  }
}
