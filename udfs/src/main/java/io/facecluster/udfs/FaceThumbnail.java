package io.facecluster.udfs;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * {@code face_thumbnail(path, box, size)}: the face in {@code box} ({@code [x1, y1, x2, y2]} in
 * upright pixels, as the job's {@code faces} table stores it) cut from the image at {@code path}
 * (any Hadoop path: {@code file:}, {@code hdfs://}, {@code s3a://}), as a JPEG data URI whose longer
 * side is {@code size} pixels, for {@code <img src=...>} in notebooks.
 *
 * <p>The crop is a square around the box's centre, 1.25 times its longer side, cut at the image's
 * edges. JPEG EXIF orientation is applied as the job's decoder applies it ({@link ExifOrientation}).
 * Only the crop's region is decoded, subsampled to about twice the thumbnail size, so a thumbnail of
 * a large photo costs little memory. NULL when an argument is NULL, the box is not 4 values with x2
 * &gt; x1 and y2 &gt; y1 or lies outside the image, {@code size} is not in 1..1024, or the file
 * cannot be read or decoded by Java ImageIO (JPEG, PNG, BMP, GIF, TIFF; not WebP or CMYK JPEG): a
 * notebook shows an empty cell rather than losing the whole query.
 *
 * <p>The driver's Hadoop configuration (S3A endpoint, credentials provider) travels with the function
 * to the executors, which read the image files themselves.
 */
final class FaceThumbnail implements Serializable {
  private static final long serialVersionUID = 1L;

  static final int MAX_SIZE = 1024;
  /** Crop side over the box's longer side: some hair and chin around the detector's box. */
  static final double MARGIN = 1.25;

  private transient Configuration conf;

  FaceThumbnail(Configuration conf) {
    this.conf = new Configuration(conf);
  }

  /** The data URI, or null (see the class comment). */
  String dataUri(String path, float[] box, Integer size) {
    if (path == null || size == null || !validBox(box) || size < 1 || size > MAX_SIZE) {
      return null;
    }
    byte[] bytes;
    try {
      Path p = new Path(path);
      try (InputStream in = p.getFileSystem(conf).open(p)) {
        bytes = in.readAllBytes();
      }
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
    byte[] jpeg = thumbnail(bytes, box, size);
    return jpeg == null ? null : "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg);
  }

  /** The thumbnail as JPEG bytes, or null when the image cannot be decoded or the box misses it. */
  static byte[] thumbnail(byte[] image, float[] box, int size) {
    // In memory: ImageIO.createImageInputStream would cache through a temporary file.
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(image))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        BufferedImage crop = readUpright(reader, ExifOrientation.read(image), box, size);
        return crop == null ? null : jpeg(scale(crop, size));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      // ImageIO reports undecodable data as IIOException or, for some corrupt files, runtime errors.
      return null;
    }
  }

  static boolean validBox(float[] box) {
    return box != null && box.length == 4 && box[2] > box[0] && box[3] > box[1];
  }

  /** The crop square in upright pixels, cut at the image's edges; null when nothing is left. */
  static Rectangle cropRect(float[] box, int width, int height) {
    double side = MARGIN * Math.max(box[2] - box[0], box[3] - box[1]);
    double cx = (box[0] + box[2]) / 2.0;
    double cy = (box[1] + box[3]) / 2.0;
    int x0 = (int) Math.max(0, Math.round(cx - side / 2));
    int y0 = (int) Math.max(0, Math.round(cy - side / 2));
    int x1 = (int) Math.min(width, Math.round(cx + side / 2));
    int y1 = (int) Math.min(height, Math.round(cy + side / 2));
    return x1 > x0 && y1 > y0 ? new Rectangle(x0, y0, x1 - x0, y1 - y0) : null;
  }

  private static BufferedImage readUpright(ImageReader reader, int orientation, float[] box, int size)
      throws IOException {
    int w = reader.getWidth(0);
    int h = reader.getHeight(0);
    boolean swap = ExifOrientation.swapsAxes(orientation);
    Rectangle upright = cropRect(box, swap ? h : w, swap ? w : h);
    if (upright == null) {
      return null;
    }
    int[] a = ExifOrientation.toStored(orientation, upright.x, upright.y, w, h);
    int[] b = ExifOrientation.toStored(orientation, upright.x + upright.width - 1,
        upright.y + upright.height - 1, w, h);
    Rectangle stored = new Rectangle(Math.min(a[0], b[0]), Math.min(a[1], b[1]),
        Math.abs(a[0] - b[0]) + 1, Math.abs(a[1] - b[1]) + 1);
    // Subsample to no less than twice the thumbnail: enough for a smooth downscale, little memory.
    int step = Math.max(1, Math.max(stored.width, stored.height) / (2 * size));
    ImageReadParam param = reader.getDefaultReadParam();
    param.setSourceRegion(stored);
    param.setSourceSubsampling(step, step, 0, 0);
    return orient(reader.read(0, param), orientation);
  }

  /** The stored crop turned upright, pixel by pixel (crops are small). */
  private static BufferedImage orient(BufferedImage stored, int orientation) {
    BufferedImage rgb = toRgb(stored, stored.getWidth(), stored.getHeight());
    if (orientation == ExifOrientation.NORMAL) {
      return rgb;
    }
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    boolean swap = ExifOrientation.swapsAxes(orientation);
    BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
    for (int v = 0; v < out.getHeight(); v++) {
      for (int u = 0; u < out.getWidth(); u++) {
        int[] s = ExifOrientation.toStored(orientation, u, v, w, h);
        out.setRGB(u, v, rgb.getRGB(s[0], s[1]));
      }
    }
    return out;
  }

  /** Longer side to {@code size}, halving first so bilinear filtering never skips pixels. */
  private static BufferedImage scale(BufferedImage image, int size) {
    BufferedImage current = image;
    while (Math.max(current.getWidth(), current.getHeight()) >= 2 * size) {
      current = toRgb(current, Math.max(1, current.getWidth() / 2), Math.max(1, current.getHeight() / 2));
    }
    double f = (double) size / Math.max(current.getWidth(), current.getHeight());
    return toRgb(current, Math.max(1, (int) Math.round(current.getWidth() * f)),
        Math.max(1, (int) Math.round(current.getHeight() * f)));
  }

  /** 8-bit RGB of any ImageIO raster (gray, 16-bit, alpha over white), resized to w x h. */
  private static BufferedImage toRgb(BufferedImage image, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.9f);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(in);
  }
}
