package io.facecluster.config;

import java.io.Serializable;

/** The settings of graph clustering (`--cluster graph`), resolved and validated. */
public record GraphConfig(int knn, boolean mutual, double oneWayMargin, int minSize, int maxSize, KnnIndex index, long exactLimit,
    int ivfCellSize, int ivfProbes, int ivfTrainSample) implements Serializable {

  public static GraphConfig from(ResolvedConfig c) {
    int cellSize = c.require(RunOptions.IVF_CELL_SIZE);
    int probes = c.require(RunOptions.IVF_PROBES);
    if (cellSize < 10) {
      throw new ConfigException("--cluster-ivf-cell-size " + cellSize + " is too small: use at least 10 faces a cell");
    }
    return new GraphConfig(c.require(RunOptions.CLUSTER_KNN), c.require(RunOptions.CLUSTER_MUTUAL),
        c.require(RunOptions.ONE_WAY_MARGIN),
        c.require(RunOptions.CLUSTER_MIN_SIZE), c.require(RunOptions.CLUSTER_MAX_SIZE),
        c.require(RunOptions.CLUSTER_INDEX), c.require(RunOptions.EXACT_LIMIT), cellSize, probes,
        c.require(RunOptions.IVF_TRAIN_SAMPLE));
  }
}
