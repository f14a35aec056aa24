package io.facecluster.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.facecluster.image.Blobs;
import io.facecluster.image.Letterbox;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.OrtSessions;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencv.core.Mat;

/**
 * Runs a detector spec on one image (batch 1: images differ in size): letterbox, normalise as the spec says,
 * run the shared session, decode, NMS, and map boxes back to image pixels.
 */
public final class FaceDetector {
  private final ModelSpec spec;
  private final OrtSession session;
  private final DetectionDecoder decoder;
  private final int longSide;
  private final double minScore;
  private final double nmsIou;

  private final int secondLongSide;

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
      float[] blob = Blobs.nchw(List.of(lb.image()), in.rgb(), in.mean(), in.scale());
      try (OnnxTensor input = OnnxTensor.createTensor(OrtSessions.env(), FloatBuffer.wrap(blob),
              new long[] {1, 3, h, w});
          OrtSession.Result result = OrtSessions.run(session, Map.of(in.name(), input))) {
        List<Detection> kept = Nms.apply(decoder.decode(outputs(result), h, w, minScore), nmsIou);
        List<Detection> out = new ArrayList<>(kept.size());
        for (Detection d : kept) {
          out.add(d.unscale(lb.scale()));
        }
        return out;
      }
    }
  }

  private DetectionDecoder.Outputs outputs(OrtSession.Result result) {
    return new DetectionDecoder.Outputs() {
      @Override
      public float[] values(String name) {
        FloatBuffer fb = tensor(name).getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
      }

      @Override
      public long[] shape(String name) {
        return tensor(name).getInfo().getShape();
      }

      private OnnxTensor tensor(String name) {
        return (OnnxTensor) result.get(name).orElseThrow(() -> new IllegalStateException("Model spec '"
            + spec.name() + "': the model has no output '" + name + "'"));
      }
    };
  }
}
