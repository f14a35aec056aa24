package io.facecluster.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * Scores a clustering against true labels, from the contingency table of (cluster, label) counts.
 *
 * <ul>
 *   <li>Pairwise: precision = same-label pairs inside clusters / pairs inside clusters; recall = same-label
 *       pairs inside clusters / same-label pairs. With no pair inside any cluster precision is 1 (nothing
 *       claimed), with no same-label pair recall is 1.
 *   <li>BCubed: per item, precision = share of its cluster with its label, recall = share of its label in
 *       its cluster; both averaged over items.
 *   <li>NMI: mutual information / arithmetic mean of the two entropies (scikit-learn's default); 1 when both
 *       entropies are 0.
 * </ul>
 * F1 is the harmonic mean of precision and recall. Singletons are ordinary clusters of size 1; a noise label
 * (-1, faces that join no cluster) is not one cluster: each noise item counts as its own singleton.
 */
public record ClusteringMetrics(long items, long clusters, long labels, long singletons,
    double pairwisePrecision, double pairwiseRecall, double pairwiseF1,
    double bcubedPrecision, double bcubedRecall, double bcubedF1, double nmi) {

  public static final long NOISE = -1;

  /** @param cluster predicted cluster per item (NOISE = its own singleton); label true label per item */
  public static ClusteringMetrics of(long[] cluster, String[] label) {
    int n = cluster.length;
    Map<String, Integer> labelIds = new HashMap<>();
    Map<Long, Integer> clusterIds = new HashMap<>();
    int[] c = new int[n];
    int[] l = new int[n];
    long noise = -2;
    for (int i = 0; i < n; i++) {
      long key = cluster[i] == NOISE ? noise-- : cluster[i];
      c[i] = clusterIds.computeIfAbsent(key, k -> clusterIds.size());
      l[i] = labelIds.computeIfAbsent(label[i], k -> labelIds.size());
    }
    long[] clusterSize = new long[clusterIds.size()];
    long[] labelSize = new long[labelIds.size()];
    Map<Long, Long> cells = new HashMap<>();
    for (int i = 0; i < n; i++) {
      clusterSize[c[i]]++;
      labelSize[l[i]]++;
      cells.merge(((long) c[i] << 32) | l[i], 1L, Long::sum);
    }
    double tp = 0;
    for (long v : cells.values()) {
      tp += pairs(v);
    }
    double predicted = 0;
    long singletons = 0;
    for (long v : clusterSize) {
      predicted += pairs(v);
      singletons += v == 1 ? 1 : 0;
    }
    double actual = 0;
    for (long v : labelSize) {
      actual += pairs(v);
    }
    double pp = predicted == 0 ? 1 : tp / predicted;
    double pr = actual == 0 ? 1 : tp / actual;
    double bp = 0;
    double br = 0;
    for (int i = 0; i < n; i++) {
      long cell = cells.get(((long) c[i] << 32) | l[i]);
      bp += (double) cell / clusterSize[c[i]];
      br += (double) cell / labelSize[l[i]];
    }
    bp /= n;
    br /= n;
    return new ClusteringMetrics(n, clusterSize.length, labelSize.length, singletons, pp, pr, f1(pp, pr), bp, br,
        f1(bp, br), nmi(cells, clusterSize, labelSize, n));
  }

  private static double nmi(Map<Long, Long> cells, long[] clusterSize, long[] labelSize, int n) {
    double mi = 0;
    for (Map.Entry<Long, Long> e : cells.entrySet()) {
      int ci = (int) (e.getKey() >>> 32);
      int li = (int) (e.getKey() & 0xFFFFFFFFL);
      double pij = (double) e.getValue() / n;
      mi += pij * Math.log(pij * n * n / ((double) clusterSize[ci] * labelSize[li]));
    }
    double hc = entropy(clusterSize, n);
    double hl = entropy(labelSize, n);
    return hc + hl == 0 ? 1.0 : 2 * mi / (hc + hl);
  }

  private static double entropy(long[] sizes, int n) {
    double h = 0;
    for (long s : sizes) {
      double p = (double) s / n;
      h -= p * Math.log(p);
    }
    return h;
  }

  /** The numbers by name, as the metrics table, summary.json and the benchmark report them. */
  public java.util.Map<String, Double> asMap() {
    java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
    m.put("faces", (double) items);
    m.put("clusters", (double) clusters);
    m.put("identities", (double) labels);
    m.put("singleton_clusters", (double) singletons);
    m.put("pairwise_precision", pairwisePrecision);
    m.put("pairwise_recall", pairwiseRecall);
    m.put("pairwise_f1", pairwiseF1);
    m.put("bcubed_precision", bcubedPrecision);
    m.put("bcubed_recall", bcubedRecall);
    m.put("bcubed_f1", bcubedF1);
    m.put("nmi", nmi);
    return m;
  }

  private static double pairs(long v) {
    return v * (v - 1) / 2.0;
  }

  private static double f1(double p, double r) {
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
}
