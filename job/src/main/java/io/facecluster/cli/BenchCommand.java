package io.facecluster.cli;

import io.facecluster.config.ArgParser;
import io.facecluster.config.ConfigOption;
import io.facecluster.config.PipelineConfig;
import io.facecluster.config.ResolvedConfig;
import io.facecluster.config.RunOptions;
import io.facecluster.models.ModelSpec;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * `bench`: on the same images, the bare bound of the models ({@link BareOrtLoop}: only session.run timed, one
 * loop per core) and the job end to end on embedded Spark (read, decode, detect, align, embed, write
 * Parquet); prints images/s and faces/s of both and the line `job/bare ratio: X.XX`, writes bench.json.
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
  static final List<ConfigOption<?>> OPTIONS = RunOptions.concat(List.of(IMAGES, LIMIT, OUTPUT, SCALING),
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
    SparkSession spark = RunCommand.session("facecluster bench", p.master());
    int cores = spark.sparkContext().defaultParallelism();

    // Specs and files loaded and verified once; the bare bound first, on the JVM-wide sessions (one intra-op
    // thread each, as a task gets), then the job on the same sessions.
    FaceExtraction extraction = new FaceExtraction(spark, p, FaceSelection.ALL);
    java.util.function.Supplier<FaceModels> models = () -> extraction.localModels(1);
    ModelSpec det = extraction.detector();
    ModelSpec emb = extraction.embedder();
    BareOrtLoop.run(images.subList(0, Math.min(images.size(), 20 * cores)), models, cores); // warm-up
    BareOrtLoop.Result bare = BareOrtLoop.run(images, models, cores);
    BareOrtLoop.Result bareOne = c.require(SCALING) && cores > 1 ? BareOrtLoop.run(images, models, 1) : null;

    // The job: the same images through FaceExtraction, written as Parquet; first a warm-up job on the warm-up
    // images (the bare loop had one too): JIT of the task, Parquet writer and Spark's own code.
    timeJob(spark, extraction, images.subList(0, Math.min(images.size(), 20 * cores)), output + "/warm-up");
    extraction.metrics().reset();
    double jobSeconds = timeJob(spark, extraction, images, output + "/images");
    long jobFaces = spark.read().schema(Schemas.IMAGE_RESULT).parquet(output + "/images")
        .selectExpr("sum(face_count)").first().getLong(0);
    Map<String, Long> stages = extraction.metrics().millisByStage();

    // Scaling: the job again on one core (embedded mode only: a cluster's master is not ours to change).
    Double oneCore = null;
    if (c.require(SCALING) && p.master() == null && spark.sparkContext().master().startsWith("local")
        && cores > 1) {
      spark.stop();
      SparkSession single = RunCommand.session("facecluster bench 1 core", "local[1]");
      FaceExtraction one = new FaceExtraction(single, p, FaceSelection.ALL);
      timeJob(single, one, images.subList(0, Math.min(images.size(), 20)), output + "/warm-up-1core");
      oneCore = images.size() / timeJob(single, one, images, output + "/images-1core");
      spark = single;
    }

    double jobRate = images.size() / jobSeconds;
    double ratio = jobRate / bare.imagesPerSecond();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("images", images.size());
    r.put("cores", cores);
    r.put("detector", det.name());
    r.put("embedder", emb.name());
    r.put("bare", Map.of("images_per_s", bare.imagesPerSecond(), "faces_per_s", bare.facesPerSecond(),
        "faces", bare.faces(), "detect_run_s", bare.detectSeconds(), "embed_run_s", bare.embedSeconds(),
        "wall_s", bare.wallSeconds()));
    r.put("job", Map.of("images_per_s", jobRate, "faces_per_s", jobFaces / jobSeconds, "faces", jobFaces,
        "wall_s", jobSeconds, "task_time_by_stage_ms", stages));
    r.put("job_bare_ratio", ratio);
    if (oneCore != null) {
      r.put("job_one_core_images_per_s", oneCore);
      r.put("scaling_all_cores_vs_one", jobRate / oneCore);
    }
    if (bareOne != null) {
      r.put("bare_one_core_images_per_s", bareOne.imagesPerSecond());
      r.put("bare_scaling_all_cores_vs_one", bare.imagesPerSecond() / bareOne.imagesPerSecond());
    }
    r.put("memory", Stopwatch.memory());
    SummaryWriter.writeJson(spark.sparkContext().hadoopConfiguration(), output, "bench.json", r);
    out.printf("bench: %d images, %d cores, %s + %s%n", images.size(), cores, det.name(), emb.name());
    out.printf("  bare ORT loop  %7.1f images/s  %7.1f faces/s  (detect runs %.1f s, embed runs %.1f s)%n",
        bare.imagesPerSecond(), bare.facesPerSecond(), bare.detectSeconds(), bare.embedSeconds());
    out.printf("  job (Spark)    %7.1f images/s  %7.1f faces/s  (%.1f s)%n", jobRate, jobFaces / jobSeconds,
        jobSeconds);
    if (bareOne != null) {
      out.printf("  bare, 1 core   %7.1f images/s  (scaling %d cores / 1: x %.2f)%n", bareOne.imagesPerSecond(),
          cores, bare.imagesPerSecond() / bareOne.imagesPerSecond());
    }
    if (oneCore != null) {
      out.printf("  job, 1 core    %7.1f images/s  (scaling %d cores / 1: x %.2f)%n", oneCore, cores,
          jobRate / oneCore);
    }
    out.printf("job/bare ratio: %.2f%n", ratio);
    return 0;
  }

  private static double timeJob(SparkSession spark, FaceExtraction extraction, List<Path> images, String out) {
    Dataset<Row> paths = spark.createDataset(images.stream().map(x -> x.toUri().toString()).toList(),
        Encoders.STRING()).toDF("path");
    long t0 = System.nanoTime();
    extraction.apply(paths, images.size()).write().mode("overwrite").parquet(out);
    return (System.nanoTime() - t0) / 1e9;
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
