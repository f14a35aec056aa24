package io.facecluster.pipeline;

import io.facecluster.detect.Detection;
import io.facecluster.detect.FaceDetector;
import io.facecluster.embed.FaceEmbedder;
import io.facecluster.image.DecodedImage;
import io.facecluster.image.ImageDecoder;
import io.facecluster.image.Letterbox;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.OrtModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.opencv.core.Mat;

/**
 * The speed bound of the job's models: the same ONNX sessions (same options: one intra-op thread per worker,
 * as a Spark task gets) run in plain Java loops, one per core, with every input tensor prepared before its
 * clock starts: detector at batch 1 per image, embedder in batches of the job's size over the faces found.
 * Only the model runs are timed ({@link OrtModel#run}, the class every stage of the job runs its models with:
 * constants fed, the input in the spec's layout, outputs into pinned buffers); a worker's time is the sum of its
 * runs, the bound's wall time the slowest worker's. What the job spends outside the model runs (read, decode,
 * resize, align, copies, Spark) is what the job/bare ratio measures.
 */
public final class BareOrtLoop {
  /**
   * Images, faces, the seconds spent in each model's runs (slowest worker), the same summed over workers, and
   * the bound's wall time (the slowest worker's runs).
   */
  public record Result(int images, long faces, double detectSeconds, double embedSeconds, double detectTotalSeconds,
      double embedTotalSeconds, double wallSeconds) {
    public double imagesPerSecond() {
      return images / wallSeconds;
    }

    public double facesPerSecond() {
      return faces / wallSeconds;
    }
  }

  private BareOrtLoop() {}

  /** @param models one set per worker (the sessions are shared; detector and embedder are per thread) */
  public static Result run(List<Path> images, Supplier<FaceModels> models, int workers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<long[]>> parts = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        List<Path> mine = new ArrayList<>();
        for (int i = w; i < images.size(); i += workers) {
          mine.add(images.get(i));
        }
        parts.add(pool.submit(() -> {
          try (FaceModels mineModels = models.get()) {
            return worker(mine, mineModels);
          }
        }));
      }
      long faces = 0;
      long detect = 0;
      long embed = 0;
      long wall = 0;
      long detectTotal = 0;
      long embedTotal = 0;
      for (Future<long[]> f : parts) {
        long[] r = f.get();
        faces += r[0];
        detect = Math.max(detect, r[1]);
        embed = Math.max(embed, r[2]);
        detectTotal += r[1];
        embedTotal += r[2];
        wall = Math.max(wall, r[1] + r[2]);
      }
      return new Result(images.size(), faces, detect / 1e9, embed / 1e9, detectTotal / 1e9, embedTotal / 1e9,
          wall / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** {faces, detector run ns, embedder run ns} for one worker's images. */
  private static long[] worker(List<Path> images, FaceModels models) throws Exception {
    ImageDecoder decoder = new ImageDecoder(100_000_000L);
    FaceDetector detector = models.detector();
    ModelSpec.Input din = detector.spec().input();
    int batch = models.embedder().batchSize();
    long faces = 0;
    long detectNs = 0;
    long embedNs = 0;
    List<Mat> crops = new ArrayList<>();
    for (Path p : images) {
      try (DecodedImage img = decoder.decode(Files.readAllBytes(p));
          Letterbox lb = Letterbox.of(img.bgr(), detector.longSide(), din.width(), din.height(), din.sizeMultiple(),
              din.padBgr())) {
        detectNs += timed(detector.model(), detector.feed(lb.image()));
        // the faces to embed come from the job's own detector call (not timed)
        for (Detection d : detector.detect(img.bgr())) {
          crops.add(models.aligner().align(img.bgr(), d.landmarks(), 1.0));
          faces++;
        }
      }
      while (crops.size() >= batch) {
        embedNs += embedBatch(crops.subList(0, batch), models.embedder());
        crops.subList(0, batch).clear();
      }
    }
    if (!crops.isEmpty()) {
      embedNs += embedBatch(crops, models.embedder());
    }
    return new long[] {faces, detectNs, embedNs};
  }

  /** One embedder run on a batch in the spec's layout, with its constants (only the run is timed). */
  private static long embedBatch(List<Mat> crops, FaceEmbedder embedder) {
    long ns = timed(embedder.model(), embedder.feed(crops));
    crops.forEach(Mat::release);
    return ns;
  }

  private static long timed(OrtModel model, long[] shape) {
    long before = model.runNanos();
    model.run(shape);
    return model.runNanos() - before;
  }
}
