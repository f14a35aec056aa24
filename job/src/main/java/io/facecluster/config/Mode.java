package io.facecluster.config;

/** What the input images hold: faces to detect, or person crops embedded whole (one image or manifest box each). */
public enum Mode {
  FACE, PERSON;

  /** The embedder spec used when --embedder is not given. */
  public String defaultEmbedder() {
    return this == FACE ? "mobilefacenet-paddlex" : "person-reidentification-retail-0031";
  }
}
