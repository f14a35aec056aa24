package io.facecluster.cluster;

import org.apache.spark.ml.clustering.BisectingKMeans;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * MLlib KMeans or BisectingKMeans with cosine distance (embeddings are L2-normalised, and the embedders were
 * trained for cosine similarity). Needs k; see {@link GraphClustering} when k is unknown.
 */
public final class KMeansClustering {
  private KMeansClustering() {}

  /**
   * @param faces rows with face_id and embedding (array of float)
   * @return face_id, cluster_id (long)
   */
  public static Dataset<Row> run(Dataset<Row> faces, boolean bisecting, int k, int maxIter, long seed) {
    Dataset<Row> features = faces.select(functions.col("face_id"),
        org.apache.spark.ml.functions.array_to_vector(functions.col("embedding")).as("features"));
    Dataset<Row> assigned;
    if (bisecting) {
      assigned = new BisectingKMeans().setK(k).setMaxIter(maxIter).setSeed(seed).setDistanceMeasure("cosine")
          .fit(features).transform(features);
    } else {
      assigned = new KMeans().setK(k).setMaxIter(maxIter).setSeed(seed).setDistanceMeasure("cosine")
          .fit(features).transform(features);
    }
    return assigned.select(functions.col("face_id"), functions.col("prediction").cast("long").as("cluster_id"));
  }
}
