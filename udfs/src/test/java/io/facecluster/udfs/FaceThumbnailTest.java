package io.facecluster.udfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.UnaryOperator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code face_thumbnail}: crops of drawn images whose colours say where each part came from, every
 * EXIF orientation (stored images built with plain rotations and mirrors, not with the code under
 * test), subsampled reads of a large photo, and the NULL rules through SQL.
 */
public class FaceThumbnailTest extends SparkTestBase {
  private static final Color RED = new Color(220, 30, 30);
  private static final Color GREEN = new Color(30, 200, 30);
  private static final Color BLUE = new Color(30, 30, 220);
  private static final Color YELLOW = new Color(230, 220, 30);

  @TempDir static Path tmp;

  @BeforeAll
  public static void registerUdfs() {
    FaceUdfs.register(spark);
  }

  @Test
  public void testCropIsTheBoxWithItsMargin() throws Exception {
    BufferedImage image = filled(400, 300, BLUE);
    fill(image, 150, 100, 100, 100, RED);
    BufferedImage t = decode(FaceThumbnail.thumbnail(jpeg(image), box(150, 100, 250, 200), 50));
    assertThat(new int[] {t.getWidth(), t.getHeight()}).as("square crop scaled to 50 px").containsExactly(50, 50);
    // The crop is 125 px around a 100 px box: 80 % red in the middle, a blue margin of 10 % each side.
    assertColour(t, 25, 25, RED, "centre");
    assertColour(t, 8, 25, RED, "just inside the box, left");
    assertColour(t, 1, 1, BLUE, "margin, top left");
    assertColour(t, 48, 48, BLUE, "margin, bottom right");
  }

  @Test
  public void testCropIsCutAtTheImageEdge() throws Exception {
    byte[] image = jpeg(filled(400, 300, BLUE));
    BufferedImage t = decode(FaceThumbnail.thumbnail(image, box(380, 100, 400, 200), 50));
    // Square of 125 px around x 390: x 328..400 is left, 72 x 125 px, scaled to 29 x 50.
    assertThat(new int[] {t.getWidth(), t.getHeight()}).as("crop cut at the right edge").containsExactly(29, 50);
    assertThat(FaceThumbnail.thumbnail(image, box(500, 100, 600, 200), 50)).as("box outside the image").isNull();
  }

  @Test
  public void testEveryExifOrientationGivesTheUprightCrop() throws Exception {
    // Upright 60 x 40: red, green / blue, yellow quadrants. Each stored image is what a camera
    // writes for that orientation: the upright image turned the opposite way of the display step.
    BufferedImage upright = filled(60, 40, RED);
    fill(upright, 30, 0, 30, 20, GREEN);
    fill(upright, 0, 20, 30, 20, BLUE);
    fill(upright, 30, 20, 30, 20, YELLOW);
    UnaryOperator<BufferedImage> cw = FaceThumbnailTest::rotateClockwise;
    UnaryOperator<BufferedImage> mirror = FaceThumbnailTest::mirror;
    BufferedImage[] stored = {
      null,
      upright,
      mirror.apply(upright),
      cw.apply(cw.apply(upright)),
      mirror.apply(cw.apply(cw.apply(upright))),
      mirror.apply(cw.apply(upright)),
      cw.apply(cw.apply(cw.apply(upright))),
      mirror.apply(cw.apply(cw.apply(cw.apply(upright)))),
      cw.apply(upright),
    };
    for (int orientation = 1; orientation <= 8; orientation++) {
      byte[] file = withExif(jpeg(stored[orientation]), orientation, orientation % 2 == 0);
      assertThat(ExifOrientation.read(file)).as("orientation read back").isEqualTo(orientation);
      // Box 40 x 30 at the centre: a 50 px square, cut to 50 x 40 by the image's height.
      BufferedImage t = decode(FaceThumbnail.thumbnail(file, box(10, 5, 50, 35), 50));
      String o = "orientation " + orientation;
      assertThat(new int[] {t.getWidth(), t.getHeight()}).as("%s: upright size", o).containsExactly(50, 40);
      assertColour(t, 10, 8, RED, o + ", top left");
      assertColour(t, 40, 8, GREEN, o + ", top right");
      assertColour(t, 10, 32, BLUE, o + ", bottom left");
      assertColour(t, 40, 32, YELLOW, o + ", bottom right");
    }
  }

  @Test
  public void testLargePhotoIsReadSubsampled() throws Exception {
    BufferedImage image = filled(3000, 2000, BLUE);
    fill(image, 1000, 500, 1000, 1000, RED);
    fill(image, 1400, 900, 200, 200, GREEN);
    BufferedImage t = decode(FaceThumbnail.thumbnail(jpeg(image), box(1000, 500, 2000, 1500), 40));
    assertThat(new int[] {t.getWidth(), t.getHeight()}).as("thumbnail size").containsExactly(40, 40);
    assertColour(t, 20, 20, GREEN, "the 200 px centre square");
    assertColour(t, 10, 10, RED, "the box");
    assertColour(t, 1, 1, BLUE, "the margin");
  }

