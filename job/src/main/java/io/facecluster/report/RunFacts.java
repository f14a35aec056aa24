package io.facecluster.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.row_number;

import io.facecluster.output.RunCounts;
import io.facecluster.output.RunTables;
import io.facecluster.output.Schemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * What the report shows of one run, read back from its own Parquet tables (declared schemas) with small
 * aggregates: counts, the reasons of unusable files, the cluster size distribution, and a few faces of the
 * largest clusters. Only those aggregates and at most {@link #TOP_CLUSTERS} x {@link #FACES_PER_CLUSTER} face
 * rows (path, box, score) reach the driver, whatever the size of the run.
 */
final class RunFacts {
  static final int TOP_CLUSTERS = 12;
  static final int FACES_PER_CLUSTER = 8;
  static final int EXAMPLES = 20;

  record Face(String path, float[] box, float score, String gate) {}

  /** A cluster (id -1: the unclustered faces) with its size and its sample faces, best detector score first. */
  record Cluster(long id, long size, List<Face> faces) {}

  record Reason(String status, String reason, long files) {}

  final Map<String, Long> counts = new LinkedHashMap<>();
  final List<Reason> reasons = new ArrayList<>();
  /** Up to {@link #EXAMPLES} files without faces: path, status, reason. */
  final List<String[]> examples = new ArrayList<>();
  final long[] clustersPerSize = new long[Charts.SIZE_EDGES.length];
  final long[] facesPerSize = new long[Charts.SIZE_EDGES.length];
  final List<Cluster> top = new ArrayList<>();
  Cluster unclustered;

  /** @param counts the run's counts as summary.json has them (read from the same tables by RunCounts) */
  static RunFacts read(SparkSession spark, String output, String runId, RunCounts counts) {
    RunFacts f = new RunFacts();
    f.counts.put("files", counts.files());
    f.counts.put(Schemas.OK, counts.ok());
    f.counts.put(Schemas.NO_FACE, counts.noFace());
    f.counts.put(Schemas.ERROR, counts.error());
    f.counts.put(Schemas.KNOWN, counts.known());
    f.counts.put("faces", counts.faces());
    f.counts.put("gated", counts.gated());
    f.counts.put("clusters", counts.clusters());
    f.counts.put("unclustered", counts.unclustered());
    Dataset<Row> images = table(spark, output, "images", Schemas.IMAGES, runId);
    Dataset<Row> faces = table(spark, output, "faces", Schemas.FACES, runId);
    Dataset<Row> clusters = table(spark, output, "clusters", Schemas.CLUSTERS, runId);
    f.readImages(images);
    // One row per cluster id: read three times below, so computed once.
    Dataset<Row> sizes = clusters.groupBy("cluster_id").agg(count("*").as("size"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      f.readSizes(sizes);
      f.readSamples(faces, clusters, sizes);
    } finally {
      sizes.unpersist();
    }
    return f;
  }

  static Dataset<Row> table(SparkSession spark, String output, String name,
      org.apache.spark.sql.types.StructType schema, String runId) {
    return RunCounts.table(spark, output, name, schema, runId);
  }

  private void readImages(Dataset<Row> images) {
    Dataset<Row> notUsed = images.where(col("status").notEqual(Schemas.OK));
    for (Row r : notUsed.groupBy("status", "reason").count()
        .orderBy(col("count").desc(), col("status"), col("reason")).limit(EXAMPLES).collectAsList()) {
      reasons.add(new Reason(r.getString(0), r.isNullAt(1) ? "" : r.getString(1), r.getLong(2)));
    }
    // Known files are one reason row above; listed by path they would crowd out the files that need a look.
    for (Row r : notUsed.where(col("status").notEqual(Schemas.KNOWN)).select("path", "status", "reason")
        .orderBy("status", "path").limit(EXAMPLES).collectAsList()) {
      examples.add(new String[] {r.getString(0), r.getString(1), r.isNullAt(2) ? "" : r.getString(2)});
    }
  }

  private void readSizes(Dataset<Row> sizes) {
    for (Row r : sizes.where(col("cluster_id").geq(0)).groupBy("size").count().collectAsList()) {
      int bin = Charts.sizeBin(r.getLong(0));
      clustersPerSize[bin] += r.getLong(1);
      facesPerSize[bin] += r.getLong(0) * r.getLong(1);
    }
  }

  private void readSamples(Dataset<Row> faces, Dataset<Row> clusters, Dataset<Row> sizes) {
    List<Long> ids = new ArrayList<>();
    Map<Long, Long> sizeOf = new LinkedHashMap<>();
    for (Row r : sizes.where(col("cluster_id").geq(0)).orderBy(col("size").desc(), col("cluster_id"))
        .limit(TOP_CLUSTERS).collectAsList()) {
      ids.add(r.getLong(0));
      sizeOf.put(r.getLong(0), r.getLong(1));
    }
    ids.add(-1L);
    Map<Long, List<Face>> samples = new LinkedHashMap<>();
    ids.forEach(id -> samples.put(id, new ArrayList<>()));
    // The best-scored few faces of each shown cluster: at most (TOP_CLUSTERS + 1) x FACES_PER_CLUSTER rows.
    Dataset<Row> picked = faces.join(clusters.where(col("cluster_id").isin(ids.toArray())), "face_id")
        .withColumn("rank", row_number().over(Window.partitionBy("cluster_id")
            .orderBy(col("score").desc(), col("face_id"))))
        .where(col("rank").leq(FACES_PER_CLUSTER))
        .select(col("cluster_id"), col("path"), col("box"), col("score"), col("gate"), col("rank"))
        .orderBy("cluster_id", "rank");
    for (Row r : picked.collectAsList()) {
      List<Float> box = r.getList(2);
      float[] b = new float[box.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = box.get(i);
      }
      samples.get(r.getLong(0)).add(new Face(r.getString(1), b, r.getFloat(3), r.isNullAt(4) ? null : r.getString(4)));
    }
    for (long id : ids) {
      if (id >= 0) {
        top.add(new Cluster(id, sizeOf.get(id), samples.get(id)));
      }
    }
    unclustered = new Cluster(-1, counts.get("unclustered"), samples.get(-1L));
  }
}
