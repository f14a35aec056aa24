package io.facecluster.pipeline;

/**
 * Which faces of an image are embedded. ALL: every detection (production runs). CENTRE: exactly one face per
 * image, the detection nearest the image centre, as verification protocols such as LFW define it; when the
 * detector finds nothing, a second pass at {@link #FALLBACK_SCORE}, then a fixed centre crop, so that no
 * pair is ever dropped. Which of the three gave the face is recorded per image.
 */
public enum FaceSelection {
  ALL, CENTRE;

  /** Score of the second detection pass in CENTRE mode. */
  public static final double FALLBACK_SCORE = 0.1;
  /** Side of the fixed centre crop's face square, as a fraction of the image's short side. */
  public static final double CENTRE_CROP_FRACTION = 0.55;

  public static final String DETECTOR = "detector";
  public static final String LOW_SCORE = "low-score";
  public static final String CENTRE_CROP = "centre-crop";
}
