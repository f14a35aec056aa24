package io.facecluster.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.facecluster.TestData;
import io.facecluster.image.OpenCv;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.imgproc.Moments;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/** The similarity fit as geometry, and the warp as pixels: landmarks must land on the template. */
class AlignmentTest {
  private static double[][] template;

  @BeforeAll
  static void load() {
    OpenCv.ensureLoaded();
    template = TestData.embedderSpec().alignment().template();
  }

  @Test
  void recoversAKnownSimilarityExactly() {
    // Template mapped by scale 2.5, rotation 30 degrees, shift (140, 60): the fit must invert it.
    double s = 2.5;
    double c = Math.cos(Math.toRadians(30)) * s;
    double n = Math.sin(Math.toRadians(30)) * s;
    double[] src = new double[10];
    double[] dst = new double[10];
    for (int i = 0; i < 5; i++) {
      dst[2 * i] = template[i][0];
      dst[2 * i + 1] = template[i][1];
      src[2 * i] = c * template[i][0] - n * template[i][1] + 140;
      src[2 * i + 1] = n * template[i][0] + c * template[i][1] + 60;
    }
    Similarity t = Similarity.fit(src, dst);
    assertThat(t.scale()).as("scale of the inverse transform").isCloseTo(1 / s, within(1e-9));
    for (int i = 0; i < 5; i++) {
      double[] p = t.apply(src[2 * i], src[2 * i + 1]);
      assertThat(p[0]).as("x of point %d", i).isCloseTo(template[i][0], within(1e-9));
      assertThat(p[1]).as("y of point %d", i).isCloseTo(template[i][1], within(1e-9));
    }
  }

  @Test
  void neverReflects() {
    // Mirrored points: the best similarity without reflection cannot map them exactly, and must keep a > 0 det.
    double[] src = new double[10];
    double[] dst = new double[10];
    for (int i = 0; i < 5; i++) {
      dst[2 * i] = template[i][0];
      dst[2 * i + 1] = template[i][1];
      src[2 * i] = 200 - template[i][0];
      src[2 * i + 1] = template[i][1];
    }
    Similarity t = Similarity.fit(src, dst);
    double det = t.a() * t.a() + t.b() * t.b();
    assertThat(det).as("determinant of the linear part (a^2 + b^2 > 0: rotation, not reflection)")
        .isGreaterThan(0);
  }

  @Test
  void warpedLandmarksLandOnTheTemplateWithinOnePixel() {
    // A photo-sized image with a bright dot at each of 5 landmarks placed as a rotated, scaled template.
    double s = 3.1;
    double c = Math.cos(Math.toRadians(-17)) * s;
    double n = Math.sin(Math.toRadians(-17)) * s;
    Mat img = Mat.zeros(600, 800, CvType.CV_8UC3);
    float[] landmarks = new float[10];
    for (int i = 0; i < 5; i++) {
      landmarks[2 * i] = (float) (c * template[i][0] - n * template[i][1] + 250);
      landmarks[2 * i + 1] = (float) (n * template[i][0] + c * template[i][1] + 180);
      Imgproc.circle(img, new Point(landmarks[2 * i], landmarks[2 * i + 1]), 6, new Scalar(255, 255, 255), -1,
          Imgproc.LINE_AA);
    }
    Mat crop = new FaceAligner(template, 112, 112).align(img, landmarks, 1.0);
    assertThat(crop.size().width).as("crop width").isEqualTo(112);
    List<Point> found = blobCentres(crop);
    assertThat(found).as("one dot per landmark in the crop").hasSize(5);
    double worst = 0;
    for (int i = 0; i < 5; i++) {
      Point t = new Point(template[i][0], template[i][1]);
      double nearest = found.stream().mapToDouble(p -> Math.hypot(p.x - t.x, p.y - t.y)).min().orElseThrow();
      assertThat(nearest).as("distance of warped landmark %d from the template, px", i).isLessThan(1.0);
      worst = Math.max(worst, nearest);
    }
    System.out.printf("alignment: warped landmarks within %.3f px of the template%n", worst);
  }

  private static List<Point> blobCentres(Mat bgr) {
    Mat gray = new Mat();
    Imgproc.cvtColor(bgr, gray, Imgproc.COLOR_BGR2GRAY);
    Imgproc.threshold(gray, gray, 20, 255, Imgproc.THRESH_TOZERO);
    List<MatOfPoint> contours = new ArrayList<>();
    Mat bin = new Mat();
    Core.compare(gray, new Scalar(0), bin, Core.CMP_GT);
    Imgproc.findContours(bin, contours, new Mat(), Imgproc.RETR_EXTERNAL, Imgproc.CHAIN_APPROX_NONE);
    List<Point> centres = new ArrayList<>();
    for (MatOfPoint contour : contours) {
      Mat mask = Mat.zeros(gray.size(), CvType.CV_8U);
      Imgproc.drawContours(mask, List.of(contour), 0, new Scalar(255), -1);
      Mat masked = new Mat();
      gray.copyTo(masked, mask);
      Moments m = Imgproc.moments(masked);
      centres.add(new Point(m.m10 / m.m00, m.m01 / m.m00));
    }
    return centres;
  }
}
