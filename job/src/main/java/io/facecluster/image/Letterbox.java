package io.facecluster.image;

import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Resize keeping the aspect ratio so that the long side is `longSide`, then pad right and bottom: to a fixed
 * network size, or up to a multiple of `multiple` for dynamic-size models. Detections are mapped back by
 * dividing by {@link #scale()}.
 */
public record Letterbox(Mat image, double scale) implements AutoCloseable {

  public static Letterbox of(Mat bgr, int longSide, int fixedWidth, int fixedHeight, int multiple, double[] padBgr) {
    int w = bgr.cols();
    int h = bgr.rows();
    double s = (double) longSide / Math.max(w, h);
    int rw = Math.max(1, (int) Math.round(w * s));
    int rh = Math.max(1, (int) Math.round(h * s));
    int tw = fixedWidth > 0 ? fixedWidth : roundUp(rw, multiple);
    int th = fixedHeight > 0 ? fixedHeight : roundUp(rh, multiple);
    Mat resized = new Mat();
    // INTER_AREA when shrinking avoids aliasing; INTER_LINEAR when enlarging (what the reference pipelines use).
    Imgproc.resize(bgr, resized, new Size(rw, rh), 0, 0, s < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
    if (rw == tw && rh == th) {
      return new Letterbox(resized, s);
    }
    Mat padded = new Mat();
    Core.copyMakeBorder(resized, padded, 0, th - rh, 0, tw - rw, Core.BORDER_CONSTANT,
        new Scalar(padBgr[0], padBgr[1], padBgr[2]));
    resized.release();
    return new Letterbox(padded, s);
  }

  private static int roundUp(int v, int multiple) {
    return (v + multiple - 1) / multiple * multiple;
  }

  @Override
  public void close() {
    image.release();
  }
}
