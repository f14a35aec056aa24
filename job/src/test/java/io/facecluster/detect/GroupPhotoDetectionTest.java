package io.facecluster.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.image.DecodedImage;
import io.facecluster.image.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The default detector on the annotated group photos of ../shared/data/group-photos: 43 faces boxed by dlib
 * in 9 VOC photos, plus two deepface photos with known counts.
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
  void findsAtLeastNinetyPercentOfAnnotatedFacesAtIou04() throws Exception {
    Path dir = TestData.groupPhotos().resolve("dlib-voc");
    int annotated = 0;
    int found = 0;
    for (String xml : List.of("training.xml", "testing.xml")) {
      NodeList images = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(dir.resolve(xml).toFile()).getElementsByTagName("image");
      for (int i = 0; i < images.getLength(); i++) {
        Element image = (Element) images.item(i);
        List<Detection> detections = detect(dir.resolve(image.getAttribute("file")));
        NodeList boxes = image.getElementsByTagName("box");
        for (int b = 0; b < boxes.getLength(); b++) {
          Element box = (Element) boxes.item(b);
          float left = Float.parseFloat(box.getAttribute("left"));
          float top = Float.parseFloat(box.getAttribute("top"));
          Detection truth = new Detection(left, top, left + Float.parseFloat(box.getAttribute("width")),
              top + Float.parseFloat(box.getAttribute("height")), 1, new float[10]);
          annotated++;
          if (detections.stream().anyMatch(d -> d.iou(truth) >= 0.4f)) {
            found++;
          }
        }
      }
    }
    double recall = (double) found / annotated;
    System.out.printf("group photos: %d of %d annotated faces found at IoU >= 0.4 (recall %.3f)%n", found,
        annotated, recall);
    assertThat(annotated).as("annotated faces in dlib's training.xml + testing.xml").isEqualTo(43);
    assertThat(recall).as("recall at IoU >= 0.4 (%d of %d)", found, annotated).isGreaterThanOrEqualTo(0.90);
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
