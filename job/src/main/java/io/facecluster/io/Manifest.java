package io.facecluster.io;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import io.facecluster.config.ConfigException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A manifest as input (`--input-manifest true`): a text file (local, hdfs://, s3a://) with one line per image,
 * or per box in an image: `path`, or `path TAB x1 TAB y1 TAB x2 TAB y2` (pixels of the upright image, EXIF
 * orientation applied; the person crops in person mode). Relative paths are resolved against the manifest's folder; blank lines and lines
 * starting with # are skipped. Parsed by Spark, never on the driver; lines of one path become one input row
 * with all its distinct boxes (a repeated line or box counts once), so every image still comes out exactly once
 * and no face_id twice. A malformed line fails the job at start
 * with its line text (bad configuration, not bad input).
 */
public final class Manifest {
  /** (path, boxes): boxes null when the manifest names the image without a box. */
  public static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("path", DataTypes.StringType, false),
      DataTypes.createStructField("box", DataTypes.createArrayType(DataTypes.FloatType, false), true)));

  private Manifest() {}

  public static Dataset<Row> read(SparkSession spark, String manifest) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String base;
    try {
      Path p = new Path(manifest);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.isFile(p)) {
        throw new ConfigException("Input manifest not found: " + manifest);
      }
      base = fs.makeQualified(p).getParent().toString();
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("Cannot read input manifest " + manifest + ": " + e.getMessage(), e);
    }
    Dataset<Row> lines = spark.read().textFile(manifest)
        .flatMap((FlatMapFunction<String, Row>) line -> parse(line, base), Encoders.row(SCHEMA));
    List<Row> bad = lines.where(col("path").startsWith("\u0000bad:")).limit(1).collectAsList();
    if (!bad.isEmpty()) {
      throw new ConfigException("Input manifest " + manifest + ": cannot parse line '" + bad.get(0).getString(0)
          .substring(5) + "' (expected: path, or path<TAB>x1<TAB>y1<TAB>x2<TAB>y2)");
    }
    // A box listed twice is one person, not two rows with one face_id; sorted, the boxes do not depend on the
    // order in which Spark's shuffle delivers the lines.
    Dataset<Row> grouped = lines.groupBy("path")
        .agg(array_sort(array_distinct(collect_list(col("box")))).as("boxes"));
    return grouped.select(col("path"), when(size(col("boxes")).gt(0), col("boxes")).as("boxes"));
  }

  static java.util.Iterator<Row> parse(String line, String base) {
    String t = line.strip();
    List<Row> out = new ArrayList<>(1);
    if (t.isEmpty() || t.startsWith("#")) {
      return out.iterator();
    }
    String[] f = t.split("\t");
    String path = resolve(f[0].strip(), base);
    if (f.length == 1) {
      out.add(RowFactory.create(path, null));
    } else if (f.length == 5) {
      try {
        float[] b = new float[4];
        for (int i = 0; i < 4; i++) {
          b[i] = Float.parseFloat(f[i + 1].strip());
        }
        if (!(b[2] > b[0] && b[3] > b[1])) {
          throw new NumberFormatException("x2 <= x1 or y2 <= y1");
        }
        out.add(RowFactory.create(path, b));
      } catch (NumberFormatException e) {
        out.add(RowFactory.create("\u0000bad:" + line, null));
      }
    } else {
      out.add(RowFactory.create("\u0000bad:" + line, null));
    }
    return out.iterator();
  }

  private static String resolve(String path, String base) {
    if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*") || path.startsWith("/")) {
      return path.startsWith("/") && base.startsWith("file:") ? "file:" + path : path;
    }
    return new Path(new Path(base), path).toString();
  }
}
