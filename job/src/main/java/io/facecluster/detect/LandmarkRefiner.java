package io.facecluster.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.facecluster.align.BoxCrop;
import io.facecluster.image.Blobs;
import io.facecluster.image.TensorBuffer;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.OrtSessions;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencv.core.Mat;

/**
 * A landmark model run on each detection, replacing the detector's 5 points (landmarks-regression-retail-0009,
 * MODELS.md section 6a): the box scaled by the spec's crop.scale about its centre (1.15, as the OMZ demo does)
 * is resized to the model's input in one affine warp (parts outside the image are black), all faces of an image
 * in one batch; the outputs are (x, y) pairs in [0, 1] of that box.
 */
public final class LandmarkRefiner {
  private final ModelSpec spec;
  private final OrtSession session;
  // one per task (FaceModels): the input tensor's buffer is reused for every image
  private final TensorBuffer input = new TensorBuffer();

  public LandmarkRefiner(ModelSpec spec, OrtSession session) {
    this.spec = spec;
    this.session = session;
  }

  public List<Detection> refine(Mat bgr, List<Detection> faces) throws OrtException {
    if (faces.isEmpty()) {
      return faces;
    }
    ModelSpec.Input in = spec.input();
    double scale = spec.crop().scale();
    List<Mat> crops = new ArrayList<>(faces.size());
    float[][] boxes = new float[faces.size()][];
    try {
      for (int i = 0; i < faces.size(); i++) {
        Detection d = faces.get(i);
        float cx = (d.x1() + d.x2()) / 2;
        float cy = (d.y1() + d.y2()) / 2;
        float w = (float) (d.width() * scale);
        float h = (float) (d.height() * scale);
        boxes[i] = new float[] {cx - w / 2, cy - h / 2, w, h};
        crops.add(BoxCrop.crop(bgr, boxes[i][0], boxes[i][1], w, h, in.width(), in.height()));
      }
      int n = faces.size() * 3 * in.height() * in.width();
      Blobs.nchw(crops, in.rgb(), in.mean(), in.scale(), input.bytes(n));
      long[] shape = {faces.size(), 3, in.height(), in.width()};
      try (OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.env(), input.floats(n), shape);
          OrtSession.Result result = OrtSessions.run(session, Map.of(in.name(), tensor))) {
        String name = spec.output("landmarks");
        FloatBuffer fb = ((OnnxTensor) result.get(name).orElseThrow(() -> new IllegalStateException(
            "Model spec '" + spec.name() + "': the model has no output '" + name + "'"))).getFloatBuffer();
        List<Detection> out = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
          float[] lm = new float[10];
          for (int k = 0; k < 10; k++) {
            float v = fb.get(i * 10 + k);
            lm[k] = k % 2 == 0 ? boxes[i][0] + v * boxes[i][2] : boxes[i][1] + v * boxes[i][3];
          }
          Detection d = faces.get(i);
          out.add(new Detection(d.x1(), d.y1(), d.x2(), d.y2(), d.score(), lm));
        }
        return out;
      }
    } finally {
      crops.forEach(Mat::release);
    }
  }
}
