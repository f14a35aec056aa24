package io.facecluster.cluster;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Groups faces without k by single linkage: every pair with cosine >= threshold is linked (no two faces of one
 * photo when the input has a path column), clusters are the connected components, and a face with no link is
 * its own cluster. The special case of {@link GraphClustering} with every edge kept (knn 0) and no minimum size.
 */
public final class ThresholdClustering {
  private ThresholdClustering() {}

  /**
   * @param faces rows with face_id and embedding (unit vectors), optionally path
   * @return face_id, cluster_id
   */
  public static Dataset<Row> run(Dataset<Row> faces, double threshold, int maxIter) {
    return run(faces, threshold, maxIter, KnnSearch.Params.defaults().withMode(KnnSearch.Mode.EXACT));
  }

  static Dataset<Row> run(Dataset<Row> faces, double threshold, int maxIter, KnnSearch.Params search) {
    return GraphClustering.run(faces, GraphClustering.Params.of(threshold, 0, false, 1).withMaxIter(maxIter)
        .withSearch(search)).clusters();
  }
}
