package io.facecluster.pipeline;

import io.facecluster.detect.Detection;
import java.util.List;
import org.opencv.core.Mat;

/**
 * One input file on its way through the pipeline: its status and reason, and for `ok` images the faces and
 * their aligned crops waiting for a shared embedder batch. Crops are released once embedded.
 */
final class ImageResult {
  static final String KNOWN_REASON = "already in the person library (same content)";
  final String path;
  final String status;
  final String reason;
  final Integer width;
  final Integer height;
  final List<Detection> faces;
  final List<Mat> crops;
  /** Where the faces came from: {@link FaceSelection#DETECTOR} unless a CENTRE fallback was needed. */
  final String detection;
  float[][] embeddings;
  /** Lower-case hex sha256 of the file's bytes, set where they are read; null when they could not be. */
  String sha256;
  /** Nanoseconds per {@link Stage} (by ordinal) spent on this file, its share of batched stages included. */
  long[] stageNanos = new long[Stage.values().length];

  ImageResult(String path, String status, String reason, Integer width, Integer height, List<Detection> faces,
      List<Mat> crops, String detection) {
    this.path = path;
    this.status = status;
    this.reason = reason;
    this.width = width;
    this.height = height;
    this.faces = faces;
    this.crops = crops;
    this.detection = detection;
  }

  /** This result with the times measured so far (an image that fails late keeps the time it took). */
  ImageResult withTimes(long[] nanos) {
    stageNanos = nanos;
    return this;
  }

  /** A file whose content is in the person library: no decode, no model, so no size and no faces. */
  static ImageResult known(String path, String sha256) {
    ImageResult r = new ImageResult(path, io.facecluster.output.Schemas.KNOWN, KNOWN_REASON, null, null, List.of(),
        List.of(), null);
    r.sha256 = sha256;
    return r;
  }

  static ImageResult error(String path, String reason, Integer width, Integer height) {
    return new ImageResult(path, io.facecluster.output.Schemas.ERROR, reason, width, height, List.of(), List.of(),
        null);
  }
}
