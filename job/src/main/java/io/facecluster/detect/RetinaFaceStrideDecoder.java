package io.facecluster.detect;

import io.facecluster.models.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * RetinaFace in the insightface / Open Model Zoo layout (the seed card RetinaFace-R50, and insightface's
 * mnet.25; MODELS.md section 1b): per stride three NCHW maps, `scores` [1, 2A, h, w] (softmax applied, face
 * probabilities in channels A..2A-1), `boxes` [1, 4A, h, w] and `landmarks` [1, 10A, h, w]; A anchors per cell,
 * square boxes of `anchorBase` x scale pixels centred as insightface's generate_anchors does (+1 pixel
 * convention), no variances.
 */
final class RetinaFaceStrideDecoder implements DetectionDecoder {
  static final String KIND = "retinaface-stride";
  private final ModelSpec spec;
  private final int[] strides;
  private final double[][] scales;
  private final double base;

  RetinaFaceStrideDecoder(ModelSpec spec) {
    ModelSpec.Decoder d = spec.decoder();
    this.spec = spec;
    this.strides = d.strides();
    this.scales = d.anchorScales();
    this.base = d.anchorBase() != null ? d.anchorBase() : 16;
    if (scales == null || scales.length != strides.length) {
      throw new IllegalArgumentException("Model spec '" + spec.name() + "': decoder.anchorScales needs one list per"
          + " stride");
    }
  }

  @Override
  public List<Detection> decode(Outputs out, int height, int width, double minScore) {
    List<Detection> faces = new ArrayList<>();
    for (int k = 0; k < strides.length; k++) {
      int s = strides[k];
      String scoreName = spec.strideOutput("scores", s);
      float[] cls = out.values(scoreName);
      float[] box = out.values(spec.strideOutput("boxes", s));
      float[] lmk = out.values(spec.strideOutput("landmarks", s));
      long[] shape = out.shape(scoreName);
      int h = (int) shape[2];
      int w = (int) shape[3];
      int anchors = scales[k].length;
      int plane = h * w;
      for (int a = 0; a < anchors; a++) {
        // insightface: base box [0, 0, base-1, base-1] scaled about its centre (base-1)/2
        double size = base * scales[k][a];
        double c0 = (base - 1) / 2.0;
        double ax1 = c0 - (size - 1) / 2.0;
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < w; j++) {
            int cell = i * w + j;
            float score = cls[(anchors + a) * plane + cell];
            if (score < minScore) {
              continue;
            }
            double x1 = ax1 + j * s;
            double y1 = ax1 + i * s;
            double cx = x1 + 0.5 * (size - 1);
            double cy = y1 + 0.5 * (size - 1);
            double dx = box[(4 * a) * plane + cell];
            double dy = box[(4 * a + 1) * plane + cell];
            double dw = box[(4 * a + 2) * plane + cell];
            double dh = box[(4 * a + 3) * plane + cell];
            double pcx = dx * size + cx;
            double pcy = dy * size + cy;
            double pw = Math.exp(dw) * size;
            double ph = Math.exp(dh) * size;
            float[] lm = new float[10];
            for (int p = 0; p < 5; p++) {
              lm[2 * p] = (float) (lmk[(10 * a + 2 * p) * plane + cell] * size + cx);
              lm[2 * p + 1] = (float) (lmk[(10 * a + 2 * p + 1) * plane + cell] * size + cy);
            }
            faces.add(new Detection((float) (pcx - 0.5 * (pw - 1)), (float) (pcy - 0.5 * (ph - 1)),
                (float) (pcx + 0.5 * (pw - 1)), (float) (pcy + 0.5 * (ph - 1)), score, lm));
          }
        }
      }
    }
    return faces;
  }
}
