package io.facecluster.models;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and validates model specs. A spec is named ("retinaface-mnet025" = models.dir/retinaface-mnet025.json)
 * or given as a path to a .json file. Unknown fields are errors: a typo must not silently fall back to a default.
 */
public final class ModelSpecs {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private ModelSpecs() {}

  /** A spec whose model file is not looked for (commands that need only its numbers). */
  public static ModelSpec load(String nameOrPath, String modelsDir, String expectedRole) {
    return load(nameOrPath, modelsDir, expectedRole, null);
  }

  /**
   * A spec with its model file located: `files.override` when the user gave one, else `file` next to the spec,
   * else the same relative path under each of `files.searchPath` (files the project does not ship: SCRFD, y1,
   * dlib; ../shared/models on a development machine). Null `files`: the file is not looked for.
   */
  public static ModelSpec load(String nameOrPath, String modelsDir, String expectedRole, Files files) {
    ModelStore store = files == null ? ModelStore.LOCAL : files.store();
    String specFile = nameOrPath.endsWith(".json") ? nameOrPath : ModelStore.under(modelsDir, nameOrPath + ".json");
    if (!store.isFile(specFile)) {
      throw new ModelException("Model spec '" + nameOrPath + "' not found: no file " + specFile
          + " (set --models-dir or give a path to a .json spec; `submit.sh models` lists the specs)");
    }
    ModelSpec spec;
    try {
      spec = JSON.readValue(store.read(specFile), ModelSpec.class);
    } catch (IOException e) {
      throw new ModelException("Model spec " + specFile + " is not valid: " + e.getMessage(), e);
    }
    validate(spec, "model spec '" + spec.name() + "' (" + specFile + ")", expectedRole);
    ModelSpec located = spec.withFile(ModelStore.resolveSibling(specFile, spec.file()));
    return files == null ? located : locate(located, spec.file(), files);
  }

  /**
   * Where to look for model files, the user's own file for this model (null: none given), and what reads
   * them (local files, or s3a:// and hdfs:// through Hadoop).
   */
  public record Files(List<String> searchPath, String override, String overrideOption, ModelStore store) {
    public Files(List<String> searchPath, String override, String overrideOption) {
      this(searchPath, override, overrideOption, ModelStore.LOCAL);
    }
  }

  private static ModelSpec locate(ModelSpec spec, String relative, Files files) {
    ModelStore store = files.store();
    if (files.override() != null) {
      if (!store.isFile(files.override())) {
        throw new ModelException("Model '" + spec.name() + "': " + files.overrideOption() + " " + files.override()
            + " is not a file");
      }
      return spec.withFile(ModelStore.isUri(files.override()) ? files.override()
          : java.nio.file.Path.of(files.override()).toAbsolutePath().toString());
    }
    if (store.isFile(spec.file())) {
      return spec;
    }
    List<String> tried = new ArrayList<>(List.of(spec.file()));
    for (String dir : files.searchPath()) {
      String p = ModelStore.under(dir, relative);
      if (store.isFile(p)) {
        return spec.withFile(p);
      }
      tried.add(p);
    }
    throw new ModelException("Model '" + spec.name() + "' (licence: " + spec.licence() + "): file not found, tried "
        + String.join(", ", tried) + ". Give its path with " + files.overrideOption()
        + " or add its folder to --models-path");
  }

  private static void validate(ModelSpec spec, String where, String expectedRole) {
    require(spec.name() != null, where, "name");
    require(ModelSpec.ROLES.contains(spec.role()), where, "role (one of " + ModelSpec.ROLES + ")");
    require(expectedRole.equals(spec.role()), where,
        "role: expected '" + expectedRole + "' but the spec says '" + spec.role() + "'");
    require(spec.file() != null, where, "file");
    require(spec.sha256() == null || spec.sha256().matches("[0-9a-f]{64}"), where,
        "sha256 (64 hex digits, or absent for a user-supplied file)");
    ModelSpec.Input in = spec.input();
    require(in != null && in.name() != null, where, "input.name");
    require("NCHW".equals(in.layout()) || "NHWC".equals(in.layout()), where, "input.layout (NCHW or NHWC)");
    require(ModelSpec.COLOURS.contains(in.colour()), where, "input.colour (RGB or BGR)");
    require(in.mean() != null && in.mean().length == 3, where, "input.mean (3 numbers)");
    require(in.scale() != null && in.scale().length == 3, where, "input.scale (3 numbers)");
    require(in.sizeMultiple() >= 1, where, "input.sizeMultiple (>= 1)");
    if (spec.constants() != null) {
      spec.constants().forEach((name, v) -> require(v instanceof Boolean || v instanceof Number, where,
          "constants." + name + " (true, false or a number)"));
    }
    switch (spec.role()) {
      case ModelSpec.DETECTOR -> {
        require(spec.decoder() != null && spec.decoder().kind() != null, where, "decoder.kind");
        require(spec.decoder().strides() != null && spec.decoder().strides().length > 0, where, "decoder.strides");
        require(spec.thresholds() != null, where, "thresholds");
      }
      case ModelSpec.LANDMARKS -> {
        require(!in.dynamic(), where, "input.width/height (a landmark model has a fixed input size)");
        require(spec.crop() != null && spec.crop().scale() > 0, where, "crop.scale (> 0)");
        require(spec.outputs() != null && spec.outputs().containsKey("landmarks"), where, "outputs.landmarks");
      }
      default -> {
        require(!in.dynamic(), where, "input.width/height (an embedder has a fixed input size)");
        if (ModelSpec.FACE_EMBEDDER.equals(spec.role())) {
          require(spec.alignment() != null && spec.alignment().template() != null
              && spec.alignment().template().length == 5, where, "alignment.template (5 points)");
        }
        require(spec.outputs() != null && spec.outputs().containsKey("embedding"), where, "outputs.embedding");
        require(spec.embedding() != null && spec.embedding().dim() > 0, where, "embedding.dim");
        Double t = spec.embedding().clusterThreshold();
        require(t == null || t >= -1 && t <= 1, where, "embedding.clusterThreshold (a cosine in [-1, 1])");
        Double v = spec.embedding().threshold();
        require(v == null || v >= -1 && v <= 1, where, "embedding.threshold (a cosine in [-1, 1])");
        require("cosine".equals(spec.embedding().metric()), where,
            "embedding.metric (cosine: embeddings are L2-normalised, so Euclidean distance ranks pairs the same)");
      }
    }
  }

  private static void require(boolean ok, String where, String field) {
    if (!ok) {
      throw new ModelException("Invalid " + where + ": field " + field);
    }
  }
}
