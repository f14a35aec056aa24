package io.facecluster.pipeline;

/** The timed stages of the per-partition pipeline (summary.json "timings_ms"). */
public enum Stage {
  READ, DECODE, DETECT, ALIGN, EMBED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
