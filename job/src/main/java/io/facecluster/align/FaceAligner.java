package io.facecluster.align;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Warps a face to an embedder's template: the similarity that best maps the 5 detected landmarks onto the
 * template, then a bilinear warp to the crop size with black borders (as the embedders were trained).
 */
public final class FaceAligner {
  private final double[] template;
  private final int width;
  private final int height;

  /** @param template 5 (x, y) points in crop pixels */
  public FaceAligner(double[][] template, int width, int height) {
    this.template = new double[template.length * 2];
    for (int i = 0; i < template.length; i++) {
      this.template[2 * i] = template[i][0];
      this.template[2 * i + 1] = template[i][1];
    }
    this.width = width;
    this.height = height;
  }

  /**
   * Landmarks for a face assumed at the image centre: the template scaled into a centred square whose side is
   * `fraction` of the image's short side. The last-resort face of verification protocols.
   */
  public float[] centreLandmarks(int imageWidth, int imageHeight, double fraction) {
    double side = fraction * Math.min(imageWidth, imageHeight);
    double s = side / width;
    double x0 = (imageWidth - side) / 2;
    double y0 = (imageHeight - height * s) / 2;
    float[] lm = new float[template.length];
    for (int i = 0; i < template.length / 2; i++) {
      lm[2 * i] = (float) (x0 + template[2 * i] * s);
      lm[2 * i + 1] = (float) (y0 + template[2 * i + 1] * s);
    }
    return lm;
  }

  public Similarity transform(float[] landmarks) {
    double[] src = new double[landmarks.length];
    for (int i = 0; i < src.length; i++) {
      src[i] = landmarks[i];
    }
    return Similarity.fit(src, template);
  }

  /** The aligned crop (8-bit BGR, width x height); `scale` maps landmark pixels to `bgr` pixels (1/s). */
  public Mat align(Mat bgr, float[] landmarks, double scale) {
    float[] lm = landmarks;
    if (scale != 1.0) {
      lm = new float[landmarks.length];
      for (int i = 0; i < lm.length; i++) {
        lm[i] = (float) (landmarks[i] / scale);
      }
    }
    Mat m = new Mat(2, 3, CvType.CV_64F);
    m.put(0, 0, transform(lm).matrix());
    Mat out = new Mat();
    Imgproc.warpAffine(bgr, out, m, new Size(width, height), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT,
        new Scalar(0, 0, 0));
    m.release();
    return out;
  }
}
