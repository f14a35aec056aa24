package io.facecluster.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.detect.Detection;
import io.facecluster.detect.LandmarkRefiner;
import io.facecluster.image.DecodedImage;
import io.facecluster.image.ImageDecoder;
import io.facecluster.models.ModelFiles;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.ModelSpecs;
import io.facecluster.models.OrtSessions;
import io.facecluster.output.Schemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

/**
 * A face whose landmarks cannot be aligned (all five points equal, or not finite numbers) is a reason on its
 * image, never an exception that fails the task on every attempt: the real detector and embedder on a real photo
 * with two faces, and a real (tiny) landmark model that puts every landmark at the box centre.
 */
class ImageProcessorTest {
  @TempDir
  static Path tmp;
  static FaceModels real;
  static byte[] couple;
  static final String PATH = "file:/photos/couple.jpg";
  static final String SAME_POINT = "landmarks cannot be aligned (source points are all the same point)";

  @BeforeAll
  static void models() throws Exception {
    real = TestData.defaultModels();
    couple = Files.readAllBytes(TestData.groupPhotos().resolve("deepface/couple.jpg"));
  }

  private static ImageProcessor processor(FaceModels models) {
    return new ImageProcessor(new ImageDecoder(100_000_000L), models, FaceSelection.ALL, (stage, ns) -> {});
  }

  @Test
  void bothFacesFoundWithTheRealModels() {
    ImageResult r = processor(real).process(PATH, couple, null);
    try {
      assertThat(r.status).as("status of couple.jpg").isEqualTo(Schemas.OK);
      assertThat(r.reason).as("reason").isEqualTo("2 faces detected");
      assertThat(r.crops).as("aligned crops").hasSize(2);
    } finally {
      r.crops.forEach(Mat::release);
    }
  }

  @Test
  void degenerateLandmarksFromTheModelMakeTheImageNoFaceWithAReason() throws Exception {
    Path specFile = ConstantLandmarks.spec(tmp);
    ModelSpec spec = ModelSpecs.load(specFile.toString(), TestData.modelsDir(), ModelSpec.LANDMARKS,
        new ModelSpecs.Files(List.of(), null, "--landmarks-file"));
    assertThat(spec.unverified()).as("spec without sha256").isTrue();
    byte[] bytes = ModelFiles.readVerified(spec);
    try (LandmarkRefiner refiner = new LandmarkRefiner(spec, OrtSessions.get(spec, () -> bytes, 1, () -> {}))) {
      FaceModels models = new FaceModels(real.detector(), null, refiner, real.aligner(), real.embedder());
      ImageResult r = processor(models).process(PATH, couple, null);
      assertThat(r.status).as("status when no face is left").isEqualTo(Schemas.NO_FACE);
      assertThat(r.reason).as("reason").isEqualTo("2 faces detected, none usable: " + SAME_POINT + "; " + SAME_POINT);
      assertThat(r.faces).as("faces").isEmpty();
      assertThat(r.crops).as("crops").isEmpty();
      assertThat(r.width).as("the image was decoded: its width").isEqualTo(2280);
    }
  }

  @Test
  void aFaceThatCannotBeAlignedIsDroppedTheOthersKeptAndARepeatedBoxCountsOnce() throws Exception {
    ImageProcessor p = processor(real);
    try (DecodedImage img = new ImageDecoder(100_000_000L).decode(couple)) {
      List<Detection> found = new ArrayList<>(real.detector().detect(img.bgr()));
      assertThat(found).as("faces the detector finds").hasSize(2);
      float[] samePoint = new float[10];
      java.util.Arrays.fill(samePoint, 100f);
      float[] notFinite = found.get(1).landmarks().clone();
      notFinite[3] = Float.NaN;
      Detection first = found.get(0);
      found.add(1, new Detection(0, 0, 50, 50, 0.9f, samePoint));
      // halfway to its whole pixel: another box that rounds as the first one does
      float x1 = (first.x1() + Math.round(first.x1())) / 2;
      assertThat(x1).as("a box that differs").isNotEqualTo(first.x1());
      found.add(new Detection(x1, first.y1(), first.x2(), first.y2(), 0.8f, first.landmarks()));
      found.add(new Detection(60, 60, 120, 120, 0.7f, notFinite));
      ImageProcessor.Aligned a = p.align(img, found);
      try {
        assertThat(a.faces()).as("faces kept: the two real ones, in order (scores)").extracting(Detection::score)
            .containsExactly(first.score(), found.get(2).score());
        assertThat(a.crops()).as("one crop per kept face").hasSize(2)
            .allSatisfy(c -> assertThat(c.cols() * 1000 + c.rows()).as("crop size").isEqualTo(112_112));
        assertThat(a.dropped()).as("why faces were dropped").containsExactly(SAME_POINT,
            "landmarks cannot be aligned (source points are not finite numbers)");
        assertThat(a.faces().stream().map(d -> FaceIds.of(PATH, d)).distinct().count())
            .as("distinct face ids (the box 0.2 px off rounds to the first face's box)").isEqualTo(2);
      } finally {
        a.crops().forEach(Mat::release);
      }
    }
  }
}
