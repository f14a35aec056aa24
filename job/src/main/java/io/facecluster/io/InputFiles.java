package io.facecluster.io;

import io.facecluster.config.ConfigException;
import io.facecluster.config.JobConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The input as a dataset of paths, listed by Spark (parallel listing on a cluster, no driver-side file list),
 * filtered by extension and spread over partitions by image count: bytes are read later by the executor that
 * owns the path, so no image bytes travel through a shuffle.
 */
public final class InputFiles {
  /** Files larger than this are reported as errors instead of being read into memory. */
  public static final long MAX_FILE_BYTES = 1L << 30;

  private InputFiles() {}

  /** Paths of the input files: one column "path", hash-partitioned so that each file is in one partition. */
  public static Dataset<Row> list(SparkSession spark, JobConfig config) {
    checkExists(spark, config.input());
    Dataset<Row> files = spark.read().format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(config.input())
        .select("path");
    if (!config.allExtensions()) {
      String regex = "(?i).*\\.(" + config.extensions().stream().map(java.util.regex.Pattern::quote)
          .collect(Collectors.joining("|")) + ")$";
      files = files.filter(functions.col("path").rlike(regex));
    }
    return files;
  }

  /** Repartitions paths so that each partition holds about `perPartition` images. */
  public static Dataset<Row> partitionByCount(Dataset<Row> paths, long count, int perPartition) {
    int partitions = (int) Math.max(1, (count + perPartition - 1) / perPartition);
    // Hash of the path, not round-robin: a retried task then sees exactly the same files.
    return paths.repartition(partitions, functions.col("path"));
  }

  /** Reads one file whole; sizes over {@link #MAX_FILE_BYTES} are refused with a reason. */
  public static byte[] read(Configuration conf, String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    FileStatus st = fs.getFileStatus(p);
    if (st.getLen() > MAX_FILE_BYTES) {
      throw new IOException("file too large: " + st.getLen() + " bytes (limit " + MAX_FILE_BYTES + ")");
    }
    byte[] bytes = new byte[(int) st.getLen()];
    try (InputStream in = fs.open(p)) {
      org.apache.hadoop.io.IOUtils.readFully(in, bytes, 0, bytes.length);
    }
    return bytes;
  }

  private static void checkExists(SparkSession spark, String input) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      Path p = new Path(input);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new ConfigException("Input not found: " + input);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("Cannot list input " + input + ": " + e.getMessage(), e);
    }
  }

}
