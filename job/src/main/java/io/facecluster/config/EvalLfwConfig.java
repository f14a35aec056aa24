package io.facecluster.config;

import java.io.Serializable;

/** Typed options of `eval-lfw`. */
public record EvalLfwConfig(String lfw, String pairs, String output, String runId, PipelineConfig pipeline)
    implements Serializable {

  public static EvalLfwConfig from(ResolvedConfig c) {
    String runId = c.get(EvalOptions.RUN_ID);
    return new EvalLfwConfig(c.require(EvalOptions.LFW), c.require(EvalOptions.PAIRS),
        c.require(EvalOptions.LFW_OUTPUT), runId == null ? RunOptions.newRunId() : JobConfig.checkRunId(runId),
        PipelineConfig.from(c));
  }
}
