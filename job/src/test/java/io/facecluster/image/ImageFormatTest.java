package io.facecluster.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/** Format sniffing from the first bytes, truncation checks and header sizes, on hand-made and real files. */
class ImageFormatTest {
  private static byte[] lfwJpeg;

  @BeforeAll
  static void load() throws Exception {
    OpenCv.ensureLoaded();
    lfwJpeg = Files.readAllBytes(TestData.lfwImage("Colin_Powell", 1));
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Arrays.stream(parts).forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** An image `width` x `height` with a gradient (so the compressed data is not trivially short). */
  private static byte[] encode(String ext, int width, int height) {
    Mat m = new Mat(height, width, CvType.CV_8UC3, new Scalar(30, 90, 200));
    for (int y = 0; y < height; y++) {
      m.put(y, 0, new byte[] {(byte) y, (byte) (2 * y), (byte) (255 - y)});
    }
    MatOfByte buf = new MatOfByte();
    assertThat(Imgcodecs.imencode(ext, m, buf)).as("OpenCV encodes %s", ext).isTrue();
    return buf.toArray();
  }

  @Test
  void sniffsEachSignature() {
    assertThat(ImageFormat.sniff(bytes(0xFF, 0xD8, 0xFF, 0xE0))).as("JPEG SOI + APP0").isEqualTo(ImageFormat.JPEG);
    assertThat(ImageFormat.sniff(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A))).as("PNG signature")
        .isEqualTo(ImageFormat.PNG);
    assertThat(ImageFormat.sniff(ascii("GIF89a"))).as("GIF89a").isEqualTo(ImageFormat.GIF);
    assertThat(ImageFormat.sniff(ascii("GIF87a"))).as("GIF87a").isEqualTo(ImageFormat.GIF);
    assertThat(ImageFormat.sniff(ascii("BM6\0\0\0"))).as("BMP").isEqualTo(ImageFormat.BMP);
    assertThat(ImageFormat.sniff(ascii("RIFF\u0024\0\0\0WEBPVP8 "))).as("RIFF....WEBP").isEqualTo(ImageFormat.WEBP);
    assertThat(ImageFormat.sniff(ascii("II*\0\u0008\0\0\0"))).as("little-endian TIFF").isEqualTo(ImageFormat.TIFF);
    assertThat(ImageFormat.sniff(ascii("MM\0*\0\0\0\u0008"))).as("big-endian TIFF").isEqualTo(ImageFormat.TIFF);
  }

  @Test
  void unknownForTextEmptyAndNearMisses() {
    assertThat(ImageFormat.sniff(new byte[0])).as("empty file").isEqualTo(ImageFormat.UNKNOWN);
    assertThat(ImageFormat.sniff(ascii("meeting notes\n"))).as("text").isEqualTo(ImageFormat.UNKNOWN);
    assertThat(ImageFormat.sniff(bytes(0xFF, 0xD8))).as("JPEG SOI without a marker after it")
        .isEqualTo(ImageFormat.UNKNOWN);
    assertThat(ImageFormat.sniff(bytes(0x89, 'P', 'N', 'G'))).as("PNG signature cut at 4 bytes")
        .isEqualTo(ImageFormat.UNKNOWN);
    assertThat(ImageFormat.sniff(ascii("RIFF\u0024\0\0\0WAVEfmt "))).as("RIFF audio")
        .isEqualTo(ImageFormat.UNKNOWN);
    assertThat(ImageFormat.sniff(ascii("II\0\0"))).as("II without TIFF's magic 42")
        .isEqualTo(ImageFormat.UNKNOWN);
  }

  @Test
  void realFilesAreSniffed() {
    assertThat(ImageFormat.sniff(lfwJpeg)).as("LFW JPEG").isEqualTo(ImageFormat.JPEG);
    assertThat(ImageFormat.sniff(encode(".png", 8, 8))).as("OpenCV PNG").isEqualTo(ImageFormat.PNG);
    assertThat(ImageFormat.sniff(encode(".bmp", 8, 8))).as("OpenCV BMP").isEqualTo(ImageFormat.BMP);
    assertThat(ImageFormat.sniff(encode(".tif", 8, 8))).as("OpenCV TIFF").isEqualTo(ImageFormat.TIFF);
  }

