package io.facecluster.models;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A model described by data (a JSON file in models/): what to feed it, what it returns and how to read it.
 * Stages take a spec, never a file name, so a new model of a known kind is a new spec, not new code.
 *
 * @param file model file; relative paths are resolved against the spec file's folder by {@link ModelSpecs}
 * @param notes free text for people: how a threshold was measured, caveats (optional; the job ignores it)
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
    Thresholds thresholds,
    Map<String, Object> constants,
    Crop crop,
    String notes) implements Serializable {

  public static final String DETECTOR = "detector";
  public static final String LANDMARKS = "landmarks";
  public static final String FACE_EMBEDDER = "face-embedder";
  public static final String PERSON_EMBEDDER = "person-embedder";
  static final List<String> ROLES = List.of(DETECTOR, LANDMARKS, FACE_EMBEDDER, PERSON_EMBEDDER);

  /**
   * Input tensor: size 0 means dynamic (any multiple of sizeMultiple). Pixels are fed in `colour` order as
   * (pixel - mean[c]) * scale[c], in `layout` NCHW or NHWC (TensorFlow exports such as FaceNet's). Letterbox
   * padding is `pad` (a pixel value) or, when absent, the mean.
   */
  public record Input(String name, String layout, int width, int height, int sizeMultiple, String colour,
      double[] mean, double[] scale, Double pad) implements Serializable {
    public boolean dynamic() {
      return width == 0 || height == 0;
    }

    public boolean rgb() {
      return "RGB".equals(colour);
    }

    public boolean nhwc() {
      return "NHWC".equals(layout);
    }

    /** Padding pixel value per BGR channel: `pad` when set, else the mean, so that padding feeds zeros. */
    public double[] padBgr() {
      if (pad != null) {
        return new double[] {pad, pad, pad};
      }
      return rgb() ? new double[] {mean[2], mean[1], mean[0]} : mean.clone();
    }
  }

  /**
   * Detector output decoding: kind picks the decoder ({@code io.facecluster.detect.DetectionDecoder}), the rest
   * are its constants: strides; SSD prior sizes and variances (retinaface-flat); anchor scales per stride and
   * base size (retinaface-stride); anchor points per cell (scrfd).
   */
  public record Decoder(String kind, int[] strides, int[][] minSizes, double[] variances, double[][] anchorScales,
      Double anchorBase, Integer anchorsPerCell) implements Serializable {
    public Decoder(String kind, int[] strides, int[][] minSizes, double[] variances) {
      this(kind, strides, minSizes, variances, null, null, null);
    }
  }

  /** Five-point template, in pixels of the embedder's input crop. */
  public record Alignment(double[][] template) implements Serializable {}

  /**
   * Embedding size, similarity metric, the same-person threshold of pair verification (LFW 10-fold mean) and
   * the stricter edge threshold of graph clustering (calibrated on LFW: docs/accuracy.md). Either threshold may
   * be absent for a model not yet measured; clustering that needs it then asks for --cluster-threshold.
   */
  public record Embedding(int dim, String metric, Double threshold, Double clusterThreshold)
      implements Serializable {}

  /** Detector defaults. */
  public record Thresholds(double score, double nms) implements Serializable {}

  /**
   * How a landmark model's input is cut from a detection: the box scaled by `scale` about its centre (the OMZ
   * demo's roi_scale_factor 1.15 for landmarks-regression-retail-0009), then resized to the input size.
   */
  public record Crop(double scale) implements Serializable {}

  /** The spec names no sha256: a user-supplied file (FaceNet, RetinaFace-R50) that is not verified. */
  public boolean unverified() {
    return sha256 == null;
  }

  /** The same spec reading its model from another file (a user's copy of a model the project does not ship). */
  public ModelSpec withFile(String path) {
    return new ModelSpec(name, role, path, sha256, licence, source, input, outputs, decoder, alignment, embedding,
        thresholds, constants, crop, notes);
  }

  public String output(String role) {
    String name = outputs == null ? null : outputs.get(role);
    if (name == null) {
      throw new IllegalStateException("Model spec '" + name() + "' names no output '" + role + "'");
    }
    return name;
  }

  /**
   * The output tensor of `role` at one stride: `outputs[role_<stride>]` when the spec lists it (files whose
   * tensors are numbered, like SCRFD 2.5G's out0..out8), else `outputs[role]` with {s} replaced by the stride.
   */
  public String strideOutput(String role, int stride) {
    String exact = outputs == null ? null : outputs.get(role + "_" + stride);
    return exact != null ? exact : output(role).replace("{s}", Integer.toString(stride));
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
