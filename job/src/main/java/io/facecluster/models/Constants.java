package io.facecluster.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.util.HashMap;
import java.util.Map;

/**
 * A spec's constant extra inputs as scalar tensors (FaceNet's TensorFlow graph takes `phase_train` = false next
 * to the image), made per run and closed with it.
 */
public final class Constants implements AutoCloseable {
  private final Map<String, OnnxTensor> tensors;

  private Constants(Map<String, OnnxTensor> tensors) {
    this.tensors = tensors;
  }

  public static Constants of(ModelSpec spec) throws OrtException {
    Map<String, OnnxTensor> t = new HashMap<>();
    if (spec.constants() != null) {
      for (Map.Entry<String, Object> e : spec.constants().entrySet()) {
        Object v = e.getValue();
        t.put(e.getKey(), v instanceof Boolean b ? OnnxTensor.createTensor(OrtSessions.env(), b)
            : OnnxTensor.createTensor(OrtSessions.env(), ((Number) v).floatValue()));
      }
    }
    return new Constants(t);
  }

  public Map<String, OnnxTensor> tensors() {
    return tensors;
  }

  @Override
  public void close() {
    tensors.values().forEach(OnnxTensor::close);
  }
}
