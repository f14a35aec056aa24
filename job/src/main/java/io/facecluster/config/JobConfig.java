package io.facecluster.config;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one typed, validated configuration of a run. Built from {@link ResolvedConfig}, so precedence is
 * command line > config file > default. Model-dependent defaults (score, NMS, cluster threshold) stay null
 * here and are filled from the model specs by the stage that owns them.
 */
public record JobConfig(
    String input,
    String output,
    String runId,
    Integer k,
    ClusterMethod cluster,
    Double clusterThreshold,
    GraphConfig graph,
    int clusterMaxIter,
    int clusterSeed,
    int minFaceSize,
    double minScore,
    List<String> extensions,
    boolean inputManifest,
    double progressIntervalSeconds,
    double maxErrorFraction,
    int chunkImages,
    boolean resume,
    String library,
    boolean libraryUnlock,
    PipelineConfig pipeline,
    Map<String, String> raw) implements Serializable {

  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public static JobConfig from(ResolvedConfig c) {
    Integer k = c.get(RunOptions.K);
    ClusterMethod method = c.get(RunOptions.CLUSTER);
    String input = c.require(RunOptions.INPUT);
    String output = c.require(RunOptions.OUTPUT);
    if (method == ClusterMethod.AUTO) {
      method = k == null ? ClusterMethod.GRAPH : ClusterMethod.KMEANS;
    }
    if ((method == ClusterMethod.KMEANS || method == ClusterMethod.BISECTING) && k == null) {
      throw new ConfigException("--cluster " + method.label() + " needs --k N (the number of clusters)");
    }
    if ((method == ClusterMethod.THRESHOLD || method == ClusterMethod.GRAPH) && k != null) {
      throw new ConfigException("--k is used by kmeans and bisecting only; drop it or pick --cluster kmeans");
    }
    String runId = c.get(RunOptions.RUN_ID);
    runId = runId == null ? RunOptions.newRunId() : checkRunId(runId);
    List<String> ext = Arrays.stream(c.require(RunOptions.EXTENSIONS).split(","))
        .map(s -> s.trim().toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""))
        .filter(s -> !s.isEmpty()).toList();
    if (ext.isEmpty()) {
      throw new ConfigException("--input-extensions lists no extension");
    }
    return new JobConfig(input, output, runId, k, method,
        c.get(RunOptions.CLUSTER_THRESHOLD), GraphConfig.from(c), c.require(RunOptions.CLUSTER_MAX_ITER),
        c.require(RunOptions.CLUSTER_SEED), c.require(RunOptions.MIN_FACE_SIZE), c.require(RunOptions.MIN_SCORE), ext,
        c.require(RunOptions.INPUT_MANIFEST), c.require(RunOptions.PROGRESS_INTERVAL),
        c.require(RunOptions.MAX_ERROR_FRACTION), c.require(RunOptions.CHUNK_IMAGES), c.require(RunOptions.RESUME),
        c.get(RunOptions.LIBRARY), c.require(RunOptions.LIBRARY_UNLOCK), PipelineConfig.from(c),
        c.asMap());
  }

  /** A run id names output partitions and paths: a short plain token. */
  public static String checkRunId(String runId) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new ConfigException("--run-id '" + runId + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
    }
    return runId;
  }

  /** True when every file is read, whatever its extension. */
  public boolean allExtensions() {
    return extensions.contains("*");
  }
}
