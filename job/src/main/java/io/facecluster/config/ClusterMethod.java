package io.facecluster.config;

/** How faces are grouped. AUTO picks KMEANS when k is known and THRESHOLD otherwise. */
public enum ClusterMethod {
  AUTO, KMEANS, BISECTING, THRESHOLD;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
