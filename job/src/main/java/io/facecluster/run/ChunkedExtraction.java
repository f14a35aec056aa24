package io.facecluster.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.facecluster.config.JobConfig;
import io.facecluster.io.InputFiles;
import io.facecluster.output.RunTables;
import io.facecluster.output.Schemas;
import io.facecluster.pipeline.FaceExtraction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pipeline chunk by chunk and commits each chunk to {@link ChunkStaging}, so that a killed run
 * started again with `--resume` redoes only the chunks that were not committed. A file's chunk is the hash
 * of its path modulo the number of chunks (ceil(files / --chunk-images)): the same input gives the same
 * chunks on a rerun, whatever order the listing returns. The run's rows are then read back from the staged
 * Parquet, so the tables are written without running a model again.
 */
final class ChunkedExtraction {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkedExtraction.class);

  /**
   * The run's per-image rows (read back from the chunks), the partitions the pipeline was planned in (summed
   * over all chunks, also the ones committed before a resume, so that it does not depend on the kill), and the
   * chunks this run processed itself.
   */
  record Result(Dataset<Row> rows, int partitions, int chunks, int chunksRun) {}

  private final SparkSession spark;
  private final JobConfig config;
  private final FaceExtraction extraction;
  private final ChunkStaging staging;

  ChunkedExtraction(SparkSession spark, JobConfig config, FaceExtraction extraction) {
    this.spark = spark;
    this.config = config;
    this.extraction = extraction;
    this.staging = new ChunkStaging(spark.sparkContext().hadoopConfiguration(), config.output(), config.runId());
  }

  /** Called first: without --resume a rerun of the id starts clean, so no earlier chunk can leak into it. */
  void prepare() {
    if (!config.resume()) {
      staging.delete();
    }
  }

  /** `paths`: the listed input (persisted by the caller), `files` rows. */
  Result run(Dataset<Row> paths, long files) {
    int chunks = (int) Math.max(1, (files + config.chunkImages() - 1) / config.chunkImages());
    Dataset<Row> keyed = paths.withColumn("chunk", pmod(xxhash64(col("path")), lit(chunks)).cast("int"));
    // One row per non-empty chunk: at most files / chunk-images rows reach the driver.
    Map<Integer, Long> sizes = new TreeMap<>();
    for (Row r : keyed.groupBy("chunk").count().collectAsList()) {
      sizes.put(r.getInt(0), r.getLong(1));
    }
    int partitions = 0;
    int run = 0;
    List<String> data = new ArrayList<>();
    for (Map.Entry<Integer, Long> e : sizes.entrySet()) {
      int chunk = e.getKey();
      long images = e.getValue();
      partitions += InputFiles.partitions(images, config.pipeline().imagesPerPartition());
      data.add(staging.data(chunk));
      if (config.resume() && staging.committed(chunk, chunks, images)) {
        LOG.info("run {}: chunk {} of {} ({} images) committed before, kept", config.runId(), chunk, chunks,
            images);
        continue;
      }
      Dataset<Row> rows = extraction.apply(keyed.filter(col("chunk").equalTo(chunk)).drop("chunk"), images);
      RunTables.withWriteFault(rows, Schemas.IMAGE_RESULT).write().mode(SaveMode.Overwrite)
          .parquet(staging.data(chunk));
      staging.commit(chunk, chunks, images);
      run++;
      // Tests and operators watch this line: the chunk's rows are on storage from here on.
      LOG.info("run {}: chunk {} of {} ({} images) committed", config.runId(), chunk, chunks, images);
    }
    Dataset<Row> rows = data.isEmpty()
        ? spark.createDataFrame(List.of(), Schemas.IMAGE_RESULT)
        : spark.read().schema(Schemas.IMAGE_RESULT).parquet(data.toArray(String[]::new));
    return new Result(rows, Math.max(1, partitions), chunks, run);
  }

  /** After the run's commit marker: its staged chunks are no longer needed. */
  void cleanUp() {
    staging.delete();
  }
}
