package io.facecluster.models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A direct, native-order float buffer reused for every input tensor of one model in one task ({@link OrtModel}
 * owns one). ONNX Runtime wraps a direct buffer without copying it, and OpenCV writes the normalised planes
 * straight into it (image/Blobs.nchw into a ByteBuffer), so an image's tensor costs no Java array and no copy:
 * at 640 x 640 the array would be 4.9 MB per image, a humongous allocation for G1. Not thread-safe, and a
 * tensor made from {@link #floats} must be closed before the next call.
 */
final class TensorBuffer {
  private ByteBuffer bytes = ByteBuffer.allocateDirect(0);

  /** The buffer for `count` floats (grown when needed), positioned at 0. */
  ByteBuffer bytes(int count) {
    int need = Math.multiplyExact(count, Float.BYTES);
    if (bytes.capacity() < need) {
      bytes = ByteBuffer.allocateDirect(need).order(ByteOrder.nativeOrder());
    }
    bytes.clear().limit(need);
    return bytes;
  }

  /** The same memory as floats: what OnnxTensor.createTensor takes. */
  FloatBuffer floats(int count) {
    return bytes(count).asFloatBuffer();
  }
}
