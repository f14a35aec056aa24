package io.facecluster.detect;

import ai.onnxruntime.OrtSession;
import io.facecluster.align.BoxCrop;
import io.facecluster.image.Blobs;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.OrtModel;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;

/**
 * A landmark model run on each detection, replacing the detector's 5 points (landmarks-regression-retail-0009,
 * MODELS.md section 6a): the box scaled by the spec's crop.scale about its centre (1.15, as the OMZ demo does)
 * is resized to the model's input in one affine warp (parts outside the image are black), all faces of an image
 * in one batch; the outputs are (x, y) pairs in [0, 1] of that box.
 */
public final class LandmarkRefiner implements AutoCloseable {
  private final ModelSpec spec;
  // one per task (FaceModels): the model's input buffer and outputs are reused for every image
  private final OrtModel model;

  public LandmarkRefiner(ModelSpec spec, OrtSession session) {
    this.spec = spec;
    this.model = new OrtModel(spec, session);
  }

  public List<Detection> refine(Mat bgr, List<Detection> faces) {
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
      long[] shape = {faces.size(), 3, in.height(), in.width()};
      Blobs.nchw(crops, in.rgb(), in.mean(), in.scale(), model.input(shape));
      model.run(shape);
      float[] v = model.output("landmarks");
      List<Detection> out = new ArrayList<>(faces.size());
      for (int i = 0; i < faces.size(); i++) {
        float[] lm = new float[10];
        for (int k = 0; k < 10; k++) {
          float x = v[i * 10 + k];
          lm[k] = k % 2 == 0 ? boxes[i][0] + x * boxes[i][2] : boxes[i][1] + x * boxes[i][3];
        }
        Detection d = faces.get(i);
        out.add(new Detection(d.x1(), d.y1(), d.x2(), d.y2(), d.score(), lm));
      }
      return out;
    } finally {
      crops.forEach(Mat::release);
    }
  }

  /** Frees this task's output tensors (the session is shared and stays open). */
  @Override
  public void close() {
    model.close();
  }
}
