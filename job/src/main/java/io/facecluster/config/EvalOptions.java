package io.facecluster.config;

import java.util.List;

/** Options of the evaluation commands: their own inputs plus every pipeline option of `run`. */
public final class EvalOptions {
  private EvalOptions() {}

  public static final ConfigOption<String> LFW = ConfigOption.string("lfw", null,
      "LFW image root (lfw/<Name>/<Name>_NNNN.jpg), local or any Hadoop path");
  public static final ConfigOption<String> PAIRS = ConfigOption.string("pairs", null,
      "the official View 2 pairs.txt (10 folds of 300 matched + 300 mismatched pairs)");
  public static final ConfigOption<String> LFW_OUTPUT = ConfigOption.string("output", null,
      "output directory for the metrics tables and summary.json");
  public static final ConfigOption<String> RUN_ID = RunOptions.RUN_ID;

  public static final List<ConfigOption<?>> LFW_ALL = RunOptions.concat(List.of(LFW, PAIRS, LFW_OUTPUT, RUN_ID),
      RunOptions.PIPELINE);
}
