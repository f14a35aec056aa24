package io.facecluster.pipeline;

/**
 * The timed stages of the per-partition pipeline (summary.json "timings_ms"). DETECT_RUN and EMBED_RUN are the
 * parts of DETECT and EMBED spent inside ONNX Runtime's session.run: the rest of those stages is tensor
 * preparation, output copies and decoding, the overhead the speed benchmark looks for.
 */
public enum Stage {
  READ, DECODE, DETECT, DETECT_RUN, ALIGN, EMBED, EMBED_RUN;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
