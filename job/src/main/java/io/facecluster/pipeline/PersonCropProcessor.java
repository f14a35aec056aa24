package io.facecluster.pipeline;

import io.facecluster.align.BoxCrop;
import io.facecluster.detect.Detection;
import io.facecluster.image.BadImageException;
import io.facecluster.image.DecodedImage;
import io.facecluster.image.ImageDecoder;
import io.facecluster.output.Schemas;
import java.util.List;
import java.util.function.ObjLongConsumer;
import org.opencv.core.Mat;

/**
 * Person mode: the whole image is one person crop (a re-ID gallery), resized to the person embedder's input
 * (both models here take 1:2 crops, so CUHK03's 64x128 crops keep their proportions). It comes out as one
 * "face" row with the image as its box, score 1 and no landmarks; bad files get status `error` as in face mode.
 */
final class PersonCropProcessor implements FileProcessor {
  static final String DETECTION = "person_crop";
  private final ImageDecoder decoder;
  private final int width;
  private final int height;
  private final ObjLongConsumer<Stage> clock;

  PersonCropProcessor(ImageDecoder decoder, int width, int height, ObjLongConsumer<Stage> clock) {
    this.decoder = decoder;
    this.width = width;
    this.height = height;
    this.clock = clock;
  }

  @Override
  public ImageResult process(String path, byte[] bytes) {
    long t0 = System.nanoTime();
    DecodedImage img;
    try {
      img = decoder.decode(bytes);
    } catch (BadImageException e) {
      return ImageResult.error(path, e.getMessage(), null, null);
    } catch (RuntimeException e) {
      return ImageResult.error(path, "decode failed: " + e, null, null);
    } finally {
      clock.accept(Stage.DECODE, System.nanoTime() - t0);
    }
    try (img) {
      long t1 = System.nanoTime();
      int w = img.bgr().cols();
      int h = img.bgr().rows();
      Mat crop = BoxCrop.crop(img.bgr(), 0, 0, w, h, width, height);
      clock.accept(Stage.ALIGN, System.nanoTime() - t1);
      Detection whole = new Detection(0, 0, img.width(), img.height(), 1f, new float[0]);
      return new ImageResult(path, Schemas.OK, "person crop", img.width(), img.height(), List.of(whole),
          List.of(crop), DETECTION);
    }
  }
}
