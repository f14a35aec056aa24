package io.facecluster.pipeline;

import io.facecluster.detect.Detection;
import io.facecluster.image.DecodedImage;
import io.facecluster.image.ImageDecoder;
import io.facecluster.models.ModelException;
import io.facecluster.models.ModelRunException;
import io.facecluster.output.Schemas;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import org.opencv.core.Mat;

/**
 * Decode, detect and align one file. A bad FILE is a result, never an exception: undecodable becomes `error`
 * with a reason, an image on which OpenCV fails (e.g. too thin to letterbox) too. A bad FACE is dropped with a
 * reason on its image (landmarks that cannot be aligned: all points equal, not finite); the image stays `ok`
 * with its other faces, or becomes `no_face` saying why when none is left. A fault of a MODEL (ONNX Runtime
 * error, an output the spec names and the model lacks: {@link ModelRunException}) is the same for every file,
 * so it is thrown: it fails the task and the run instead of filling the tables with `error` rows.
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

  /** The faces found in one image and where they came from (a {@link FaceSelection} constant). */
  private record Found(List<Detection> faces, String detection) {}

  /** Aligned faces (boxes in original pixels) with their crops, and why the faces left out were dropped. */
  record Aligned(List<Detection> faces, List<Mat> crops, List<String> dropped) {}

  /** Face mode detects in the whole image; manifest boxes are for person crops. */
  @Override
  public ImageResult process(String path, byte[] bytes, float[][] boxes) {
    Decoding.Outcome decoded = Decoding.decode(decoder, path, bytes, clock);
    if (decoded.error() != null) {
      return decoded.error();
    }
    try (DecodedImage img = decoded.image()) {
      long t1 = System.nanoTime();
      Found found;
      try {
        found = detect(img);
      } catch (ModelRunException | ModelException e) {
        throw e;
      } catch (RuntimeException e) {
        // the models ran fine on other images: what failed here is this image's pixels (OpenCV)
        return ImageResult.error(path, "detection failed: " + e.getMessage(), img.width(), img.height());
      } finally {
        clock.accept(Stage.DETECT, System.nanoTime() - t1);
      }
      if (found.faces().isEmpty()) {
        return new ImageResult(path, Schemas.NO_FACE, "no face above the detector's score threshold", img.width(),
            img.height(), List.of(), List.of(), found.detection());
      }
      long t2 = System.nanoTime();
      Aligned aligned;
      try {
        aligned = align(img, found.faces());
      } catch (RuntimeException e) {
        return ImageResult.error(path, "alignment failed: " + e.getMessage(), img.width(), img.height());
      } finally {
        clock.accept(Stage.ALIGN, System.nanoTime() - t2);
      }
      // repeated boxes are one face: what was detected is what was kept plus what was dropped
      int detected = aligned.faces().size() + aligned.dropped().size();
      if (aligned.faces().isEmpty()) {
        return new ImageResult(path, Schemas.NO_FACE, count(detected, "face") + " detected, none usable: "
            + String.join("; ", aligned.dropped()), img.width(), img.height(), List.of(), List.of(),
            found.detection());
      }
      String reason = selection == FaceSelection.CENTRE ? "centre face (" + found.detection() + ")"
          : count(detected, "face") + " detected";
      if (!aligned.dropped().isEmpty()) {
        reason += "; " + count(aligned.dropped().size(), "face") + " dropped: " + String.join("; ", aligned.dropped());
      }
      return new ImageResult(path, Schemas.OK, reason, img.width(), img.height(), aligned.faces(), aligned.crops(),
          found.detection());
    }
  }

  private Found detect(DecodedImage img) {
    List<Detection> found = models.detector().detect(img.bgr());
    String detection = FaceSelection.DETECTOR;
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
    return new Found(found, detection);
  }

  /**
   * One crop per usable face. Two detections that round to the same box (possible with --detect-nms 1, which
   * suppresses nothing) would get the same face_id: the first (higher score, NMS order) is kept. A face whose
   * landmarks cannot be aligned is dropped with its reason. The crops made so far are released if anything
   * else fails, as they would otherwise leak (native memory the GC does not see).
   */
  Aligned align(DecodedImage img, List<Detection> found) {
    List<Detection> faces = new ArrayList<>(found.size());
    List<Mat> crops = new ArrayList<>(found.size());
    List<String> dropped = new ArrayList<>();
    Set<String> boxes = new HashSet<>();
    boolean done = false;
    try {
      for (Detection d : found) {
        // Detections are in decoded pixels; report them in original pixels (differs for reduced JPEG decode).
        Detection face = d.unscale(1.0 / img.scale());
        if (!boxes.add(FaceIds.box(face))) {
          continue;
        }
        try {
          crops.add(models.aligner().align(img.bgr(), d.landmarks(), 1.0));
          faces.add(face);
        } catch (IllegalArgumentException e) {
          dropped.add("landmarks cannot be aligned (" + e.getMessage() + ")");
        }
      }
      done = true;
      return new Aligned(faces, crops, dropped);
    } finally {
      if (!done) {
        crops.forEach(Mat::release);
      }
    }
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
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
