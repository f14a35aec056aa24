package io.facecluster.cluster;

import java.io.Serializable;

/**
 * A face's best neighbours, most similar first, at most `capacity` of them. Mutable and merged in place: the
 * kNN searches keep one per query and fold partial lists from several blocks or cells into it. A plain class,
 * not a record, because Spark's Kryo serializer cannot build records.
 */
public final class Neighbours implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int capacity;
  private long[] ids;
  private float[] sims;
  private int size;

  /** @param capacity the most neighbours kept; Integer.MAX_VALUE keeps all (arrays grow as needed) */
  public Neighbours(int capacity) {
    this.capacity = capacity;
    ids = new long[Math.min(capacity, 8)];
    sims = new float[ids.length];
  }

  /** n empty lists of the given capacity: one per query row of a block search. */
  public static Neighbours[] lists(int n, int capacity) {
    Neighbours[] out = new Neighbours[n];
    for (int i = 0; i < n; i++) {
      out[i] = new Neighbours(capacity);
    }
    return out;
  }

  public int size() {
    return size;
  }

  public long id(int i) {
    return ids[i];
  }

  public float sim(int i) {
    return sims[i];
  }

  /**
   * The similarity a candidate must reach to enter a full list (-infinity while the list has room); at equality
   * {@link #offer} decides by id.
   */
  public float floor() {
    return size < capacity ? Float.NEGATIVE_INFINITY : sims[size - 1];
  }

  /**
   * Inserts a candidate when it is among the best. Equal similarities are ordered by id, smaller first, so that
   * the list does not depend on the order candidates arrive in (blocks, cells and merges come in task order).
   * Ids must not repeat.
   */
  public void offer(long id, float sim) {
    if (size == capacity && !before(id, sim, size - 1)) {
      return;
    }
    if (size == ids.length && size < capacity) {
      int grown = (int) Math.min(capacity, 2L * ids.length);
      ids = java.util.Arrays.copyOf(ids, grown);
      sims = java.util.Arrays.copyOf(sims, grown);
    }
    int at = size == capacity ? size - 1 : size++;
    while (at > 0 && before(id, sim, at - 1)) {
      ids[at] = ids[at - 1];
      sims[at] = sims[at - 1];
      at--;
    }
    ids[at] = id;
    sims[at] = sim;
  }

  /**
   * Folds another list in and returns this; a candidate already listed is skipped. The IVF search may compare
   * one pair in two cells (each face probing the other's cell), so partial lists can share candidates.
   */
  public Neighbours merge(Neighbours other) {
    for (int i = 0; i < other.size; i++) {
      if (other.sims[i] >= floor() && !contains(other.ids[i])) {
        offer(other.ids[i], other.sims[i]);
      }
    }
    return this;
  }

  /** Whether (id, sim) ranks before entry i: more similar, or as similar with a smaller id. */
  private boolean before(long id, float sim, int i) {
    return sim > sims[i] || (sim == sims[i] && id < ids[i]);
  }

  private boolean contains(long id) {
    for (int i = 0; i < size; i++) {
      if (ids[i] == id) {
        return true;
      }
    }
    return false;
  }
}
