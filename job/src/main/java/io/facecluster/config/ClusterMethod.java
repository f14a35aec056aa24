package io.facecluster.config;

/**
 * How faces are grouped. AUTO picks KMEANS when k is known and THRESHOLD otherwise (GRAPH, the kNN graph
 * method, becomes the default without k once it is calibrated: issue 5).
 */
public enum ClusterMethod {
  AUTO, KMEANS, BISECTING, THRESHOLD, GRAPH;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
