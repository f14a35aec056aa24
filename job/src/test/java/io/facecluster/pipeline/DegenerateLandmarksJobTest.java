package io.facecluster.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.TestData;
import io.facecluster.cli.JobRunner;
import io.facecluster.output.Schemas;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job with a landmark refiner that puts all five points of every face at its box centre (a real,
 * tiny ONNX model: {@link ConstantLandmarks}): no face can be aligned, which once failed every task on every
 * attempt. The run finishes; every file has its row, the faces are reasons on their images.
 */
class DegenerateLandmarksJobTest extends SparkTestBase {
  @TempDir
  static Path tmp;

  @Test
  void facesThatCannotBeAlignedAreReasonsAndTheRunFinishes() throws Exception {
    Path spec = ConstantLandmarks.spec(tmp);
    Path out = tmp.resolve("out");
    JobRunner.run(TestData.sample().toString(), out.toString(), "--run-id", "centre", "--landmarks", spec.toString());
    assertThat(sql("SELECT status, count(*) FROM parquet.`%s` GROUP BY status ORDER BY status", out.resolve("images")))
        .as("the sample's 22 files: the 21 with faces have none usable").containsExactly(row("no_face", 22L));
    assertThat(sql("SELECT count(*) FROM parquet.`%s` WHERE reason LIKE '%% detected, none usable: landmarks cannot"
        + " be aligned (source points are all the same point)%%'", out.resolve("images")))
        .as("files whose reason says why their faces were dropped").containsExactly(row(21L));
    // no face: the faces table has no Parquet file to infer a schema from, so read it with its declared one
    assertThat(spark.read().schema(Schemas.FACES).parquet(out.resolve("faces").toString()).count())
        .as("faces rows").isZero();
  }
}
