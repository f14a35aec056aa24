package io.facecluster.pipeline;

import io.facecluster.detect.Detection;
import io.facecluster.image.DecodedImage;
import io.facecluster.image.ImageDecoder;
import io.facecluster.output.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjLongConsumer;
import org.opencv.core.Mat;

/**
 * Decode, detect and align one file. Every outcome is a result with a status: a bad file or a failure inside a
 * stage becomes `error` with a reason, never an exception that would kill the task (and the job with it).
 */
final class ImageProcessor implements FileProcessor {
  private final ImageDecoder decoder;
  private final FaceModels models;
  private final FaceSelection selection;
  private final ObjLongConsumer<Stage> clock;

  ImageProcessor(ImageDecoder decoder, FaceModels models, FaceSelection selection, ObjLongConsumer<Stage> clock) {
    this.decoder = decoder;
    this.models = models;
    this.selection = selection;
    this.clock = clock;
  }

  /** Face mode detects in the whole image; manifest boxes are for person crops. */
  @Override
  public ImageResult process(String path, byte[] bytes, float[][] boxes) {
    Decoding.Outcome decoded = Decoding.decode(decoder, path, bytes, clock);
    if (decoded.error() != null) {
      return decoded.error();
    }
    try (DecodedImage img = decoded.image()) {
      long t1 = System.nanoTime();
      List<Detection> found;
      String detection = FaceSelection.DETECTOR;
      try {
        found = models.detector().detect(img.bgr());
        if (selection == FaceSelection.CENTRE) {
          if (found.isEmpty()) {
            found = models.fallbackDetector().detect(img.bgr());
            detection = FaceSelection.LOW_SCORE;
          }
          if (found.isEmpty()) {
            found = List.of(new Detection(0, 0, img.bgr().cols(), img.bgr().rows(), 0,
                models.aligner().centreLandmarks(img.bgr().cols(), img.bgr().rows(),
                    FaceSelection.CENTRE_CROP_FRACTION)));
            detection = FaceSelection.CENTRE_CROP;
          }
          found = List.of(nearestCentre(found, img.bgr().cols(), img.bgr().rows()));
        }
        if (models.refiner() != null && !FaceSelection.CENTRE_CROP.equals(detection)) {
          found = models.refiner().refine(img.bgr(), found);
        }
      } catch (Exception e) {
        return ImageResult.error(path, "detection failed: " + e.getMessage(), img.width(), img.height());
      } finally {
        clock.accept(Stage.DETECT, System.nanoTime() - t1);
      }
      if (found.isEmpty()) {
        return new ImageResult(path, Schemas.NO_FACE, "no face above the detector's score threshold", img.width(),
            img.height(), List.of(), List.of(), detection);
      }
      long t2 = System.nanoTime();
      List<Detection> faces = new ArrayList<>(found.size());
      List<Mat> crops = new ArrayList<>(found.size());
      for (Detection d : found) {
        // Detections are in decoded pixels; report them in original pixels (differs for reduced JPEG decode).
        faces.add(d.unscale(1.0 / img.scale()));
        crops.add(models.aligner().align(img.bgr(), d.landmarks(), 1.0));
      }
      clock.accept(Stage.ALIGN, System.nanoTime() - t2);
      String reason = selection == FaceSelection.CENTRE ? "centre face (" + detection + ")"
          : faces.size() + (faces.size() == 1 ? " face" : " faces") + " detected";
      return new ImageResult(path, Schemas.OK, reason, img.width(), img.height(), faces, crops, detection);
    }
  }

  /** The detection whose box centre is nearest the image centre. */
  static Detection nearestCentre(List<Detection> faces, int width, int height) {
    Detection best = null;
    double bestDist = Double.MAX_VALUE;
    for (Detection d : faces) {
      double dist = Math.hypot((d.x1() + d.x2()) / 2 - width / 2.0, (d.y1() + d.y2()) / 2 - height / 2.0);
      if (dist < bestDist) {
        bestDist = dist;
        best = d;
      }
    }
    return best;
  }
}
