package io.facecluster.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.image.OpenCv;
import io.facecluster.models.ModelFiles;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.ModelSpecs;
import io.facecluster.models.OrtSessions;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * The seed card's FaceNet spec (facenet-20180408: NHWC, RGB, (x - 127.5) / 128, phase_train = false, 512-d)
 * wired to a tiny ONNX file with FaceNet's signature ({@link TinyFaceNet}), since the real weights are not at
 * hand: the embedder feeds what the spec says, and the job runs end to end with a user-given file.
 */
class FaceNetSpecTest extends SparkTestBase {
  @TempDir
  static Path tmp;

  private static ModelSpec spec(Path file) {
    return ModelSpecs.load("facenet-20180408", TestData.modelsDir(), ModelSpec.FACE_EMBEDDER,
        new ModelSpecs.Files(List.of(), file.toString(), "--embedder-file"));
  }

  @Test
  void embedderFeedsNhwcRgbNormalisedPixelsAndPhaseTrainFalse() throws Exception {
    OpenCv.ensureLoaded();
    ModelSpec spec = spec(TinyFaceNet.write(tmp.resolve("tiny-a.onnx")));
    assertThat(spec.unverified()).as("user-supplied: no sha256 in the spec").isTrue();
    byte[] bytes = ModelFiles.readVerified(spec);
    FaceEmbedder embedder = new FaceEmbedder(spec, OrtSessions.get(spec, () -> bytes, 1, () -> {}), 8, false);
    Mat crop = new Mat(160, 160, CvType.CV_8UC3, new Scalar(10, 100, 200));
    float[] e = embedder.embed(List.of(crop, crop))[1];
    // RGB = (200, 100, 10): (x - 127.5) / 128 per channel, then L2-normalised by the embedder.
    double r = 72.5 / 128;
    double g = -27.5 / 128;
    double b = -117.5 / 128;
    double n = Math.sqrt(r * r + g * g + b * b);
    assertThat(e).as("512-d embedding").hasSize(512);
    assertThat(e[0]).as("dimension 0 = red channel mean").isCloseTo((float) (r / n), within(1e-4f));
    assertThat(e[1]).as("dimension 1 = green").isCloseTo((float) (g / n), within(1e-4f));
    assertThat(e[2]).as("dimension 2 = blue").isCloseTo((float) (b / n), within(1e-4f));
    for (int d = 3; d < 512; d++) {
      assertThat(e[d]).as("dimension %d: zero when phase_train is false", d).isEqualTo(0f);
    }
  }

  @Test
  void jobRunsWithAUserGivenFaceNetFile() throws Exception {
    Path file = TinyFaceNet.write(tmp.resolve("tiny-b.onnx"));
    Path out = tmp.resolve("out");
    JobRunner.run(TestData.sample().toString(), out.toString(), "--run-id", "fn", "--embedder", "facenet-20180408",
        "--embedder-file", file.toString(), "--k", "3");
    List<Row> dims = spark.read().parquet(out.resolve("faces").toString())
        .selectExpr("size(embedding) AS d").distinct().collectAsList();
    assertThat(dims).as("embedding sizes in the faces table").extracting(x -> x.getInt(0)).containsExactly(512);
    assertThat(spark.read().parquet(out.resolve("faces").toString()).count()).as("faces found in the sample")
        .isEqualTo(27);
  }
}
