package io.facecluster.detect;

import io.facecluster.models.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * YuNet (libfacedetection 2023 / OpenCV FaceDetectorYN; MODELS.md section 3): anchor-free, one point per cell
 * and stride; score = sqrt(cls x obj), box centre (col + dx, row + dy) x stride and size exp(dw, dh) x stride,
 * landmarks (col + kx, row + ky) x stride, as OpenCV's face_detect.cpp decodes them.
 */
final class YuNetDecoder implements DetectionDecoder {
  static final String KIND = "yunet";
  private final ModelSpec spec;
  private final int[] strides;

  YuNetDecoder(ModelSpec spec) {
    this.spec = spec;
    this.strides = spec.decoder().strides();
  }

  @Override
  public List<Detection> decode(Outputs out, int height, int width, double minScore) {
    List<Detection> faces = new ArrayList<>();
    for (int s : strides) {
      float[] cls = out.values(spec.strideOutput("cls", s));
      float[] obj = out.values(spec.strideOutput("obj", s));
      float[] box = out.values(spec.strideOutput("boxes", s));
      float[] kps = out.values(spec.strideOutput("landmarks", s));
      int cols = width / s;
      for (int i = 0; i < cls.length; i++) {
        float score = (float) Math.sqrt(clamp(cls[i]) * clamp(obj[i]));
        if (score < minScore) {
          continue;
        }
        int c = i % cols;
        int r = i / cols;
        float cx = (c + box[4 * i]) * s;
        float cy = (r + box[4 * i + 1]) * s;
        float w = (float) Math.exp(box[4 * i + 2]) * s;
        float h = (float) Math.exp(box[4 * i + 3]) * s;
        float[] lm = new float[10];
        for (int p = 0; p < 5; p++) {
          lm[2 * p] = (kps[10 * i + 2 * p] + c) * s;
          lm[2 * p + 1] = (kps[10 * i + 2 * p + 1] + r) * s;
        }
        faces.add(new Detection(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, lm));
      }
    }
    return faces;
  }

  private static float clamp(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
