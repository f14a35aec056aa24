package io.facecluster.cli;

import io.facecluster.config.ArgParser;
import io.facecluster.config.ConfigOption;
import io.facecluster.config.PipelineConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.output.Schemas;
import io.facecluster.output.SummaryWriter;
import io.facecluster.pipeline.BareOrtLoop;
import io.facecluster.pipeline.FaceExtraction;
import io.facecluster.pipeline.FaceModels;
import io.facecluster.pipeline.FaceSelection;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * `bench`: on the same images, the bare bound of the models ({@link BareOrtLoop}: only session.run timed, one
 * loop per core) and the job end to end on embedded Spark (read, decode, detect, align, embed, write
 * Parquet), repeated; prints images/s and faces/s of both and the line `job/bare ratio: X.XX`, writes
 * bench.json, stages.csv and stages.png (time per image by stage, {@link BenchReport}).
 */
final class BenchCommand {
  static final String USAGE = "usage: submit.sh bench --images <dir> --output <dir> [--limit N] [pipeline options]";
  static final ConfigOption<String> IMAGES = ConfigOption.string("images", null,
      "folder of images (read recursively, sorted; the first --limit are used)");
  static final ConfigOption<Integer> LIMIT = ConfigOption.positiveInt("limit", "2000", "images measured");
  static final ConfigOption<String> OUTPUT = ConfigOption.string("output", null, "folder for bench.json and the "
      + "job's Parquet output");
  static final ConfigOption<Boolean> SCALING = ConfigOption.bool("scaling", "true", "also run the job on one "
      + "core (embedded mode: the Spark session is restarted with local[1]) and report the speed-up");
  static final ConfigOption<Integer> REPEAT = ConfigOption.positiveInt("repeat", "3", "repetitions of (bare loop, "
      + "job); the median repetition's ratio is reported");
  static final List<ConfigOption<?>> OPTIONS = RunOptions.concat(List.of(IMAGES, LIMIT, OUTPUT, SCALING, REPEAT),
      RunOptions.PIPELINE);

  private BenchCommand() {}

  static int execute(String[] args, PrintStream out) {
    try {
      return measure(args, out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("bench interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("bare ORT loop failed: " + e.getCause(), e.getCause());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int measure(String[] args, PrintStream out) throws Exception {
    ArgParser.Parsed parsed = ArgParser.parse("bench", OPTIONS, args);
    if (parsed.help()) {
      out.print(ArgParser.help(USAGE, OPTIONS));
      return 0;
    }
    ResolvedConfig c = ResolvedConfig.resolve(OPTIONS, parsed.values(), parsed.confFile());
    PipelineConfig p = PipelineConfig.from(c);
    if (p.mode() != io.facecluster.config.Mode.FACE) {
      throw new io.facecluster.config.ConfigException("bench measures the face pipeline: --mode person does not apply");
    }
    List<Path> images = images(c.require(IMAGES), c.require(LIMIT));
    String output = c.require(OUTPUT);
    int repeat = c.require(REPEAT);
    SparkSession spark = RunCommand.session("facecluster bench", p.master());
    int cores = spark.sparkContext().defaultParallelism();

    // Specs and files loaded and verified once; the bare bound runs on the JVM-wide sessions (one intra-op
    // thread each, as a task gets) with one detector/embedder per worker, the job on the same sessions.
    FaceExtraction extraction = new FaceExtraction(spark, p, FaceSelection.ALL);
    Supplier<FaceModels> models = () -> extraction.localModels(1);
    BareOrtLoop.run(images.subList(0, Math.min(images.size(), 20 * cores)), models, cores); // warm-up
    // The job's warm-up: JIT of the task, Parquet writer and Spark's own code, one partition per core.
    timeJob(spark, extraction, images.subList(0, Math.min(images.size(), cores * p.imagesPerPartition())),
        output + "/warm-up");

    // Repetitions, each the bare bound then the job on the same images: the two see the same machine state,
    // and the median repetition is the headline (single runs spread by a few per cent).
    List<BenchReport.Rep> reps = new ArrayList<>();
    for (int r = 0; r < repeat; r++) {
      BareOrtLoop.Result bare = BareOrtLoop.run(images, models, cores);
      extraction.metrics().reset();
      Stopwatch.resetRssPeak();
      double seconds = timeJob(spark, extraction, images, output + "/images");
      reps.add(new BenchReport.Rep(bare, seconds, extraction.metrics().millisByStage(), Stopwatch.rssPeakMib()));
    }
    long jobFaces = spark.read().schema(Schemas.IMAGE_RESULT).parquet(output + "/images")
        .selectExpr("sum(face_count)").first().getLong(0);

    // Scaling: both again on one core (the job in embedded mode only: a cluster's master is not ours to change).
    BenchReport.Scaling scaling = null;
    if (c.require(SCALING) && p.master() == null && spark.sparkContext().master().startsWith("local")
        && cores > 1) {
      double bareOne = BareOrtLoop.run(images, models, 1).imagesPerSecond();
      spark.stop();
      SparkSession single = RunCommand.session("facecluster bench 1 core", "local[1]");
      FaceExtraction one = new FaceExtraction(single, p, FaceSelection.ALL);
      timeJob(single, one, images.subList(0, Math.min(images.size(), p.imagesPerPartition())),
          output + "/warm-up-1core");
      double jobOne = images.size() / timeJob(single, one, images, output + "/images-1core");
      scaling = new BenchReport.Scaling(bareOne, jobOne);
      spark = single;
    }

    BenchReport report = new BenchReport(images.size(), cores, extraction.detector().name(),
        extraction.embedder().name(), ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion(), jobFaces, reps,
        scaling);
    Map<String, Object> json = report.json();
    json.put("memory", Stopwatch.memory());
    var hadoop = spark.sparkContext().hadoopConfiguration();
    SummaryWriter.writeJson(hadoop, output, "bench.json", json);
    report.writeCsv(hadoop, output + "/stages.csv");
    report.writePng(hadoop, output + "/stages.png");
    report.print(out);
    return 0;
  }

  private static double timeJob(SparkSession spark, FaceExtraction extraction, List<Path> images, String out) {
    Dataset<Row> paths = spark.createDataset(images.stream().map(BenchCommand::hadoopPath).toList(),
        Encoders.STRING()).toDF("path");
    long t0 = System.nanoTime();
    extraction.apply(paths, images.size()).write().mode("overwrite").parquet(out);
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * A local file as the job's paths are written (`file:/dir/name`, as listing gives them), not as a URI: Hadoop
   * takes `%20` in a path string literally, so `Path.toUri()` (which escapes spaces, `%`, `#`, unicode) would
   * name a file that does not exist and the job would time an error instead of the image.
   */
  static String hadoopPath(Path file) {
    return "file:" + file.toAbsolutePath();
  }

  static List<Path> images(String dir, int limit) {
    try (Stream<Path> s = Files.walk(Path.of(dir))) {
      return s.filter(Files::isRegularFile).filter(x -> x.toString().toLowerCase().matches(".*\\.(jpe?g|png)$"))
          .sorted().limit(limit).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
