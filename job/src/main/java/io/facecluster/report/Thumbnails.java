package io.facecluster.report;

import io.facecluster.align.BoxCrop;
import io.facecluster.image.BadImageException;
import io.facecluster.image.DecodedImage;
import io.facecluster.image.ImageDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Small JPEG thumbnails of face boxes as `data:` URIs, so the report needs no file beside it and no network.
 * Runs on the driver for the few sample faces of the gallery only: each image is read through the Hadoop
 * FileSystem API (local, hdfs://, s3a://), decoded upright like the pipeline did, and the box cut out.
 */
final class Thumbnails {
  /** The longer side of a thumbnail in pixels: enough to recognise a face, about 2-4 KB as JPEG. */
  static final int SIZE = 72;
  /** Margin around the box, as a share of its longer side, so the whole head shows. */
  private static final double MARGIN = 0.15;
  private static final long MAX_FILE_BYTES = 256L << 20;

  private final Configuration conf;
  private final ImageDecoder decoder;
  private String cachedPath;
  private DecodedImage cached;
  private String cachedError;

  Thumbnails(Configuration conf, long maxPixels) {
    this.conf = conf;
    this.decoder = new ImageDecoder(maxPixels);
  }

  /** A thumbnail or why there is none. */
  record Thumb(String dataUri, String error) {}

  /**
   * The box `[x1, y1, x2, y2]` (upright image pixels) of the image at `path`. Calls for the same path in a row
   * decode the image once (the gallery asks image by image).
   */
  Thumb of(String path, float[] box) {
    if (!path.equals(cachedPath)) {
      release();
      cachedPath = path;
      try {
        cached = decoder.decode(read(path));
      } catch (BadImageException | IOException e) {
        cachedError = e.getMessage();
      }
    }
    if (cached == null) {
      return new Thumb(null, "cannot read the image: " + cachedError);
    }
    double s = cached.scale();
    double w = (box[2] - box[0]) / s;
    double h = (box[3] - box[1]) / s;
    double m = MARGIN * Math.max(w, h);
    double cw = w + 2 * m;
    double ch = h + 2 * m;
    double k = SIZE / Math.max(cw, ch);
    int outW = Math.max(8, (int) Math.round(cw * k));
    int outH = Math.max(8, (int) Math.round(ch * k));
    Mat crop = BoxCrop.crop(cached.bgr(), box[0] / s - m, box[1] / s - m, cw, ch, outW, outH);
    MatOfByte jpeg = new MatOfByte();
    MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 80);
    try {
      Imgcodecs.imencode(".jpg", crop, jpeg, params);
      return new Thumb("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg.toArray()), null);
    } finally {
      crop.release();
      jpeg.release();
      params.release();
    }
  }

  void release() {
    if (cached != null) {
      cached.close();
    }
    cached = null;
    cachedError = null;
    cachedPath = null;
  }

  private byte[] read(String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    long len = fs.getFileStatus(p).getLen();
    if (len > MAX_FILE_BYTES) {
      throw new IOException("file too large for a thumbnail: " + len + " bytes");
    }
    byte[] bytes = new byte[(int) len];
    try (InputStream in = fs.open(p)) {
      org.apache.hadoop.io.IOUtils.readFully(in, bytes, 0, bytes.length);
    }
    return bytes;
  }
}
