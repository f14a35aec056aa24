package io.facecluster.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.facecluster.image.Blobs;
import io.facecluster.image.TensorBuffer;
import io.facecluster.models.Constants;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.OrtSessions;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/**
 * Embeds aligned face crops in batches of up to `batchSize` per session run, and L2-normalises each
 * embedding so that cosine similarity is a dot product downstream. One instance per task: the session is
 * shared, the input buffer is reused for every batch (not thread-safe).
 */
public final class FaceEmbedder {
  private final ModelSpec spec;
  private final OrtSession session;
  private final int batchSize;
  private final boolean flip;
  private long runNanos;
  private final TensorBuffer input = new TensorBuffer();

  /** @param flip embed each crop and its mirror image in the same run, sum them, then L2-normalise */
  public FaceEmbedder(ModelSpec spec, OrtSession session, int batchSize, boolean flip) {
    this.spec = spec;
    this.session = session;
    this.batchSize = batchSize;
    this.flip = flip;
  }

  public ModelSpec spec() {
    return spec;
  }

  public OrtSession session() {
    return session;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Nanoseconds this embedder (one task's) spent inside session.run so far. */
  public long runNanos() {
    return runNanos;
  }

  /** One embedding per crop, in order; crops must be the spec's input size. */
  public float[][] embed(List<Mat> crops) throws OrtException {
    float[][] out = new float[crops.size()][];
    for (int start = 0; start < crops.size(); start += batchSize) {
      List<Mat> batch = crops.subList(start, Math.min(crops.size(), start + batchSize));
      float[][] e = run(batch);
      System.arraycopy(e, 0, out, start, e.length);
    }
    return out;
  }

  private float[][] run(List<Mat> crops) throws OrtException {
    List<Mat> batch = crops;
    List<Mat> mirrored = new ArrayList<>();
    if (flip) {
      batch = new ArrayList<>(crops);
      for (Mat c : crops) {
        Mat m = new Mat();
        Core.flip(c, m, 1);
        mirrored.add(m);
      }
      batch.addAll(mirrored);
    }
    try {
      float[][] e = runSession(batch);
      if (!flip) {
        return e;
      }
      float[][] out = new float[crops.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = e[i];
        float[] m = e[i + crops.size()];
        for (int d = 0; d < m.length; d++) {
          out[i][d] += m[d];
        }
        l2normalize(out[i]);
      }
      return out;
    } finally {
      mirrored.forEach(Mat::release);
    }
  }

  private float[][] runSession(List<Mat> batch) throws OrtException {
    ModelSpec.Input in = spec.input();
    long[] shape = in.nhwc() ? new long[] {batch.size(), in.height(), in.width(), 3}
        : new long[] {batch.size(), 3, in.height(), in.width()};
    int n = batch.size() * 3 * in.height() * in.width();
    if (in.nhwc()) {
      input.floats(n).put(Blobs.nhwc(batch, in.rgb(), in.mean(), in.scale()));
    } else {
      Blobs.nchw(batch, in.rgb(), in.mean(), in.scale(), input.bytes(n));
    }
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try (OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.env(), input.floats(n), shape);
        Constants constants = Constants.of(spec)) {
      inputs.put(in.name(), tensor);
      inputs.putAll(constants.tensors());
      long t0 = System.nanoTime();
      OrtSession.Result result = OrtSessions.run(session, inputs);
      runNanos += System.nanoTime() - t0;
      try (result) {
        return embeddings(result, batch.size());
      }
    }
  }

  private float[][] embeddings(OrtSession.Result result, int n) {
    String name = spec.output("embedding");
    OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow(
        () -> new IllegalStateException("model output '" + name + "' missing"));
    FloatBuffer fb = t.getFloatBuffer();
    int dim = fb.remaining() / n;
    float[][] out = new float[n][dim];
    for (float[] row : out) {
      fb.get(row);
      l2normalize(row);
    }
    return out;
  }

  static void l2normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum > 0) {
      float inv = (float) (1.0 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
  }
}
