package io.facecluster.models;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds and validates model specs. A spec is named ("retinaface-mnet025" = models.dir/retinaface-mnet025.json)
 * or given as a path to a .json file. Unknown fields are errors: a typo must not silently fall back to a default.
 */
public final class ModelSpecs {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private ModelSpecs() {}

  public static ModelSpec load(String nameOrPath, String modelsDir, String expectedRole) {
    Path specFile = nameOrPath.endsWith(".json") ? Path.of(nameOrPath) : Path.of(modelsDir, nameOrPath + ".json");
    if (!Files.isRegularFile(specFile)) {
      throw new ModelException("Model spec '" + nameOrPath + "' not found: no file " + specFile.toAbsolutePath()
          + " (set --models-dir or give a path to a .json spec)");
    }
    ModelSpec spec;
    try {
      spec = JSON.readValue(specFile.toFile(), ModelSpec.class);
    } catch (IOException e) {
      throw new ModelException("Model spec " + specFile + " is not valid: " + e.getMessage(), e);
    }
    String where = "model spec '" + spec.name() + "' (" + specFile + ")";
    require(spec.name() != null, where, "name");
    require(expectedRole.equals(spec.role()), where,
        "role: expected '" + expectedRole + "' but the spec says '" + spec.role() + "'");
    require(spec.file() != null, where, "file");
    require(spec.sha256() != null && spec.sha256().matches("[0-9a-f]{64}"), where, "sha256 (64 hex digits)");
    ModelSpec.Input in = spec.input();
    require(in != null && in.name() != null, where, "input.name");
    require("NCHW".equals(in.layout()), where, "input.layout (only NCHW is supported)");
    require(ModelSpec.COLOURS.contains(in.colour()), where, "input.colour (RGB or BGR)");
    require(in.mean() != null && in.mean().length == 3, where, "input.mean (3 numbers)");
    require(in.scale() != null && in.scale().length == 3, where, "input.scale (3 numbers)");
    require(in.sizeMultiple() >= 1, where, "input.sizeMultiple (>= 1)");
    if (ModelSpec.DETECTOR.equals(expectedRole)) {
      require(spec.decoder() != null && spec.decoder().kind() != null, where, "decoder.kind");
      require(spec.thresholds() != null, where, "thresholds");
    } else {
      require(!in.dynamic(), where, "input.width/height (an embedder has a fixed input size)");
      require(spec.alignment() != null && spec.alignment().template() != null
          && spec.alignment().template().length == 5, where, "alignment.template (5 points)");
      require(spec.embedding() != null && spec.embedding().dim() > 0, where, "embedding.dim");
      require(spec.embedding().clusterThreshold() != null && spec.embedding().clusterThreshold() >= -1
          && spec.embedding().clusterThreshold() <= 1, where, "embedding.clusterThreshold (a cosine in [-1, 1])");
    }
    Path modelFile = specFile.toAbsolutePath().getParent().resolve(spec.file()).normalize();
    return new ModelSpec(spec.name(), spec.role(), modelFile.toString(), spec.sha256(), spec.licence(),
        spec.source(), in, spec.outputs(), spec.decoder(), spec.alignment(), spec.embedding(), spec.thresholds());
  }

  private static void require(boolean ok, String where, String field) {
    if (!ok) {
      throw new ModelException("Invalid " + where + ": field " + field);
    }
  }
}
