package io.facecluster.image;

import org.opencv.core.Mat;

/**
 * An image as 8-bit BGR, upright (EXIF orientation applied). `scale` is original pixels per decoded pixel: 1,
 * or 2/4/8 when a huge JPEG was decoded reduced; width and height are the upright original size.
 */
public record DecodedImage(Mat bgr, ImageFormat format, int width, int height, int scale) implements AutoCloseable {
  @Override
  public void close() {
    bgr.release();
  }
}