  @Test
  void jpegCompleteOnlyWithItsEndMarker() {
    assertThat(ImageFormat.JPEG.complete(lfwJpeg)).as("whole LFW JPEG (%d bytes)", lfwJpeg.length).isTrue();
    // 100: inside the headers; then inside the scan; length - 1 cuts EOI in half.
    for (int len : new int[] {100, 1000, lfwJpeg.length / 2, lfwJpeg.length - 100, lfwJpeg.length - 1}) {
      assertThat(ImageFormat.JPEG.complete(Arrays.copyOf(lfwJpeg, len))).as("JPEG cut at %d bytes", len).isFalse();
    }
    // Cameras and editors append data after EOI; the image itself is whole.
    byte[] trailing = concat(lfwJpeg, new byte[64], ascii("trailer"));
    assertThat(ImageFormat.JPEG.complete(trailing)).as("JPEG with 71 bytes after EOI").isTrue();
  }

  @Test
  void embeddedThumbnailEndMarkerDoesNotMakeATruncatedJpegComplete() {
    // An APP1 segment holding a tiny "thumbnail" (SOI ... EOI) right after SOI, like an EXIF thumbnail.
    byte[] thumb = concat(ascii("Exif\0\0"), bytes(0xFF, 0xD8, 0xFF, 0xD9));
    int len = thumb.length + 2;
    byte[] app1 = concat(bytes(0xFF, 0xE1, len >> 8, len & 0xFF), thumb);
    byte[] withThumb = concat(Arrays.copyOf(lfwJpeg, 2), app1, Arrays.copyOfRange(lfwJpeg, 2, lfwJpeg.length));
    assertThat(ImageFormat.JPEG.complete(withThumb)).as("whole JPEG with a thumbnail").isTrue();
    assertThat(ImageFormat.JPEG.complete(Arrays.copyOf(withThumb, withThumb.length / 2)))
        .as("JPEG with a thumbnail, cut in its main scan").isFalse();
    assertThat(ImageFormat.JPEG.headerSize(withThumb)).as("size read past the APP1 segment")
        .containsExactly(250, 250);
  }

  @Test
  void pngCompleteOnlyWithIend() {
    byte[] png = encode(".png", 64, 48);
    assertThat(ImageFormat.PNG.complete(png)).as("whole PNG").isTrue();
    // The last 12 bytes are the IEND chunk (length, type, CRC).
    assertThat(Arrays.copyOfRange(png, png.length - 8, png.length - 4)).as("IEND type").isEqualTo(ascii("IEND"));
    for (int len : new int[] {33, png.length / 2, png.length - 12}) {
      assertThat(ImageFormat.PNG.complete(Arrays.copyOf(png, len))).as("PNG cut at %d bytes", len).isFalse();
    }
  }

  @Test
  void otherFormatsAreNotCheckedForTruncation() {
    byte[] bmp = encode(".bmp", 8, 8);
    assertThat(ImageFormat.BMP.complete(Arrays.copyOf(bmp, 20))).as("BMP: left to the decoder").isTrue();
  }

  @Test
  void headerSizeIsWidthThenHeight() {
    assertThat(ImageFormat.JPEG.headerSize(lfwJpeg)).as("LFW JPEG").containsExactly(250, 250);
    assertThat(ImageFormat.PNG.headerSize(encode(".png", 37, 23))).as("PNG 37 wide, 23 high")
        .containsExactly(37, 23);
    assertThat(ImageFormat.JPEG.headerSize(encode(".jpg", 64, 48))).as("JPEG 64 wide, 48 high")
        .containsExactly(64, 48);
    assertThat(ImageFormat.PNG.headerSize(Arrays.copyOf(encode(".png", 37, 23), 20))).as("PNG header cut at 20")
        .isNull();
    assertThat(ImageFormat.BMP.headerSize(encode(".bmp", 8, 8))).as("BMP: not parsed here").isNull();
    assertThat(ImageFormat.JPEG.headerSize(bytes(0xFF, 0xD8, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08)))
        .as("JPEG whose second segment is not a marker").isNull();
  }
}
