package io.facecluster.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression: highest score first, drop boxes overlapping a kept one above the IoU. */
public final class Nms {
  private Nms() {}

  public static List<Detection> apply(List<Detection> candidates, double iouThreshold) {
    List<Detection> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
    List<Detection> kept = new ArrayList<>();
    boolean[] removed = new boolean[sorted.size()];
    for (int i = 0; i < sorted.size(); i++) {
      if (removed[i]) {
        continue;
      }
      Detection d = sorted.get(i);
      kept.add(d);
      for (int j = i + 1; j < sorted.size(); j++) {
        if (!removed[j] && d.iou(sorted.get(j)) > iouThreshold) {
          removed[j] = true;
        }
      }
    }
    return kept;
  }
}
