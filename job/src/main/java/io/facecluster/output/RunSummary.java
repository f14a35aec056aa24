package io.facecluster.output;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.SortedMap;

/**
 * summary.json of a `run` or `eval-clusters` run: its commit marker (see the run package), written last. The
 * JSON names are the snake_case of the components (README, Outputs, documents each); absent optional parts
 * (k, graph settings, the evaluation's metrics) are left out rather than written as null. It lives in
 * `output`, beside the tables' schemas, so that the report (level 1) can read it typed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSummary(
    String runId,
    String input,
    String output,
    String startedAt,
    String finishedAt,
    RunCounts counts,
    Timings timingsMs,
    Map<String, Object> models,
    Cluster cluster,
    SparkInfo spark,
    SortedMap<String, String> config,
    Map<String, Double> clusteringMetrics,
    Map<String, Double> pairVerification,
    Long evalClustersMs,
    Map<String, Object> library) {

  /** snake_case names, indented: the mapper of every summary.json. */
  static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Wall times of the driver's steps, and the task time per pipeline stage summed from the committed images
   * table (`stage_us`), never from accumulators: a recomputed partition would count twice there.
   */
  @JsonPropertyOrder({"list", "pipeline_and_write", "cluster", "total", "task_time_by_stage"})
  public record Timings(long list, long pipelineAndWrite, long cluster, long total,
      Map<String, Long> taskTimeByStage) {}

  /** Where the run ran: partitions from the plan, ONNX Runtime sessions from the images table's JVM columns. */
  public record SparkInfo(String master, int partitions, long modelSessionsCreated) {}

  /**
   * The clustering settings of the run: the quality gates, then the method's own parameters (k; threshold;
   * the graph's kNN and component settings and its stats).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cluster(String method, int minFaceSize, double minScore, Integer k, Double threshold,
      Integer knn, Boolean mutual, Double oneWayMargin, Integer minSize, Integer maxSize, String index,
      Long exactLimit, Integer ivfCellSize, Integer ivfProbes, Integer ivfTrainSample, Map<String, Object> stats) {}

  /** The same summary with the evaluation's numbers (eval-clusters) added. */
  public RunSummary withEvaluation(Map<String, Double> clustering, Map<String, Double> pairs, long evalMs) {
    return new RunSummary(runId, input, output, startedAt, finishedAt, counts, timingsMs, models, cluster, spark,
        config, clustering, pairs, evalMs, library);
  }

  /** The same summary with the person library's committed `library_runs` row (run --library). */
  public RunSummary withLibrary(Map<String, Object> libraryRun) {
    return new RunSummary(runId, input, output, startedAt, finishedAt, counts, timingsMs, models, cluster, spark,
        config, clusteringMetrics, pairVerification, evalClustersMs, libraryRun);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The summary as summary.json has it, as nested maps (the report renders its details table from it). */
  public Map<String, Object> asMap() {
    return JSON.convertValue(this, new TypeReference<java.util.LinkedHashMap<String, Object>>() {});
  }
}
