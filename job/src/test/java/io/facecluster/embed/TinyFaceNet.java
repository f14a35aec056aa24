package io.facecluster.embed;

import static io.facecluster.TinyOnnx.node;
import static io.facecluster.TinyOnnx.valueInfo;

import io.facecluster.TinyOnnx.Msg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a tiny ONNX file with FaceNet 20180408's TensorFlow signature (MODELS.md, "Seed models not included"):
 * image `batch_join:0` [N, 160, 160, 3] NHWC float, scalar bool `phase_train`, output `embeddings` [N, 512].
 * The graph: per-channel mean of the image (ReduceMean over H, W) times a 3 x 512 matrix that copies the three
 * means into dimensions 0..2, plus phase_train as 0 or 1 in every dimension; so the embedding shows the colour
 * order, normalisation and layout the job fed, and whether phase_train was false. Encoded by hand (a few
 * protobuf fields): the real weights are ~94 MB and not in ../shared.
 */
public final class TinyFaceNet {
  private TinyFaceNet() {}

  public static Path write(Path file) throws Exception {
    float[] w = new float[3 * 512];
    for (int c = 0; c < 3; c++) {
      w[c * 512 + c] = 1f;
    }
    ByteBuffer raw = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : w) {
      raw.putFloat(v);
    }
    byte[] weights = new Msg().ints(1, 3, 512).varint(2, 1).string(8, "W").bytes(9, raw.array()).done();
    byte[] graph = new Msg()
        .msg(1, node("ReduceMean", new String[] {"batch_join:0"}, "m",
            new Msg().string(1, "axes").ints(8, 1, 2).varint(20, 7).done(),
            new Msg().string(1, "keepdims").varint(3, 0).varint(20, 2).done()))
        .msg(1, node("MatMul", new String[] {"m", "W"}, "e"))
        .msg(1, node("Cast", new String[] {"phase_train"}, "c",
            new Msg().string(1, "to").varint(3, 1).varint(20, 2).done()))
        .msg(1, node("Add", new String[] {"e", "c"}, "embeddings"))
        .string(2, "tiny-facenet-signature")
        .msg(5, weights)
        .msg(11, valueInfo("batch_join:0", 1, "N", 160, 160, 3))
        .msg(11, valueInfo("phase_train", 9))
        .msg(12, valueInfo("embeddings", 1, "N", 512))
        .done();
    byte[] model = new Msg().varint(1, 7).string(2, "facecluster test").msg(7, graph)
        .msg(8, new Msg().string(1, "").varint(2, 13).done()).done();
    Files.write(file, model);
    return file;
  }
}
