package io.facecluster.config;

/**
 * How faces are grouped. AUTO picks KMEANS when k is known and GRAPH (kNN graph, no k) otherwise; THRESHOLD is
 * plain single linkage (every pair above the threshold), kept for comparison.
 */
public enum ClusterMethod {
  AUTO, KMEANS, BISECTING, THRESHOLD, GRAPH;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
