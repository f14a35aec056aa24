package io.facecluster.config;

/** The kNN search of graph clustering: AUTO = exact up to cluster.exact-limit faces, the IVF index above. */
public enum KnnIndex {
  AUTO, EXACT, IVF
}
