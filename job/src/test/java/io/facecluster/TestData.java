package io.facecluster;

import io.facecluster.models.ModelFiles;
import io.facecluster.models.ModelSpec;
import io.facecluster.models.ModelSpecs;
import io.facecluster.models.OrtSessions.ModelBytes;
import io.facecluster.pipeline.FaceModels;
import io.facecluster.pipeline.FaceSelection;
import io.facecluster.pipeline.PipelineSettings;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find the project and ../shared. Missing data is a failure with a clear message, never a skip:
 * a test that silently does not run proves nothing.
 */
public final class TestData {
  private TestData() {}

  public static Path root() {
    String p = System.getProperty("facecluster.root");
    Path root = p != null ? Path.of(p) : Path.of("").toAbsolutePath().getParent();
    return require(root.resolve("models"), "project models/ folder").getParent();
  }

  public static Path shared() {
    return require(root().resolve("../shared").normalize(), "../shared beside the project (data and models)");
  }

  public static Path lfw() {
    return require(shared().resolve("data/lfw"), "LFW images");
  }

  public static Path lfwImage(String name, int index) {
    return lfw().resolve(name).resolve(String.format("%s_%04d.jpg", name, index));
  }

  public static Path groupPhotos() {
    return require(shared().resolve("data/group-photos"), "group photos");
  }

  public static Path sample() {
    return require(root().resolve("sample"), "bundled sample");
  }

  public static String modelsDir() {
    return root().resolve("models").toString();
  }

  public static ModelSpec detectorSpec() {
    return ModelSpecs.load("retinaface-mnet025", modelsDir(), ModelSpec.DETECTOR);
  }

  public static ModelSpec embedderSpec() {
    return ModelSpecs.load("mobilefacenet-paddlex", modelsDir(), ModelSpec.FACE_EMBEDDER);
  }

  /** The default models on the JVM-wide sessions (one intra-op thread, as a local[2] task gets). */
  public static FaceModels defaultModels() {
    ModelSpec det = detectorSpec();
    ModelSpec emb = embedderSpec();
    return FaceModels.create(det, bytes(det), emb, bytes(emb),
        new PipelineSettings(640, 0, null, null, 32, false, 100_000_000L, FaceSelection.ALL), 1, () -> {});
  }

  public static ModelBytes bytes(ModelSpec spec) {
    return () -> ModelFiles.readVerified(spec);
  }

  private static Path require(Path p, String what) {
    if (!Files.exists(p)) {
      throw new IllegalStateException("Test data missing: " + what + " expected at " + p.toAbsolutePath());
    }
    return p;
  }

  /** A recursive copy of a folder (inputs assembled from the sample; a local Delta table at one version). */
  public static void copyTree(Path from, Path to) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
