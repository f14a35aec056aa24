package io.facecluster.image;

import org.opencv.core.CvException;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Bytes to an upright 8-bit BGR image, or a {@link BadImageException} with a reason. Grayscale, alpha, 16-bit
 * and CMYK inputs all come out as 8-bit BGR (IMREAD_COLOR converts them); EXIF orientation is applied by
 * OpenCV's decoder (IMREAD_COLOR without IGNORE_ORIENTATION).
 */
public final class ImageDecoder {
  private static final int[] REDUCED = {Imgcodecs.IMREAD_REDUCED_COLOR_2, Imgcodecs.IMREAD_REDUCED_COLOR_4,
      Imgcodecs.IMREAD_REDUCED_COLOR_8};

  private final long maxPixels;

  public ImageDecoder(long maxPixels) {
    OpenCv.ensureLoaded();
    this.maxPixels = maxPixels;
  }

  public DecodedImage decode(byte[] bytes) throws BadImageException {
    if (bytes.length == 0) {
      throw new BadImageException("empty file (0 bytes)");
    }
    ImageFormat format = ImageFormat.sniff(bytes);
    if (format == ImageFormat.UNKNOWN) {
      throw new BadImageException("not an image: unknown file signature");
    }
    if (!format.complete(bytes)) {
      throw new BadImageException("truncated " + format + ": end marker missing");
    }
    int[] size = format.headerSize(bytes);
    int flags = Imgcodecs.IMREAD_COLOR;
    int scale = 1;
    if (size != null && (long) size[0] * size[1] > maxPixels) {
      if (format != ImageFormat.JPEG) {
        throw new BadImageException("image too large: " + size[0] + "x" + size[1] + " exceeds image.max-pixels "
            + maxPixels);
      }
      // libjpeg decodes at 1/2, 1/4, 1/8 scale for the cost of the smaller image: faces stay detectable.
      for (int i = 0; i < REDUCED.length && (long) size[0] * size[1] > maxPixels * (long) scale * scale; i++) {
        scale *= 2;
        flags = REDUCED[i];
      }
    }
    Mat mat;
    MatOfByte buf = new MatOfByte(bytes);
    try {
      mat = Imgcodecs.imdecode(buf, flags);
    } catch (CvException e) {
      throw new BadImageException("OpenCV cannot decode " + format + ": " + firstLine(e.getMessage()));
    } finally {
      buf.release();
    }
    if (mat == null || mat.empty()) {
      throw new BadImageException("corrupt or unsupported " + format + ": OpenCV could not decode it");
    }
    return new DecodedImage(mat, format, mat.cols() * scale, mat.rows() * scale, scale);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
