package io.facecluster.detect;

import io.facecluster.models.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * SCRFD (insightface; MODELS.md section 2): per stride, rows of `anchorsPerCell` anchor points per cell in row
 * order, `scores` [1, rows, 1] (sigmoid applied), `boxes` [1, rows, 4] as distances to the left, top, right and
 * bottom edges and `landmarks` [1, rows, 10] as offsets, both in stride units from the cell's corner.
 */
final class ScrfdDecoder implements DetectionDecoder {
  static final String KIND = "scrfd";
  private final ModelSpec spec;
  private final int[] strides;
  private final int anchors;

  ScrfdDecoder(ModelSpec spec) {
    this.spec = spec;
    this.strides = spec.decoder().strides();
    this.anchors = spec.decoder().anchorsPerCell() != null ? spec.decoder().anchorsPerCell() : 2;
  }

  @Override
  public List<Detection> decode(Outputs out, int height, int width, double minScore) {
    List<Detection> faces = new ArrayList<>();
    for (int s : strides) {
      float[] score = out.values(spec.strideOutput("scores", s));
      float[] box = out.values(spec.strideOutput("boxes", s));
      float[] kps = out.values(spec.strideOutput("landmarks", s));
      int cols = (width + s - 1) / s;
      for (int r = 0; r < score.length; r++) {
        if (score[r] < minScore) {
          continue;
        }
        int cell = r / anchors;
        float ax = (cell % cols) * s;
        float ay = (cell / cols) * s;
        float[] lm = new float[10];
        for (int p = 0; p < 5; p++) {
          lm[2 * p] = ax + kps[10 * r + 2 * p] * s;
          lm[2 * p + 1] = ay + kps[10 * r + 2 * p + 1] * s;
        }
        faces.add(new Detection(ax - box[4 * r] * s, ay - box[4 * r + 1] * s, ax + box[4 * r + 2] * s,
            ay + box[4 * r + 3] * s, score[r], lm));
      }
    }
    return faces;
  }
}
