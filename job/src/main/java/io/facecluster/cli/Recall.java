package io.facecluster.cli;

import io.facecluster.cluster.FaceVector;
import io.facecluster.cluster.GraphClustering;
import io.facecluster.cluster.IvfKnn;
import io.facecluster.cluster.Neighbours;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;

/** kNN recall of the benchmark: the approximate search's neighbours against exact search, for sampled queries. */
final class Recall {
  private Recall() {}

  /**
   * recall@10 (no threshold: the ten most similar faces) and the recall of the graph's edges: of each query's
   * exact `knn` best neighbours above the threshold, the share the clustering's own kNN lists hold.
   */
  static Map<String, Object> measure(JavaRDD<FaceVector> faces, List<FaceVector> queries, IvfKnn.Index index,
      GraphClustering.Params p, JavaPairRDD<Long, Neighbours> lists) {
    int k = Math.max(10, p.knn());
    List<Neighbours> exact = IvfKnn.topK(faces, queries, null, 0, k);
    List<Neighbours> exact10 = exact.stream().map(e -> first(e, 10)).toList();
    List<Neighbours> approx10 = index == null ? exact10
        : IvfKnn.topK(faces, queries, index, p.search().ivf().probes(), 10);
    Set<Long> ids = new HashSet<>();
    queries.forEach(q -> ids.add(q.id()));
    Map<Long, Neighbours> found = lists.filter(t -> ids.contains(t._1())).collectAsMap();
    long wanted = 0;
    long hit = 0;
    for (int i = 0; i < queries.size(); i++) {
      Neighbours e = first(exact.get(i), p.knn());
      Neighbours f = found.get(queries.get(i).id());
      Set<Long> have = new HashSet<>();
      for (int j = 0; f != null && j < f.size(); j++) {
        have.add(f.id(j));
      }
      for (int j = 0; j < e.size(); j++) {
        if (e.sim(j) >= p.threshold()) {
          wanted++;
          hit += have.contains(e.id(j)) ? 1 : 0;
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("queries", queries.size());
    out.put("recall_at_10", recall(exact10, approx10));
    out.put("edge_neighbours_exact", wanted);
    out.put("edge_recall", wanted == 0 ? 1.0 : (double) hit / wanted);
    return out;
  }

  /** Share of the exact lists' members found in the approximate lists. */
  static double recall(List<Neighbours> exact, List<Neighbours> approx) {
    long total = 0;
    long hit = 0;
    for (int i = 0; i < exact.size(); i++) {
      Set<Long> have = new HashSet<>();
      for (int j = 0; j < approx.get(i).size(); j++) {
        have.add(approx.get(i).id(j));
      }
      for (int j = 0; j < exact.get(i).size(); j++) {
        total++;
        hit += have.contains(exact.get(i).id(j)) ? 1 : 0;
      }
    }
    return total == 0 ? 1.0 : (double) hit / total;
  }

  static Neighbours first(Neighbours n, int k) {
    Neighbours out = new Neighbours(k);
    for (int i = 0; i < Math.min(k, n.size()); i++) {
      out.offer(n.id(i), n.sim(i));
    }
    return out;
  }
}
