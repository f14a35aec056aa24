package io.facecluster.detect;

/**
 * One face: box corners (x1, y1, x2, y2) in image pixels, detector score, and 5 landmarks (x0, y0, .., x4, y4)
 * in image order: eye on the image's left, eye on its right, nose tip, mouth corners left and right.
 */
public record Detection(float x1, float y1, float x2, float y2, float score, float[] landmarks) {

  public float width() {
    return x2 - x1;
  }

  public float height() {
    return y2 - y1;
  }

  public float area() {
    return Math.max(0, width()) * Math.max(0, height());
  }

  public float iou(Detection o) {
    float iw = Math.min(x2, o.x2) - Math.max(x1, o.x1);
    float ih = Math.min(y2, o.y2) - Math.max(y1, o.y1);
    if (iw <= 0 || ih <= 0) {
      return 0;
    }
    float inter = iw * ih;
    return inter / (area() + o.area() - inter);
  }

  /** The same face in a frame scaled by 1/s (network input back to image pixels when s = letterbox scale). */
  public Detection unscale(double s) {
    float[] lm = new float[landmarks.length];
    for (int i = 0; i < lm.length; i++) {
      lm[i] = (float) (landmarks[i] / s);
    }
    return new Detection((float) (x1 / s), (float) (y1 / s), (float) (x2 / s), (float) (y2 / s), score, lm);
  }
}
