package io.facecluster.cli;

import io.facecluster.config.ArgParser;
import io.facecluster.config.ConfigOption;
import io.facecluster.config.PipelineConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.models.ModelException;
import io.facecluster.models.ModelFiles;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.ModelSpecs;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * `models`: every spec in models.dir with its role, licence and whether its file is at hand (beside the spec or
 * on --models-path) and matches the spec's sha256. No Spark.
 */
final class ModelsCommand {
  static final String USAGE = "usage: submit.sh models [--models-dir DIR] [--models-path DIR,...]";
  static final List<ConfigOption<?>> OPTIONS = List.of(RunOptions.MODELS_DIR, RunOptions.MODELS_PATH);

  private ModelsCommand() {}

  static int execute(String[] args, PrintStream out) {
    ArgParser.Parsed parsed = ArgParser.parse("models", OPTIONS, args);
    if (parsed.help()) {
      out.print(ArgParser.help(USAGE, OPTIONS));
      return 0;
    }
    ResolvedConfig c = ResolvedConfig.resolve(OPTIONS, parsed.values(), parsed.confFile());
    String dir = c.require(RunOptions.MODELS_DIR);
    List<String> path = PipelineConfig.list(c.get(RunOptions.MODELS_PATH));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"name", "role", "file", "licence"});
    for (Path spec : specs(dir)) {
      String name = spec.getFileName().toString().replaceFirst("\\.json$", "");
      ModelSpec s;
      try {
        s = ModelSpecs.load(spec.toString(), dir, role(spec));
      } catch (ModelException e) {
        rows.add(new String[] {name, "?", "invalid spec: " + e.getMessage(), ""});
        continue;
      }
      rows.add(new String[] {s.name(), s.role(), fileState(spec, s, dir, path), s.licence()});
    }
    for (String[] r : rows) {
      out.printf("%-36s %-16s %-58s %s%n", (Object[]) r);
    }
    return 0;
  }

  private static List<Path> specs(String dir) {
    try (Stream<Path> files = Files.list(Path.of(dir))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** The role the spec declares (read first, so that every role loads through the same validation). */
  private static String role(Path spec) {
    try {
      var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(spec.toFile()).get("role");
      return node == null ? "" : node.asText();
    } catch (IOException e) {
      return "";
    }
  }

  private static String fileState(Path spec, ModelSpec s, String dir, List<String> path) {
    ModelSpec located;
    try {
      located = ModelSpecs.load(spec.toString(), dir, s.role(), new ModelSpecs.Files(path, null, "--<role>-file"));
    } catch (ModelException e) {
      return "missing (give its path, or --models-path)";
    }
    if (s.unverified()) {
      return "present, no sha256 in the spec: " + located.file();
    }
    try {
      return ModelFiles.sha256(Files.readAllBytes(Path.of(located.file()))).equals(s.sha256())
          ? "present, sha256 ok: " + located.file() : "present, SHA256 DIFFERS: " + located.file();
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }
}
