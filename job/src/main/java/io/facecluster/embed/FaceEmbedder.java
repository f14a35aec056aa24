package io.facecluster.embed;

import ai.onnxruntime.OrtSession;
import io.facecluster.image.Blobs;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.OrtModel;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/**
 * Embeds aligned face crops in batches of up to `batchSize` per session run, and L2-normalises each
 * embedding so that cosine similarity is a dot product downstream. One instance per task: the session is
 * shared, the model's input buffer and outputs ({@link OrtModel}) are reused for every batch (not
 * thread-safe). A model fault is a {@link io.facecluster.models.ModelRunException}.
 */
public final class FaceEmbedder implements AutoCloseable {
  private final ModelSpec spec;
  private final OrtModel model;
  private final int batchSize;
  private final boolean flip;

  /** @param flip embed each crop and its mirror image in the same run, sum them, then L2-normalise */
  public FaceEmbedder(ModelSpec spec, OrtSession session, int batchSize, boolean flip) {
    this.spec = spec;
    this.model = new OrtModel(spec, session);
    this.batchSize = batchSize;
    this.flip = flip;
  }

  public ModelSpec spec() {
    return spec;
  }

  public OrtSession session() {
    return model.session();
  }

  /** This task's runner of the embedder model (the bench's bare loop runs it on {@link #feed}'s input). */
  public OrtModel model() {
    return model;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Nanoseconds this embedder (one task's) spent inside session.run so far. */
  public long runNanos() {
    return model.runNanos();
  }

  /** One embedding per crop, in order; crops must be the spec's input size. */
  public float[][] embed(List<Mat> crops) {
    float[][] out = new float[crops.size()][];
    for (int start = 0; start < crops.size(); start += batchSize) {
      List<Mat> batch = crops.subList(start, Math.min(crops.size(), start + batchSize));
      float[][] e = run(batch);
      System.arraycopy(e, 0, out, start, e.length);
    }
    return out;
  }

  private float[][] run(List<Mat> crops) {
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

  /** Writes a batch of crops into the model's input in the spec's layout (NCHW or NHWC); returns its shape. */
  public long[] feed(List<Mat> batch) {
    ModelSpec.Input in = spec.input();
    long[] shape = in.nhwc() ? new long[] {batch.size(), in.height(), in.width(), 3}
        : new long[] {batch.size(), 3, in.height(), in.width()};
    if (in.nhwc()) {
      model.input(shape).asFloatBuffer().put(Blobs.nhwc(batch, in.rgb(), in.mean(), in.scale()));
    } else {
      Blobs.nchw(batch, in.rgb(), in.mean(), in.scale(), model.input(shape));
    }
    return shape;
  }

  private float[][] runSession(List<Mat> batch) {
    model.run(feed(batch));
    float[] values = model.output("embedding");
    int n = batch.size();
    int dim = values.length / n;
    float[][] out = new float[n][dim];
    for (int i = 0; i < n; i++) {
      System.arraycopy(values, i * dim, out[i], 0, dim);
      l2normalize(out[i]);
    }
    return out;
  }

  /** Frees this task's output tensors (the session is shared and stays open). */
  @Override
  public void close() {
    model.close();
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
