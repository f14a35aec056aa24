package io.facecluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NeighboursTest {
  static List<String> text(Neighbours n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      out.add(n.id(i) + ":" + n.sim(i));
    }
    return out;
  }

  @Test
  void keepsTheBestInOrderUpToItsCapacity() {
    Neighbours n = new Neighbours(3);
    n.offer(1, 0.5f);
    n.offer(2, 0.9f);
    assertThat(n.floor()).as("floor while there is room").isEqualTo(Float.NEGATIVE_INFINITY);
    n.offer(3, 0.7f);
    n.offer(4, 0.6f);
    n.offer(5, 0.1f);
    assertThat(text(n)).as("three best, most similar first").containsExactly("2:0.9", "3:0.7", "4:0.6");
    assertThat(n.floor()).as("floor of a full list").isEqualTo(0.6f);
  }

  @Test
  void mergeFoldsDisjointPartialLists() {
    Neighbours a = new Neighbours(4);
    a.offer(1, 0.8f);
    a.offer(2, 0.3f);
    Neighbours b = new Neighbours(4);
    b.offer(3, 0.9f);
    b.offer(4, 0.5f);
    b.offer(5, 0.4f);
    assertThat(text(a.merge(b))).as("merged").containsExactly("3:0.9", "1:0.8", "4:0.5", "5:0.4");
  }

  @Test
  void unboundedCapacityGrows() {
    Neighbours n = new Neighbours(Integer.MAX_VALUE);
    for (int i = 0; i < 100; i++) {
      n.offer(i, i / 100f);
    }
    assertThat(n.size()).as("all 100 kept").isEqualTo(100);
    assertThat(n.id(0)).as("best first").isEqualTo(99);
    assertThat(n.id(99)).as("worst last").isEqualTo(0);
  }

  @Test
  void equalSimilaritiesAreOrderedByIdWhateverTheArrivalOrder() {
    // Four candidates tie at 0.5 for the last two places: the smaller ids win, offered or merged in any order.
    Neighbours forward = new Neighbours(3);
    Neighbours backward = new Neighbours(3);
    long[] ids = {7, 3, 9, 5, 1};
    float[] sims = {0.5f, 0.5f, 0.5f, 0.5f, 0.9f};
    for (int i = 0; i < ids.length; i++) {
      forward.offer(ids[i], sims[i]);
      backward.offer(ids[ids.length - 1 - i], sims[ids.length - 1 - i]);
    }
    assertThat(text(forward)).as("offered 7, 3, 9, 5, 1").containsExactly("1:0.9", "3:0.5", "5:0.5");
    assertThat(text(backward)).as("offered 1, 5, 9, 3, 7").containsExactly("1:0.9", "3:0.5", "5:0.5");
    Neighbours a = new Neighbours(3);
    a.offer(9, 0.5f);
    a.offer(7, 0.5f);
    Neighbours b = new Neighbours(3);
    b.offer(3, 0.5f);
    b.offer(1, 0.9f);
    Neighbours c = new Neighbours(3);
    c.offer(5, 0.5f);
    assertThat(text(a.merge(b).merge(c))).as("merged partial lists").containsExactly("1:0.9", "3:0.5", "5:0.5");
  }
}
