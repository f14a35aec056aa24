package io.facecluster.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;

import io.facecluster.config.EvalLfwConfig;
import io.facecluster.pipeline.FaceExtraction;
import io.facecluster.pipeline.FaceSelection;
import io.facecluster.pipeline.ProgressLogger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LFW verification through the production pipeline: the images of pairs.txt go through {@link FaceExtraction}
 * with one centre face per image (and the documented fallbacks), pair scores are cosine similarities computed
 * in Spark, and only the 6,000 scores reach the driver for the 10-fold protocol.
 */
public final class LfwEvaluation {
  private static final Logger LOG = LoggerFactory.getLogger(LfwEvaluation.class);
  private final SparkSession spark;
  private final EvalLfwConfig config;
  private final FaceExtraction extraction;

  public LfwEvaluation(SparkSession spark, EvalLfwConfig config) {
    this.spark = spark;
    this.config = config;
    if (config.pipeline().mode() != io.facecluster.config.Mode.FACE) {
      throw new io.facecluster.config.ConfigException("eval-lfw verifies faces: --mode person does not apply"
          + " (eval-clusters --mode person scores person pairs)");
    }
    this.extraction = new FaceExtraction(spark, config.pipeline(), FaceSelection.CENTRE);
  }

  public FaceExtraction extraction() {
    return extraction;
  }

  /** Runs the protocol and returns the scored pairs, the images' face sources and the elapsed time. */
  public LfwScores score() {
    LfwPairs pairs;
    try {
      pairs = LfwPairs.read(Path.of(config.pairs()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read pairs file " + config.pairs() + ": " + e.getMessage(), e);
    }
    String root = qualified(config.lfw());
    List<String> images = pairs.images();
    List<Row> pathRows = new ArrayList<>(images.size());
    images.forEach(i -> pathRows.add(RowFactory.create(root + "/" + i)));
    Dataset<Row> paths = spark.createDataFrame(pathRows, DataTypes.createStructType(List.of(
        DataTypes.createStructField("path", DataTypes.StringType, false))));
    long t0 = System.nanoTime();
    Dataset<Row> faces = extraction.apply(paths, images.size())
        .select(col("path"), col("status"), col("reason"),
            element_at(col("faces"), 1).getField("embedding").as("embedding"),
            element_at(col("faces"), 1).getField("detection").as("detection"), col("stage_us"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try (ProgressLogger progress = new ProgressLogger(spark.sparkContext(), "eval-lfw", extraction.metrics(),
        images.size(), 20)) {
      progress.stage("extract");
      Map<String, Long> sources = new LinkedHashMap<>();
      for (Row r : faces.groupBy("status", "detection").count().collectAsList()) {
        sources.put(r.getString(0) + (r.isNullAt(1) ? "" : ":" + r.getString(1)), r.getLong(2));
      }
      Map<String, Long> taskMillis = io.facecluster.pipeline.StageTimes.millisByStage(faces);
      faces.createOrReplaceTempView("lfw_faces");
      progress.stage("score");
      List<Row> pairRows = new ArrayList<>();
      for (LfwPairs.Pair p : pairs.pairs()) {
        pairRows.add(RowFactory.create(p.fold(), root + "/" + p.a(), root + "/" + p.b(), p.same()));
      }
      spark.createDataFrame(pairRows, DataTypes.createStructType(List.of(
          DataTypes.createStructField("fold", DataTypes.IntegerType, false),
          DataTypes.createStructField("a", DataTypes.StringType, false),
          DataTypes.createStructField("b", DataTypes.StringType, false),
          DataTypes.createStructField("same", DataTypes.BooleanType, false)))).createOrReplaceTempView("lfw_pairs");
      // A pair whose image could not be embedded keeps a score of -1 (never a match): counted, not dropped.
      List<Row> scored = spark.sql("SELECT p.fold, p.a, p.b, p.same, "
          + "coalesce(cosine_similarity(fa.embedding, fb.embedding), -1.0) AS score FROM lfw_pairs p "
          + "LEFT JOIN lfw_faces fa ON fa.path = p.a LEFT JOIN lfw_faces fb ON fb.path = p.b").collectAsList();
      long elapsed = System.nanoTime() - t0;
      LOG.info("eval-lfw: {} pairs scored over {} images in {} s", scored.size(), images.size(), elapsed / 1e9);
      return LfwScores.of(scored, sources, images.size(), elapsed, taskMillis);
    } finally {
      faces.unpersist();
    }
  }

  private String qualified(String dir) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new io.facecluster.config.ConfigException("LFW folder not found: " + dir);
      }
      String q = fs.makeQualified(p).toString();
      return q.endsWith("/") ? q.substring(0, q.length() - 1) : q;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
