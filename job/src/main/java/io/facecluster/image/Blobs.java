package io.facecluster.image;

import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.imgproc.Imgproc;

/**
 * BGR images to one NCHW float tensor, (pixel - mean[c]) * scale[c] in the model's colour order, done by
 * OpenCV's blobFromImages in native code (no per-pixel Java loop). All images must have the same size.
 */
public final class Blobs {
  private Blobs() {}

  /**
   * The same values in NHWC order (TensorFlow exports): OpenCV converts each image to float HWC with the mean
   * and scale applied per channel, and the rows are copied out in bulk.
   */
  public static float[] nhwc(List<Mat> images, boolean toRgb, double[] mean, double[] scale) {
    OpenCv.ensureLoaded();
    Mat first = images.get(0);
    int per = first.rows() * first.cols() * 3;
    float[] out = new float[images.size() * per];
    float[] one = new float[per];
    Mat colour = new Mat();
    Mat f = new Mat();
    try {
      for (int i = 0; i < images.size(); i++) {
        Mat src = images.get(i);
        if (toRgb) {
          Imgproc.cvtColor(src, colour, Imgproc.COLOR_BGR2RGB);
        } else {
          src.copyTo(colour);
        }
        colour.convertTo(f, CvType.CV_32FC3);
        Core.subtract(f, new Scalar(mean[0], mean[1], mean[2]), f);
        Core.multiply(f, new Scalar(scale[0], scale[1], scale[2]), f);
        f.get(0, 0, one);
        System.arraycopy(one, 0, out, i * per, per);
      }
    } finally {
      colour.release();
      f.release();
    }
    return out;
  }

  public static float[] nchw(List<Mat> images, boolean toRgb, double[] mean, double[] scale) {
    OpenCv.ensureLoaded();
    Mat first = images.get(0);
    int n = images.size();
    int h = first.rows();
    int w = first.cols();
    boolean uniform = scale[0] == scale[1] && scale[1] == scale[2];
    Mat blob = Dnn.blobFromImages(images, uniform ? scale[0] : 1.0, new Size(w, h),
        new Scalar(mean[0], mean[1], mean[2]), toRgb, false);
    float[] out = new float[n * 3 * h * w];
    blob.get(new int[] {0, 0, 0, 0}, out);
    blob.release();
    if (!uniform) {
      int plane = h * w;
      for (int i = 0; i < n * 3; i++) {
        float s = (float) scale[i % 3];
        for (int j = i * plane, end = j + plane; j < end; j++) {
          out[j] *= s;
        }
      }
    }
    return out;
  }
}
