package io.facecluster.cluster;

import java.io.Serializable;

/**
 * One face as the clustering sees it: a dense id, a photo key (faces sharing it are never linked) and its unit
 * embedding. A plain class so that Kryo can shuffle it.
 */
public final class FaceVector implements Serializable {
  private static final long serialVersionUID = 1L;
  final long id;
  final long photo;
  final float[] vector;

  public FaceVector(long id, long photo, float[] vector) {
    this.id = id;
    this.photo = photo;
    this.vector = vector;
  }

  public long id() {
    return id;
  }

  public float[] vector() {
    return vector;
  }
}
