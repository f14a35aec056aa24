package io.facecluster.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.facecluster.TestData;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;

/** The NCHW tensors equal OpenCV's blobFromImages (the reference the models were checked with), BGR and RGB. */
class BlobsTest {
  @Test
  void nchwEqualsBlobFromImages() throws Exception {
    Mat a;
    Mat b;
    try (DecodedImage x = new ImageDecoder(100_000_000L).decode(Files.readAllBytes(TestData.lfwImage("Tony_Blair", 1)));
        DecodedImage y = new ImageDecoder(100_000_000L).decode(Files.readAllBytes(TestData.lfwImage("Colin_Powell", 1)))) {
      a = x.bgr().clone();
      b = y.bgr().clone();
    }
    for (boolean rgb : new boolean[] {false, true}) {
      double[] mean = {127.5, 117.0, 104.0};
      double s = 1 / 127.5;
      float[] ours = Blobs.nchw(List.of(a, b), rgb, mean, new double[] {s, s, s});
      Mat ref = Dnn.blobFromImages(List.of(a, b), s, new Size(a.cols(), a.rows()), new Scalar(mean[0], mean[1], mean[2]),
          rgb, false);
      float[] expected = new float[ours.length];
      ref.get(new int[] {0, 0, 0, 0}, expected);
      assertThat(ours).as("NCHW tensor, RGB %s", rgb).hasSize(2 * 3 * 250 * 250);
      for (int i = 0; i < ours.length; i += 997) {
        assertThat(ours[i]).as("value %d, RGB %s", i, rgb).isCloseTo(expected[i], within(1e-5f));
      }
    }
  }
}
