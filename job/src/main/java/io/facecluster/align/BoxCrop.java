package io.facecluster.align;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A box of an image stretched to a model's input size in one affine warp (bilinear; parts of the box outside
 * the image are black): person crops for a re-identification model, face boxes for a landmark model.
 */
public final class BoxCrop {
  private BoxCrop() {}

  /** The box (x, y, width, height) in image pixels, resized to outWidth x outHeight. */
  public static Mat crop(Mat bgr, double x, double y, double w, double h, int outWidth, int outHeight) {
    Mat m = new Mat(2, 3, CvType.CV_64F);
    m.put(0, 0, outWidth / w, 0, -x * outWidth / w, 0, outHeight / h, -y * outHeight / h);
    Mat out = new Mat();
    Imgproc.warpAffine(bgr, out, m, new Size(outWidth, outHeight), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT,
        new Scalar(0, 0, 0));
    m.release();
    return out;
  }
}
