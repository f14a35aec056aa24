package io.facecluster.run;

import io.facecluster.cluster.GraphClustering;
import io.facecluster.cluster.KMeansClustering;
import io.facecluster.cluster.ThresholdClustering;
import io.facecluster.config.ClusterMethod;
import io.facecluster.config.ConfigException;
import io.facecluster.config.GraphConfig;
import io.facecluster.config.JobConfig;
import io.facecluster.models.ModelSpec;
import io.facecluster.output.RunSummary;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The run's clustering: picks the method of the config, runs it, and describes its settings for summary.json. */
final class ClusterStep {
  private final JobConfig config;
  private final ModelSpec embedder;
  private Map<String, Object> graphStats = Map.of();

  /** Fails (bad configuration) when the method needs a threshold that neither the flag nor the spec gives. */
  ClusterStep(JobConfig config, ModelSpec embedder) {
    this.config = config;
    this.embedder = embedder;
    if (config.clusterThreshold() == null && needsThreshold() && specThreshold() == null) {
      throw new ConfigException("--cluster " + config.cluster().name().toLowerCase(Locale.ROOT)
          + " needs a cosine threshold, and the embedder spec '" + embedder.name() + "' gives no embedding."
          + (config.cluster() == ClusterMethod.GRAPH ? "clusterThreshold" : "threshold")
          + ": set --cluster-threshold (or calibrate the spec: `submit.sh calibrate`, docs/accuracy.md)");
    }
    if (config.library() != null) {
      libraryParams();
    }
  }

  /**
   * The graph parameters the person library matches and pools with, whatever the run's own method: the flag's
   * threshold, else the spec's clusterThreshold (a library run without either fails before any model runs).
   */
  GraphClustering.Params libraryParams() {
    Double t = config.clusterThreshold() != null ? config.clusterThreshold() : embedder.embedding().clusterThreshold();
    if (t == null) {
      throw new ConfigException("--library needs a cosine threshold and the embedder spec '" + embedder.name()
          + "' gives no embedding.clusterThreshold: set --cluster-threshold (or calibrate the spec: `submit.sh "
          + "calibrate`, docs/accuracy.md)");
    }
    return GraphSettings.params(config, t);
  }

  /** face_id, cluster_id of the (ungated) faces. */
  Dataset<Row> run(Dataset<Row> faces) {
    ClusterMethod m = config.cluster();
    if (m == ClusterMethod.KMEANS || m == ClusterMethod.BISECTING) {
      return KMeansClustering.run(faces, m == ClusterMethod.BISECTING, config.k(), config.clusterMaxIter(),
          config.clusterSeed());
    }
    if (m == ClusterMethod.GRAPH) {
      GraphClustering.Result r = GraphClustering.run(faces, GraphSettings.params(config, threshold()));
      graphStats = r.stats();
      return r.clusters();
    }
    return ThresholdClustering.run(faces, threshold(), config.clusterMaxIter());
  }

  /** The settings (and, after {@link #run}, the graph's stats) as summary.json records them. */
  RunSummary.Cluster describe() {
    Double threshold = needsThreshold() ? threshold() : null;
    if (config.cluster() != ClusterMethod.GRAPH) {
      return new RunSummary.Cluster(config.cluster().label(), config.minFaceSize(), config.minScore(), config.k(),
          threshold, null, null, null, null, null, null, null, null, null, null, null);
    }
    GraphConfig g = config.graph();
    return new RunSummary.Cluster(config.cluster().label(), config.minFaceSize(), config.minScore(), config.k(),
        threshold, g.knn(), g.mutual(), g.oneWayMargin(), g.minSize(), g.maxSize(),
        g.index().name().toLowerCase(Locale.ROOT), g.exactLimit(), g.ivfCellSize(), g.ivfProbes(),
        g.ivfTrainSample(), graphStats);
  }

  private boolean needsThreshold() {
    return config.cluster() == ClusterMethod.THRESHOLD || config.cluster() == ClusterMethod.GRAPH;
  }

  private double threshold() {
    return config.clusterThreshold() != null ? config.clusterThreshold() : specThreshold();
  }

  private Double specThreshold() {
    ModelSpec.Embedding e = embedder.embedding();
    return config.cluster() == ClusterMethod.GRAPH ? e.clusterThreshold() : e.threshold();
  }
}
