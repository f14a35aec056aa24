package io.facecluster.run;

import io.facecluster.cluster.GraphClustering;
import io.facecluster.cluster.IvfKnn;
import io.facecluster.cluster.KnnSearch;
import io.facecluster.config.GraphConfig;
import io.facecluster.config.JobConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Maps the typed config of graph clustering onto the cluster package's parameters (and back, for summaries). */
public final class GraphSettings {
  private GraphSettings() {}

  public static GraphClustering.Params params(JobConfig config, double threshold) {
    return params(config.graph(), config.clusterMaxIter(), config.clusterSeed(), threshold);
  }

  public static GraphClustering.Params params(GraphConfig g, int maxIter, long seed, double threshold) {
    IvfKnn.Params ivf = new IvfKnn.Params(g.ivfCellSize(), g.ivfProbes(), g.ivfTrainSample(),
        IvfKnn.Params.defaults().trainIter(), seed);
    KnnSearch.Params search = new KnnSearch.Params(KnnSearch.Mode.valueOf(g.index().name()), g.exactLimit(),
        KnnSearch.Params.defaults().blockSize(), ivf);
    return new GraphClustering.Params(threshold, g.knn(), g.mutual(), g.oneWayMargin(), g.minSize(), g.maxSize(),
        maxIter, search);
  }

  public static Map<String, Object> describe(GraphConfig g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("knn", g.knn());
    m.put("mutual", g.mutual());
    m.put("one_way_margin", g.oneWayMargin());
    m.put("min_size", g.minSize());
    m.put("max_size", g.maxSize());
    m.put("index", g.index().name().toLowerCase(java.util.Locale.ROOT));
    m.put("exact_limit", g.exactLimit());
    m.put("ivf_cell_size", g.ivfCellSize());
    m.put("ivf_probes", g.ivfProbes());
    m.put("ivf_train_sample", g.ivfTrainSample());
    return m;
  }
}
