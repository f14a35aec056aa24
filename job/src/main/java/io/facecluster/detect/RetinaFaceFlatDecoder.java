package io.facecluster.detect;

import io.facecluster.models.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes RetinaFace's flat outputs (biubug6 layout, MODELS.md section 1): per prior, loc (dx, dy, dw, dh),
 * conf (background, face) after softmax, and 10 landmark offsets; priors are SSD-style boxes over strides
 * 8/16/32 with two sizes each, and offsets are scaled by the variances (0.1, 0.2). Plain Java: no ORT here.
 */
public final class RetinaFaceFlatDecoder implements DetectionDecoder {
  static final String KIND = "retinaface-flat";
  private final int[] strides;
  private final int[][] minSizes;
  private final float v0;
  private final float v1;
  private final Map<Long, float[]> priorsBySize = new ConcurrentHashMap<>();
  private final String[] names;

  RetinaFaceFlatDecoder(ModelSpec spec) {
    this(spec.decoder(), new String[] {spec.output("loc"), spec.output("conf"), spec.output("landmarks")});
  }

  public RetinaFaceFlatDecoder(ModelSpec.Decoder d) {
    this(d, null);
  }

  private RetinaFaceFlatDecoder(ModelSpec.Decoder d, String[] names) {
    this.names = names;
    this.strides = d.strides();
    this.minSizes = d.minSizes();
    this.v0 = (float) d.variances()[0];
    this.v1 = (float) d.variances()[1];
  }

  /** Priors (cx, cy, w, h), normalised to the input size, in the order the network emits them. */
  public float[] priors(int height, int width) {
    return priorsBySize.computeIfAbsent(((long) height << 32) | width, k -> buildPriors(height, width));
  }

  private float[] buildPriors(int height, int width) {
    int count = 0;
    for (int k = 0; k < strides.length; k++) {
      count += ceilDiv(height, strides[k]) * ceilDiv(width, strides[k]) * minSizes[k].length;
    }
    float[] p = new float[count * 4];
    int o = 0;
    for (int k = 0; k < strides.length; k++) {
      int step = strides[k];
      int fh = ceilDiv(height, step);
      int fw = ceilDiv(width, step);
      for (int i = 0; i < fh; i++) {
        for (int j = 0; j < fw; j++) {
          for (int m : minSizes[k]) {
            p[o++] = (j + 0.5f) * step / width;
            p[o++] = (i + 0.5f) * step / height;
            p[o++] = (float) m / width;
            p[o++] = (float) m / height;
          }
        }
      }
    }
    return p;
  }

  @Override
  public List<Detection> decode(Outputs out, int height, int width, double minScore) {
    return decode(out.values(names[0]), out.values(names[1]), out.values(names[2]), height, width, minScore);
  }

  /**
   * Faces with score >= minScore, in input-tensor pixels (before NMS).
   *
   * @param loc [P*4], conf [P*2], landmarks [P*10] for one image of the batch
   */
  public List<Detection> decode(float[] loc, float[] conf, float[] landmarks, int height, int width,
      double minScore) {
    float[] pr = priors(height, width);
    int count = pr.length / 4;
    if (loc.length != count * 4 || conf.length != count * 2 || landmarks.length != count * 10) {
      throw new IllegalArgumentException("RetinaFace outputs do not match " + count + " priors for " + width + "x"
          + height + ": loc " + loc.length + ", conf " + conf.length + ", landmarks " + landmarks.length);
    }
    List<Detection> out = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      float score = conf[2 * p + 1];
      if (score < minScore) {
        continue;
      }
      float pcx = pr[4 * p];
      float pcy = pr[4 * p + 1];
      float sw = pr[4 * p + 2];
      float sh = pr[4 * p + 3];
      float cx = pcx + loc[4 * p] * v0 * sw;
      float cy = pcy + loc[4 * p + 1] * v0 * sh;
      float w = sw * (float) Math.exp(loc[4 * p + 2] * v1);
      float h = sh * (float) Math.exp(loc[4 * p + 3] * v1);
      float[] lm = new float[10];
      for (int n = 0; n < 5; n++) {
        lm[2 * n] = (pcx + landmarks[10 * p + 2 * n] * v0 * sw) * width;
        lm[2 * n + 1] = (pcy + landmarks[10 * p + 2 * n + 1] * v0 * sh) * height;
      }
      out.add(new Detection((cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width,
          (cy + h / 2) * height, score, lm));
    }
    return out;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
