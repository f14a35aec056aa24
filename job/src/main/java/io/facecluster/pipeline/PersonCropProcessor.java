package io.facecluster.pipeline;

import io.facecluster.align.BoxCrop;
import io.facecluster.detect.Detection;
import io.facecluster.image.DecodedImage;
import io.facecluster.image.ImageDecoder;
import io.facecluster.output.Schemas;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import org.opencv.core.Mat;

/**
 * Person mode: each manifest box of an image, or the whole image when it has none (a re-ID gallery of crops),
 * is one person, resized to the person embedder's input (both models here take 1:2 crops, so CUHK03's 64x128
 * crops keep their proportions). Each comes out as one "face" row with its box, score 1 and no landmarks; bad
 * files get status `error` as in face mode.
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
  public ImageResult process(String path, byte[] bytes, float[][] boxes) {
    Decoding.Outcome decoded = Decoding.decode(decoder, path, bytes, clock);
    if (decoded.error() != null) {
      return decoded.error();
    }
    try (DecodedImage img = decoded.image()) {
      long t1 = System.nanoTime();
      float[][] regions = boxes != null ? boxes : new float[][] {{0, 0, img.width(), img.height()}};
      List<Detection> persons = new ArrayList<>(regions.length);
      List<Mat> crops = new ArrayList<>(regions.length);
      // boxes are in original (upright) pixels; a huge JPEG may have been decoded at 1/2..1/8 of them
      double s = 1.0 / img.scale();
      Set<String> seen = new HashSet<>();
      for (float[] b : regions) {
        Detection person = new Detection(b[0], b[1], b[2], b[3], 1f, new float[0]);
        if (!seen.add(FaceIds.box(person))) {
          continue; // a box repeated in the manifest (to whole pixels) is one person with one face_id
        }
        crops.add(BoxCrop.crop(img.bgr(), b[0] * s, b[1] * s, (b[2] - b[0]) * s, (b[3] - b[1]) * s, width, height));
        persons.add(person);
      }
      clock.accept(Stage.ALIGN, System.nanoTime() - t1);
      String reason = boxes == null ? "person crop" : persons.size() + (persons.size() == 1 ? " box" : " boxes")
          + " from the manifest";
      return new ImageResult(path, Schemas.OK, reason, img.width(), img.height(), persons, crops, DETECTION);
    }
  }
}
