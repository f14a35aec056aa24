package io.facecluster.models;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One task's output tensors for one session, reused run after run. ONNX Runtime writes a run's outputs into
 * tensors the caller pins (direct buffers of ours), so reading them costs one bulk copy into a reused array,
 * where {@code OnnxTensor.getFloatBuffer()} would allocate and copy twice (a RetinaFace output at 640 x 640 is
 * 1 MB per image: allocation that the garbage collector then competes with the tasks for). The outputs' shapes
 * are learnt from a plain run at each new input shape; the runs after it at that shape are pinned. Not
 * thread-safe: one per task, closed at the task's end.
 */
public final class PinnedOutputs implements AutoCloseable {
  private final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
  private final Map<String, FloatBuffer> buffers = new HashMap<>();
  private final Map<String, long[]> shapes = new HashMap<>();
  private final Map<String, float[]> arrays = new HashMap<>();
  private final Map<String, Boolean> copied = new HashMap<>();
  private long[] pinnedFor;

  /** Runs `session` (through {@link OrtSessions#run}); afterwards {@link #values} and {@link #shape} read it. */
  public void run(OrtSession session, Map<String, OnnxTensor> inputs, long[] inputShape) throws OrtException {
    copied.replaceAll((k, v) -> false);
    if (pinnedFor != null && Arrays.equals(pinnedFor, inputShape)) {
      try (OrtSession.Result r = OrtSessions.run(session, inputs, tensors)) {
        return; // the values are in our buffers; the result does not own them
      }
    }
    try (OrtSession.Result r = OrtSessions.run(session, inputs)) {
      closeTensors();
      boolean allFloat = true;
      for (Map.Entry<String, OnnxValue> e : r) {
        OnnxTensor t = (OnnxTensor) e.getValue();
        TensorInfo info = t.getInfo();
        allFloat &= info.type == OnnxJavaType.FLOAT;
        long[] shape = info.getShape();
        shapes.put(e.getKey(), shape);
        float[] a = array(e.getKey(), (int) info.getNumElements());
        t.getFloatBuffer().get(a, 0, (int) info.getNumElements());
        copied.put(e.getKey(), true);
      }
      if (allFloat) {
        pin(inputShape);
      }
    }
  }

  /** An output's values (an array reused from run to run: read it before the next run). */
  public float[] values(String name) {
    FloatBuffer b = buffers.get(name);
    if (!shapes.containsKey(name)) {
      throw new IllegalStateException("the model has no output '" + name + "'");
    }
    float[] a = arrays.get(name);
    if (b != null && !copied.getOrDefault(name, false)) {
      b.get(0, a, 0, b.capacity());
      copied.put(name, true);
    }
    return a;
  }

  public long[] shape(String name) {
    long[] s = shapes.get(name);
    if (s == null) {
      throw new IllegalStateException("the model has no output '" + name + "'");
    }
    return s;
  }

  private void pin(long[] inputShape) throws OrtException {
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      int n = arrays.get(e.getKey()).length;
      FloatBuffer fb = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
      buffers.put(e.getKey(), fb);
      tensors.put(e.getKey(), OnnxTensor.createTensor(OrtSessions.env(), fb, e.getValue()));
    }
    pinnedFor = inputShape.clone();
  }

  private float[] array(String name, int n) {
    float[] a = arrays.get(name);
    if (a == null || a.length != n) {
      a = new float[n];
      arrays.put(name, a);
    }
    return a;
  }

  private void closeTensors() {
    tensors.values().forEach(OnnxTensor::close);
    tensors.clear();
    buffers.clear();
    pinnedFor = null;
  }

  @Override
  public void close() {
    closeTensors();
  }
}
