package io.facecluster.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.detect.Detection;
import org.junit.jupiter.api.Test;

/**
 * Face ids must be the same in every run (reruns and joins across runs rely on it) and differ between faces.
 * Expected ids are the first 20 hex digits of sha256("path#x1,y1,x2,y2"), computed outside Java.
 */
class FaceIdsTest {
  private static final String PATH = "/photos/a.jpg";

  private static Detection box(float x1, float y1, float x2, float y2) {
    return new Detection(x1, y1, x2, y2, 0.9f, new float[10]);
  }

  @Test
  void idIsAFixedHashOfPathAndRoundedBox() {
    // sha256("/photos/a.jpg#10,20,110,140") starts 80bdb24f6a8eb6b758f4.
    assertThat(FaceIds.of(PATH, box(10, 20, 110, 140))).as("id of a known face").isEqualTo("80bdb24f6a8eb6b758f4");
    // sha256("s3a://bucket/photos/a.jpg#10,20,110,140") starts ea9781f9736a4247bd55.
    assertThat(FaceIds.of("s3a://bucket" + PATH, box(10, 20, 110, 140))).as("id of the face in an S3 copy")
        .isEqualTo("ea9781f9736a4247bd55");
  }

  @Test
  void sameFaceSameId() {
    String id = FaceIds.of(PATH, box(10, 20, 110, 140));
    assertThat(FaceIds.of(PATH, box(10, 20, 110, 140))).as("same path and box again").isEqualTo(id);
    // Sub-pixel noise (another ORT build, another thread count) rounds to the same whole pixels.
    assertThat(FaceIds.of(PATH, box(10.4f, 19.6f, 109.5f, 140.49f))).as("box within half a pixel").isEqualTo(id);
    // Score and landmarks are not part of the id.
    Detection other = new Detection(10, 20, 110, 140, 0.51f, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    assertThat(FaceIds.of(PATH, other)).as("other score and landmarks").isEqualTo(id);
  }

  @Test
  void differentFaceDifferentId() {
    String id = FaceIds.of(PATH, box(10, 20, 110, 140));
    assertThat(FaceIds.of(PATH, box(11, 20, 110, 140))).as("x1 one pixel off").isNotEqualTo(id);
    assertThat(FaceIds.of(PATH, box(10, 21, 110, 140))).as("y1 one pixel off").isNotEqualTo(id);
    assertThat(FaceIds.of(PATH, box(10, 20, 111, 140))).as("x2 one pixel off").isNotEqualTo(id);
    assertThat(FaceIds.of(PATH, box(10, 20, 110, 139))).as("y2 one pixel off").isNotEqualTo(id);
    assertThat(FaceIds.of("/photos/b.jpg", box(10, 20, 110, 140))).as("other file").isNotEqualTo(id);
    assertThat(FaceIds.of("/photos/a.JPG", box(10, 20, 110, 140))).as("path case matters").isNotEqualTo(id);
  }

  @Test
  void idIsTwentyLowercaseHexDigits() {
    for (Detection d : new Detection[] {box(0, 0, 1, 1), box(-3.2f, -7.9f, 4000.6f, 3000.1f)}) {
      assertThat(FaceIds.of("x.png", d)).as("id of %s", d).matches("[0-9a-f]{20}");
    }
  }
}
