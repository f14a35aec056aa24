package io.facecluster.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.detect.Detection;
import io.facecluster.image.DecodedImage;
import io.facecluster.image.ImageDecoder;
import io.facecluster.pipeline.FaceModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/**
 * Real LFW photos through detect, align and embed: the first 20 matched and 20 mismatched pairs of fold 1 of
 * the official pairs.txt. Every same-person cosine must be above THRESHOLD and every different-person cosine
 * below it.
 */
class LfwIdentityTest {
  /** Stated threshold: PaddleX MobileFaceNet, cosine of L2-normalised embeddings, no flip. */
  static final double THRESHOLD = 0.35;
  private static FaceModels models;
  private static ImageDecoder decoder;

  @BeforeAll
  static void load() {
    models = TestData.defaultModels();
    decoder = new ImageDecoder(100_000_000L);
  }

  @Test
  void samePersonPairsScoreAboveEveryDifferentPersonPair() throws Exception {
    List<String> lines = Files.readAllLines(TestData.shared().resolve("data/lfw-protocol/pairs.txt"));
    List<Double> same = new ArrayList<>();
    List<Double> different = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      String[] f = lines.get(i).split("\t");
      same.add(cosine(TestData.lfwImage(f[0], Integer.parseInt(f[1])),
          TestData.lfwImage(f[0], Integer.parseInt(f[2]))));
    }
    for (int i = 301; i <= 320; i++) {
      String[] f = lines.get(i).split("\t");
      different.add(cosine(TestData.lfwImage(f[0], Integer.parseInt(f[1])),
          TestData.lfwImage(f[2], Integer.parseInt(f[3]))));
    }
    double minSame = same.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double maxDifferent = different.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    System.out.printf("LFW fold 1, 20 + 20 pairs: same-person cosine min %.3f, different-person max %.3f%n",
        minSame, maxDifferent);
    assertThat(same).as("same-person cosines (20 pairs)").allSatisfy(c -> assertThat(c).isGreaterThan(THRESHOLD));
    assertThat(different).as("different-person cosines (20 pairs)")
        .allSatisfy(c -> assertThat(c).isLessThan(THRESHOLD));
  }

  @Test
  void embeddingsAreUnitLength128d() throws Exception {
    float[] e = embed(TestData.lfwImage("Colin_Powell", 1));
    double norm = 0;
    for (float x : e) {
      norm += x * x;
    }
    assertThat(e).as("PaddleX embedding size").hasSize(128);
    assertThat(Math.sqrt(norm)).as("L2 norm").isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
  }

  private static double cosine(Path a, Path b) throws Exception {
    float[] x = embed(a);
    float[] y = embed(b);
    double dot = 0;
    for (int i = 0; i < x.length; i++) {
      dot += x[i] * y[i];
    }
    return dot;
  }

  /** The face nearest the image centre, as the LFW protocol's single face per image. */
  private static float[] embed(Path file) throws Exception {
    try (DecodedImage img = decoder.decode(Files.readAllBytes(file))) {
      double cx = img.width() / 2.0;
      double cy = img.height() / 2.0;
      Detection d = models.detector().detect(img.bgr()).stream()
          .min(Comparator.comparingDouble(f -> Math.hypot((f.x1() + f.x2()) / 2 - cx, (f.y1() + f.y2()) / 2 - cy)))
          .orElseThrow(() -> new AssertionError("no face in " + file));
      Mat crop = models.aligner().align(img.bgr(), d.landmarks(), 1.0);
      return models.embedder().embed(List.of(crop))[0];
    }
  }
}
