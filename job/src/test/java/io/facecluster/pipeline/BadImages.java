package io.facecluster.pipeline;

import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Writes the awkward inputs of {@link BadInputJobTest}, each made from one real one-face LFW photo. */
public final class BadImages {
  /** File name -> {expected status, a word the reason must contain}. */
  public static final Map<String, String[]> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("corrupt.jpg", new String[] {"error", "corrupt"});
    EXPECTED.put("truncated.jpg", new String[] {"error", "truncated"});
    EXPECTED.put("empty.jpg", new String[] {"error", "empty"});
    EXPECTED.put("notes.jpg", new String[] {"error", "not an image"});
    EXPECTED.put("huge.png", new String[] {"error", "too large"});
    EXPECTED.put("blank.png", new String[] {"no_face", "no face"});
    EXPECTED.put("gray.jpg", new String[] {"ok", "1 face"});
    EXPECTED.put("alpha.png", new String[] {"ok", "1 face"});
    EXPECTED.put("deep16.png", new String[] {"ok", "1 face"});
    EXPECTED.put("cmyk.jpg", new String[] {"ok", "1 face"});
    EXPECTED.put("exif-rotated.jpg", new String[] {"ok", "1 face"});
    EXPECTED.put("huge.jpg", new String[] {"ok", "1 face"});
    EXPECTED.put("upper.JPG", new String[] {"ok", "1 face"});
  }

  private BadImages() {}

  public static void writeAll(Path dir, byte[] faceJpeg) throws Exception {
    Mat face = Imgcodecs.imdecode(new MatOfByte(faceJpeg), Imgcodecs.IMREAD_COLOR);
    Random random = new Random(7);
    byte[] junk = new byte[4000];
    random.nextBytes(junk);
    byte[] corrupt = new byte[junk.length + 4];
    corrupt[0] = (byte) 0xFF;
    corrupt[1] = (byte) 0xD8;
    corrupt[2] = (byte) 0xFF;
    corrupt[3] = (byte) 0xE0;
    System.arraycopy(junk, 0, corrupt, 4, junk.length - 2);
    corrupt[corrupt.length - 2] = (byte) 0xFF;
    corrupt[corrupt.length - 1] = (byte) 0xD9;
    Files.write(dir.resolve("corrupt.jpg"), corrupt);
    Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(faceJpeg, faceJpeg.length * 6 / 10));
    Files.write(dir.resolve("empty.jpg"), new byte[0]);
    Files.writeString(dir.resolve("notes.jpg"), "meeting notes, not a photo\n", StandardCharsets.UTF_8);
    Imgcodecs.imwrite(dir.resolve("huge.png").toString(), resized(face, 400));
    Imgcodecs.imwrite(dir.resolve("blank.png").toString(), new Mat(200, 200, CvType.CV_8UC3, new Scalar(128, 128, 128)));
    Mat gray = new Mat();
    Imgproc.cvtColor(face, gray, Imgproc.COLOR_BGR2GRAY);
    Imgcodecs.imwrite(dir.resolve("gray.jpg").toString(), gray);
    Mat alpha = new Mat();
    Imgproc.cvtColor(face, alpha, Imgproc.COLOR_BGR2BGRA);
    Imgcodecs.imwrite(dir.resolve("alpha.png").toString(), alpha);
    Mat deep = new Mat();
    face.convertTo(deep, CvType.CV_16UC3, 257);
    Imgcodecs.imwrite(dir.resolve("deep16.png").toString(), deep);
    Files.write(dir.resolve("cmyk.jpg"), cmykJpeg(face));
    Files.write(dir.resolve("exif-rotated.jpg"), exifRotated(face));
    Imgcodecs.imwrite(dir.resolve("huge.jpg").toString(), resized(face, 500));
    Files.createDirectories(dir.resolve("nested"));
    Files.write(dir.resolve("nested/upper.JPG"), faceJpeg);
  }

  private static Mat resized(Mat m, int side) {
    Mat out = new Mat();
    Imgproc.resize(m, out, new Size(side, side));
    return out;
  }

  /**
   * A 4-channel (CMYK) JPEG. libjpeg treats 4-channel JPEGs as Adobe (inverted) CMYK, where each stored channel
   * is 255 - ink, so storing R, G, B and K = 255 shows the original colours.
   */
  private static byte[] cmykJpeg(Mat bgr) throws Exception {
    int w = bgr.cols();
    int h = bgr.rows();
    byte[] px = new byte[w * h * 3];
    bgr.get(0, 0, px);
    WritableRaster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
    int[] pixel = new int[4];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        pixel[0] = px[i + 2] & 0xFF;
        pixel[1] = px[i + 1] & 0xFF;
        pixel[2] = px[i] & 0xFF;
        pixel[3] = 255;
        raster.setPixel(x, y, pixel);
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(null, new IIOImage(raster, null, null), null);
    }
    writer.dispose();
    return out.toByteArray();
  }

  /** The face padded to 250x300 (upright), stored rotated 90 degrees counter-clockwise with EXIF orientation 6. */
  private static byte[] exifRotated(Mat face) {
    Mat upright = new Mat();
    Core.copyMakeBorder(face, upright, 0, 300 - face.rows(), 0, 250 - face.cols(), Core.BORDER_CONSTANT,
        new Scalar(0, 0, 0));
    Mat stored = new Mat();
    Core.rotate(upright, stored, Core.ROTATE_90_COUNTERCLOCKWISE);
    MatOfByte buf = new MatOfByte();
    Imgcodecs.imencode(".jpg", stored, buf);
    byte[] jpeg = buf.toArray();
    byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
    byte[] exifHeader = {'E', 'x', 'i', 'f', 0, 0};
    int len = 2 + exifHeader.length + tiff.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(0xFF);
    out.write(0xE1);
    out.write(len >> 8);
    out.write(len & 0xFF);
    out.writeBytes(exifHeader);
    out.writeBytes(tiff);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
