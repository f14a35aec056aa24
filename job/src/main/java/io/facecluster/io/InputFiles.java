package io.facecluster.io;

import io.facecluster.config.ConfigException;
import io.facecluster.config.JobConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.functions;
import org.slf4j.LoggerFactory;

/**
 * The input as a dataset of paths, filtered by extension and spread over partitions by image count: bytes
 * are read later by the executor that owns the path, so no image bytes travel through a shuffle.
 */
public final class InputFiles {
  /** Files larger than this are reported as errors instead of being read into memory. */
  public static final long MAX_FILE_BYTES = 1L << 30;

  private InputFiles() {}

  /**
   * The input rows: "path", and "boxes" (array of x1, y1, x2, y2; null unless a manifest gives boxes). Listed
   * files: paths of the input files. The driver expands the glob and streams the first level into a staging
   * file under the output ({@link InputListing}; {@link #removeStaging} deletes it), which Spark reads back;
   * each sub-folder is then listed recursively by an executor, so a deep tree is listed in parallel and the
   * driver never holds the file list, not even of a flat folder. Zero-byte files are kept (Spark's file sources drop them, and every
   * input file must get a row); names starting with "." are hidden files and skipped.
   */
  public static Dataset<Row> list(SparkSession spark, JobConfig config) {
    if (config.inputManifest()) {
      return Manifest.read(spark, config.input());
    }
    return listFiles(spark, config).withColumn("boxes",
        functions.lit(null).cast(DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType))));
  }

  private static Dataset<Row> listFiles(SparkSession spark, JobConfig config) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path staging = InputListing.stagingFile(config.output(), config.runId());
    InputListing.Counts counts;
    try {
      Path pattern = new Path(config.input());
      FileSystem fs = pattern.getFileSystem(conf);
      // A glob's matches are held here (Hadoop's globStatus returns them as one array); a folder is streamed.
      FileStatus[] matches = fs.globStatus(pattern);
      if (matches == null || matches.length == 0) {
        throw new ConfigException("Input not found: " + config.input());
      }
      counts = InputListing.write(conf, matches, staging);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("Cannot list input " + config.input() + ": " + e.getMessage(), e);
    }
    Broadcast<HadoopConf> shipped = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(new HadoopConf(conf));
    Dataset<String> lines = spark.read().textFile(staging.toString());
    Dataset<String> files = lines.filter((FilterFunction<String>) l -> !InputListing.isFolder(l))
        .map((MapFunction<String, String>) InputListing::path, Encoders.STRING());
    Dataset<String> nested = lines.filter((FilterFunction<String>) InputListing::isFolder)
        .map((MapFunction<String, String>) InputListing::path, Encoders.STRING())
        .repartition((int) Math.max(1, Math.min(counts.folders(), 200)))
        .flatMap((FlatMapFunction<String, String>) dir -> listRecursively(shipped.value().get(), dir).iterator(),
            Encoders.STRING());
    Dataset<String> all = files.union(nested);
    if (!config.allExtensions()) {
      Set<String> ext = new HashSet<>(config.extensions());
      all = all.filter((FilterFunction<String>) p -> ext.contains(extension(p)));
    }
    return all.toDF("path");
  }

  /**
   * Deletes the staging file a folder listing wrote under the output (call when the run no longer reads its
   * input rows: they are computed from it).
   */
  public static void removeStaging(Configuration conf, JobConfig config) {
    try {
      InputListing.remove(conf, config.output(), config.runId());
    } catch (IOException e) {
      LoggerFactory.getLogger(InputFiles.class).warn("could not remove the input listing's staging folder under {}: {}",
          config.output(), e.toString());
    }
  }

  /**
   * Every file below `dir`. Object stores (s3a) list a prefix flat in one paged call (listFiles, recursive);
   * other file systems are walked folder by folder with listStatus, because the local file system's
   * listFiles builds a located status per file and is about 100x slower (LFW: 33 s against 0.3 s).
   */
  static List<String> listRecursively(Configuration conf, String dir) throws IOException {
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(conf);
    List<String> out = new ArrayList<>();
    if (fs.getScheme().startsWith("s3")) {
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        Path p = it.next().getPath();
        if (!hidden(p) && !hiddenBelow(root, p)) {
          out.add(p.toString());
        }
      }
      return out;
    }
    Deque<Path> folders = new ArrayDeque<>(List.of(root));
    while (!folders.isEmpty()) {
      for (FileStatus st : fs.listStatus(folders.pop())) {
        if (hidden(st.getPath())) {
          continue;
        }
        if (st.isDirectory()) {
          folders.push(st.getPath());
        } else {
          out.add(st.getPath().toString());
        }
      }
    }
    return out;
  }

  private static boolean hidden(Path p) {
    return p.getName().startsWith(".");
  }

  private static boolean hiddenBelow(Path root, Path p) {
    for (Path q = p.getParent(); q != null && !q.equals(root) && q.depth() > root.depth(); q = q.getParent()) {
      if (hidden(q)) {
        return true;
      }
    }
    return false;
  }

  static String extension(String path) {
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    return dot > slash ? path.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }

  /** Repartitions paths so that each partition holds about `perPartition` images. */
  public static Dataset<Row> partitionByCount(Dataset<Row> paths, long count, int perPartition) {
    int partitions = partitions(count, perPartition);
    // Hash of the path, not round-robin: a retried task then sees exactly the same files.
    return paths.repartition(partitions, functions.col("path"));
  }

  /** The number of partitions {@link #partitionByCount} makes (summary.json reports it from here, not a counter). */
  public static int partitions(long count, int perPartition) {
    return (int) Math.max(1, (count + perPartition - 1) / perPartition);
  }

  /** Reads one file whole; sizes over {@link #MAX_FILE_BYTES} are refused with a reason. */
  public static byte[] read(Configuration conf, String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    if (fs instanceof org.apache.hadoop.fs.LocalFileSystem local) {
      // Photos carry no Hadoop .crc files: the checksum layer would only add a lookup per open.
      fs = local.getRaw();
    }
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



}
