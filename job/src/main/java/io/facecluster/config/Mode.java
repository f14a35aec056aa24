package io.facecluster.config;

/** What the input images hold: faces to detect, or person crops embedded whole (one image or manifest box each). */
public enum Mode {
  FACE, PERSON;

  /**
   * The embedder spec used when --embedder is not given: the most accurate on LFW through the job
   * (face-reidentification-retail-0095, docs/models.md), and the seed card's person re-ID model.
   */
  public String defaultEmbedder() {
    return this == FACE ? "face-reidentification-retail-0095" : "person-reidentification-retail-0031";
  }
}
