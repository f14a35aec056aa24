package io.facecluster.models;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A model described by data (a JSON file in models/): what to feed it, what it returns and how to read it.
 * Stages take a spec, never a file name, so a new model of a known kind is a new spec, not new code.
 *
 * @param file model file; relative paths are resolved against the spec file's folder by {@link ModelSpecs}
 */
public record ModelSpec(
    String name,
    String role,
    String file,
    String sha256,
    String licence,
    String source,
    Input input,
    Map<String, String> outputs,
    Decoder decoder,
    Alignment alignment,
    Embedding embedding,
    Thresholds thresholds) implements Serializable {

  public static final String DETECTOR = "detector";
  public static final String FACE_EMBEDDER = "face-embedder";

  /**
   * Input tensor: size 0 means dynamic (any multiple of sizeMultiple). Pixels are fed in `colour` order as
   * (pixel - mean[c]) * scale[c]. Letterbox padding is `pad` (a pixel value) or, when absent, the mean.
   */
  public record Input(String name, String layout, int width, int height, int sizeMultiple, String colour,
      double[] mean, double[] scale, Double pad) implements Serializable {
    public boolean dynamic() {
      return width == 0 || height == 0;
    }

    public boolean rgb() {
      return "RGB".equals(colour);
    }

    /** Padding pixel value per BGR channel: `pad` when set, else the mean, so that padding feeds zeros. */
    public double[] padBgr() {
      if (pad != null) {
        return new double[] {pad, pad, pad};
      }
      return rgb() ? new double[] {mean[2], mean[1], mean[0]} : mean.clone();
    }
  }

  /** Detector output decoding: kind picks the decoder, the rest are its constants. */
  public record Decoder(String kind, int[] strides, int[][] minSizes, double[] variances) implements Serializable {}

  /** Five-point template, in pixels of the embedder's input crop. */
  public record Alignment(double[][] template) implements Serializable {}

  /**
   * Embedding size, similarity metric, the same-person threshold of pair verification (LFW 10-fold mean) and
   * the stricter edge threshold of graph clustering (calibrated on LFW: docs/accuracy.md).
   */
  public record Embedding(int dim, String metric, double threshold, Double clusterThreshold)
      implements Serializable {}

  /** Detector defaults. */
  public record Thresholds(double score, double nms) implements Serializable {}

  public String output(String role) {
    String name = outputs == null ? null : outputs.get(role);
    if (name == null) {
      throw new IllegalStateException("Model spec '" + name() + "' names no output '" + role + "'");
    }
    return name;
  }

  /** Short description for logs and summary.json. */
  public Map<String, String> describe() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("name", name);
    m.put("role", role);
    m.put("file", file);
    m.put("sha256", sha256);
    m.put("licence", licence);
    return m;
  }

  static final List<String> COLOURS = List.of("RGB", "BGR");
}
