package io.facecluster.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.facecluster.image.Blobs;
import io.facecluster.image.Letterbox;
import io.facecluster.image.TensorBuffer;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.OrtSessions;
import io.facecluster.models.PinnedOutputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencv.core.Mat;

/**
 * Runs a detector spec on one image (batch 1: images differ in size): letterbox, normalise as the spec says,
 * run the shared session, decode, NMS, and map boxes back to image pixels. One instance per task (the session
 * is shared; the input buffer is the instance's own and reused for every image, so not thread-safe).
 */
public final class FaceDetector implements AutoCloseable {
  private final ModelSpec spec;
  private final OrtSession session;
  private final DetectionDecoder decoder;
  private final int longSide;
  private final double minScore;
  private final double nmsIou;

  private final int secondLongSide;
  private long runNanos;
  private final TensorBuffer input = new TensorBuffer();
  private final PinnedOutputs outputs = new PinnedOutputs();
  private final DetectionDecoder.Outputs decoderOutputs = decoderOutputs();

  public FaceDetector(ModelSpec spec, OrtSession session, int longSide, Double minScore, Double nmsIou) {
    this(spec, session, longSide, 0, minScore, nmsIou);
  }

  /**
   * @param secondLongSide when > 0, a second pass at this long side (crowd photos: small faces that the
   *     detector misses at its training size, ~640); both passes' faces are merged by NMS
   */
  public FaceDetector(ModelSpec spec, OrtSession session, int longSide, int secondLongSide, Double minScore,
      Double nmsIou) {
    this.secondLongSide = secondLongSide;
    this.spec = spec;
    this.session = session;
    this.decoder = DetectionDecoder.of(spec);
    this.longSide = longSide;
    this.minScore = minScore != null ? minScore : spec.thresholds().score();
    this.nmsIou = nmsIou != null ? nmsIou : spec.thresholds().nms();
  }

  public ModelSpec spec() {
    return spec;
  }

  public int longSide() {
    return longSide;
  }

  public OrtSession session() {
    return session;
  }

  /** Nanoseconds this detector (one task's) spent inside session.run so far. */
  public long runNanos() {
    return runNanos;
  }

  public List<Detection> detect(Mat bgr) throws OrtException {
    List<Detection> first = detect(bgr, longSide);
    if (secondLongSide <= 0) {
      return first;
    }
    List<Detection> both = new ArrayList<>(first);
    both.addAll(detect(bgr, secondLongSide));
    return Nms.apply(both, nmsIou);
  }

  private List<Detection> detect(Mat bgr, int longSide) throws OrtException {
    ModelSpec.Input in = spec.input();
    try (Letterbox lb = Letterbox.of(bgr, longSide, in.width(), in.height(), in.sizeMultiple(), in.padBgr())) {
      int h = lb.image().rows();
      int w = lb.image().cols();
      int n = 3 * h * w;
      Blobs.nchw(List.of(lb.image()), in.rgb(), in.mean(), in.scale(), input.bytes(n));
      long[] shape = {1, 3, h, w};
      try (OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.env(), input.floats(n), shape)) {
        long t0 = System.nanoTime();
        outputs.run(session, Map.of(in.name(), tensor), shape);
        runNanos += System.nanoTime() - t0;
      }
      List<Detection> kept = Nms.apply(decoder.decode(decoderOutputs, h, w, minScore), nmsIou);
      List<Detection> out = new ArrayList<>(kept.size());
      for (Detection d : kept) {
        out.add(d.unscale(lb.scale()));
      }
      return out;
    }
  }

  /** Frees this task's output tensors (the session is shared and stays open). */
  @Override
  public void close() {
    outputs.close();
  }

  private DetectionDecoder.Outputs decoderOutputs() {
    return new DetectionDecoder.Outputs() {
      @Override
      public float[] values(String name) {
        try {
          return outputs.values(name);
        } catch (IllegalStateException e) {
          throw new IllegalStateException("Model spec '" + spec.name() + "': " + e.getMessage(), e);
        }
      }

      @Override
      public long[] shape(String name) {
        try {
          return outputs.shape(name);
        } catch (IllegalStateException e) {
          throw new IllegalStateException("Model spec '" + spec.name() + "': " + e.getMessage(), e);
        }
      }
    };
  }
}
