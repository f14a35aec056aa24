package io.facecluster.detect;

import ai.onnxruntime.OrtSession;
import io.facecluster.image.Blobs;
import io.facecluster.image.Letterbox;
import io.facecluster.models.ModelRunException;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.OrtModel;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;

/**
 * Runs a detector spec on one image (batch 1: images differ in size): letterbox, normalise as the spec says,
 * run the model ({@link OrtModel}), decode, NMS, and map boxes back to image pixels. One instance per task (the
 * session is shared; the model's buffers are the instance's own and reused for every image, so not
 * thread-safe). A model fault is a {@link io.facecluster.models.ModelRunException}.
 */
public final class FaceDetector implements AutoCloseable {
  private final ModelSpec spec;
  private final OrtModel model;
  private final DetectionDecoder decoder;
  private final int longSide;
  private final double minScore;
  private final double nmsIou;

  private final int secondLongSide;
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
    this.model = new OrtModel(spec, session);
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
    return model.session();
  }

  /** This task's runner of the detector model (the bench's bare loop runs it on {@link #feed}'s input). */
  public OrtModel model() {
    return model;
  }

  /** Nanoseconds this detector (one task's) spent inside session.run so far. */
  public long runNanos() {
    return model.runNanos();
  }

  /** Writes a letterboxed image into the model's input as the spec says; returns the input's shape. */
  public long[] feed(Mat letterboxed) {
    ModelSpec.Input in = spec.input();
    long[] shape = {1, 3, letterboxed.rows(), letterboxed.cols()};
    Blobs.nchw(List.of(letterboxed), in.rgb(), in.mean(), in.scale(), model.input(shape));
    return shape;
  }

  public List<Detection> detect(Mat bgr) {
    List<Detection> first = detect(bgr, longSide);
    if (secondLongSide <= 0) {
      return first;
    }
    List<Detection> both = new ArrayList<>(first);
    both.addAll(detect(bgr, secondLongSide));
    return Nms.apply(both, nmsIou);
  }

  private List<Detection> detect(Mat bgr, int longSide) {
    ModelSpec.Input in = spec.input();
    try (Letterbox lb = Letterbox.of(bgr, longSide, in.width(), in.height(), in.sizeMultiple(), in.padBgr())) {
      int h = lb.image().rows();
      int w = lb.image().cols();
      model.run(feed(lb.image()));
      List<Detection> kept = Nms.apply(decode(h, w), nmsIou);
      List<Detection> out = new ArrayList<>(kept.size());
      for (Detection d : kept) {
        out.add(d.unscale(lb.scale()));
      }
      return out;
    }
  }

  /** The decoder's faces; outputs that do not fit the spec's decoder are the model's fault, not the image's. */
  private List<Detection> decode(int h, int w) {
    try {
      return decoder.decode(decoderOutputs, h, w, minScore);
    } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
      throw new ModelRunException(spec.name(), "its outputs do not fit decoder '" + spec.decoder().kind() + "': "
          + e.getMessage(), e);
    }
  }

  /** Frees this task's output tensors (the session is shared and stays open). */
  @Override
  public void close() {
    model.close();
  }

  // The decoders read named outputs; a name the model lacks is the model's fault (ModelRunException).
  private DetectionDecoder.Outputs decoderOutputs() {
    return new DetectionDecoder.Outputs() {
      @Override
      public float[] values(String name) {
        return model.values(name);
      }

      @Override
      public long[] shape(String name) {
        return model.shape(name);
      }
    };
  }
}
