package io.facecluster.detect;

import io.facecluster.models.ModelSpec;
import java.util.List;

/**
 * Turns one image's detector outputs into faces (input-tensor pixels, before NMS). One implementation per
 * output layout; which one, and its constants (strides, anchors, variances) and tensor names, come from the
 * model spec's `decoder` and `outputs`, so a new model of a known layout is a new spec, not new code.
 */
public interface DetectionDecoder {

  /** One image's output tensors, by name: values (batch of one) and shape. */
  interface Outputs {
    float[] values(String name);

    long[] shape(String name);
  }

  /** Faces with score >= minScore in an input of width x height pixels. */
  List<Detection> decode(Outputs outputs, int height, int width, double minScore);

  /** The decoder the spec names; unknown kinds fail with the spec's name. */
  static DetectionDecoder of(ModelSpec spec) {
    String kind = spec.decoder().kind();
    return switch (kind) {
      case RetinaFaceFlatDecoder.KIND -> new RetinaFaceFlatDecoder(spec);
      case RetinaFaceStrideDecoder.KIND -> new RetinaFaceStrideDecoder(spec);
      case ScrfdDecoder.KIND -> new ScrfdDecoder(spec);
      case YuNetDecoder.KIND -> new YuNetDecoder(spec);
      default -> throw new IllegalArgumentException("Model spec '" + spec.name() + "': unknown decoder.kind '" + kind
          + "' (known: " + String.join(", ", KINDS) + ")");
    };
  }

  List<String> KINDS = List.of(RetinaFaceFlatDecoder.KIND, RetinaFaceStrideDecoder.KIND, ScrfdDecoder.KIND,
      YuNetDecoder.KIND);
}
