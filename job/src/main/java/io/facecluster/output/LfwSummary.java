package io.facecluster.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * summary.json of an `eval-lfw` run (`<output>/runs/run_id=<id>/summary.json`): the protocol's metrics, its
 * folds, how each image's face was found, the models and the timings. JSON names as {@link RunSummary}'s.
 */
public record LfwSummary(
    String runId,
    String evaluation,
    String lfw,
    String pairsFile,
    boolean flip,
    Map<String, Object> models,
    Map<String, Double> metrics,
    List<Fold> folds,
    Map<String, Long> faceSources,
    Timings timingsMs,
    String sparkMaster) {

  /** One fold (numbered from 1): the threshold chosen on the other nine, the accuracy on this one. */
  public record Fold(int fold, double threshold, double accuracy) {}

  /** Wall time of embedding and scoring; task time per stage summed from the images' rows (`stage_us`). */
  public record Timings(long embedAndScore, Map<String, Long> taskTimeByStage) {}

  public String toJson() {
    try {
      return RunSummary.JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As nested maps, for the report's details table. */
  public Map<String, Object> asMap() {
    return RunSummary.JSON.convertValue(this,
        new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() {});
  }
}
