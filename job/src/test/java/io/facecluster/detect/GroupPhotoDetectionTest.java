package io.facecluster.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.image.DecodedImage;
import io.facecluster.image.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default detector on the two deepface group photos with known counts, and its landmark order (the 43
 * annotated dlib-voc faces are checked for every detector by {@link AllDetectorsTest}).
 */
class GroupPhotoDetectionTest {
  private static FaceDetector detector;
  private static ImageDecoder decoder;

  @BeforeAll
  static void models() {
    detector = TestData.defaultModels().detector();
    decoder = new ImageDecoder(100_000_000L);
  }

  @Test
  void countsFacesInTheDeepfacePhotos() throws Exception {
    Path dir = TestData.groupPhotos().resolve("deepface");
    int couple = detect(dir.resolve("couple.jpg")).size();
    int selfie = detect(dir.resolve("selfie-many-people.jpg")).size();
    FaceDetector lenient = new FaceDetector(detector.spec(), TestData.defaultModels().detector().session(), 640,
        0.3, null);
    int selfieLenient;
    try (DecodedImage img = decoder.decode(Files.readAllBytes(dir.resolve("selfie-many-people.jpg")))) {
      selfieLenient = lenient.detect(img.bgr()).size();
    }
    System.out.printf("deepface photos: couple %d faces (2 expected), selfie %d faces at score 0.5, %d at 0.3"
        + " (7 expected)%n", couple, selfie, selfieLenient);
    assertThat(couple).as("faces in couple.jpg (2280x1588)").isEqualTo(2);
    // The seventh selfie face is cut by the border and scores between 0.3 and 0.5.
    assertThat(selfie).as("faces in selfie-many-people.jpg at the default score 0.5").isEqualTo(6);
    assertThat(selfieLenient).as("faces in selfie-many-people.jpg at score 0.3 (7 by eye)").isEqualTo(7);
  }

  @Test
  void landmarksLieInsideTheirBoxInImageOrder() throws Exception {
    for (Detection d : detect(TestData.lfwImage("George_W_Bush", 1))) {
      float[] lm = d.landmarks();
      for (int n = 0; n < 5; n++) {
        assertThat(lm[2 * n]).as("landmark %d x inside the box", n).isBetween(d.x1(), d.x2());
        assertThat(lm[2 * n + 1]).as("landmark %d y inside the box", n).isBetween(d.y1(), d.y2());
      }
      assertThat(lm[0]).as("eye on the image's left is left of the other eye").isLessThan(lm[2]);
      assertThat(lm[5]).as("nose below the eyes").isGreaterThan(Math.max(lm[1], lm[3]));
      assertThat(lm[7]).as("mouth below the nose").isGreaterThan(lm[5]);
    }
  }

  static List<Detection> detect(Path file) throws Exception {
    try (DecodedImage img = decoder.decode(Files.readAllBytes(file))) {
      return new ArrayList<>(detector.detect(img.bgr()));
    }
  }
}