  @Test
  public void testSqlFunctionAndItsNulls() throws Exception {
    BufferedImage gray = new BufferedImage(200, 100, BufferedImage.TYPE_BYTE_GRAY);
    Path png = tmp.resolve("gray face.png");
    ImageIO.write(gray, "png", png.toFile());
    Path text = tmp.resolve("notes.jpg");
    Files.writeString(text, "not a photo", StandardCharsets.UTF_8);
    // As the job's path column holds it: Hadoop's Path.toString(), not an escaped java.net.URI.
    String uri = "file:" + png.toAbsolutePath();
    String ok = (String) sql("SELECT face_thumbnail('%s', array(50.0, 20.0, 90.0, 80.0), 32)", uri).get(0)[0];
    assertThat(ok).as("a data URI").startsWith("data:image/jpeg;base64,");
    BufferedImage t = decode(Base64.getDecoder().decode(ok.substring(ok.indexOf(',') + 1)));
    assertThat(new int[] {t.getWidth(), t.getHeight()}).as("gray PNG through SQL").containsExactly(32, 32);
    assertThat(sql("SELECT face_thumbnail('%s', array(50f, 20f, 90f, 80f), 32L) IS NOT NULL", png))
        .as("a plain local path and a bigint size").containsExactly(row(true));
    assertThat(sql("SELECT face_thumbnail(NULL, array(1f, 1f, 5f, 5f), 32), "
            + "face_thumbnail('%1$s', NULL, 32), face_thumbnail('%1$s', array(1f, 1f, 5f, 5f), NULL), "
            + "face_thumbnail('%1$s', array(5f, 1f, 1f, 5f), 32), face_thumbnail('%1$s', array(1f, 1f, 5f), 32), "
            + "face_thumbnail('%1$s', array(1f, 1f, 5f, 5f), 0), face_thumbnail('%1$s', array(1f, 1f, 5f, 5f), 2000), "
            + "face_thumbnail('%2$s', array(1f, 1f, 5f, 5f), 32), "
            + "face_thumbnail('%1$s.missing', array(1f, 1f, 5f, 5f), 32)", uri, "file:" + text.toAbsolutePath()))
        .as("NULL path, box, size; x2 < x1; 3 values; size 0 and 2000; not an image; no such file")
        .containsExactly(row(null, null, null, null, null, null, null, null, null));
  }

  private static float[] box(float x1, float y1, float x2, float y2) {
    return new float[] {x1, y1, x2, y2};
  }

  private static BufferedImage filled(int w, int h, Color c) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    fill(image, 0, 0, w, h, c);
    return image;
  }

  private static void fill(BufferedImage image, int x, int y, int w, int h, Color c) {
    Graphics2D g = image.createGraphics();
    g.setColor(c);
    g.fillRect(x, y, w, h);
    g.dispose();
  }

  private static BufferedImage rotateClockwise(BufferedImage in) {
    BufferedImage out = new BufferedImage(in.getHeight(), in.getWidth(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < in.getHeight(); y++) {
      for (int x = 0; x < in.getWidth(); x++) {
        out.setRGB(in.getHeight() - 1 - y, x, in.getRGB(x, y));
      }
    }
    return out;
  }

  private static BufferedImage mirror(BufferedImage in) {
    BufferedImage out = new BufferedImage(in.getWidth(), in.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < in.getHeight(); y++) {
      for (int x = 0; x < in.getWidth(); x++) {
        out.setRGB(in.getWidth() - 1 - x, y, in.getRGB(x, y));
      }
    }
    return out;
  }

  private static byte[] jpeg(BufferedImage image) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.95f);
      writer.write(null, new IIOImage(image, null, null), param);
    }
    writer.dispose();
    return out.toByteArray();
  }

  /** The JPEG with an APP1 Exif segment right after SOI holding only IFD0's orientation entry. */
  private static byte[] withExif(byte[] jpeg, int orientation, boolean littleEndian) {
    byte[] tiff = littleEndian
        ? new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
            (byte) orientation, 0, 0, 0, 0, 0, 0, 0}
        : new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1,
            0, (byte) orientation, 0, 0, 0, 0, 0, 0};
    byte[] header = {'E', 'x', 'i', 'f', 0, 0};
    int length = 2 + header.length + tiff.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length}, 0, 4);
    out.writeBytes(header);
    out.writeBytes(tiff);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  private static BufferedImage decode(byte[] jpeg) throws Exception {
    assertThat(jpeg).as("thumbnail bytes").isNotNull();
    return ImageIO.read(new ByteArrayInputStream(jpeg));
  }

  /** Within 60 per channel: JPEG blurs edges and shifts colours a little; the four colours differ by far more. */
  private static void assertColour(BufferedImage image, int x, int y, Color expected, String where) {
    Color c = new Color(image.getRGB(x, y));
    assertThat(new int[] {c.getRed(), c.getGreen(), c.getBlue()})
        .as("%s at (%d, %d): %s, expected %s", where, x, y, c, expected)
        .satisfies(rgb -> {
          assertThat(Math.abs(rgb[0] - expected.getRed())).isLessThanOrEqualTo(60);
          assertThat(Math.abs(rgb[1] - expected.getGreen())).isLessThanOrEqualTo(60);
          assertThat(Math.abs(rgb[2] - expected.getBlue())).isLessThanOrEqualTo(60);
        });
  }
}
