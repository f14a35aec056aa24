package io.facecluster.pipeline;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Task-side counters summed on the driver: time per stage (summed over tasks, so it is CPU-side time, not
 * wall time) and how many ONNX Runtime sessions were created, which proves sessions are per JVM, not per task.
 */
public final class StageMetrics implements Serializable {
  private final Map<Stage, LongAccumulator> nanos = new EnumMap<>(Stage.class);
  private final LongAccumulator sessionsCreated;
  private final LongAccumulator partitions;
  private final LongAccumulator images;
  private final LongAccumulator faces;

  public StageMetrics(SparkContext sc) {
    for (Stage s : Stage.values()) {
      nanos.put(s, sc.longAccumulator("facecluster." + s.label() + ".nanos"));
    }
    sessionsCreated = sc.longAccumulator("facecluster.sessions.created");
    partitions = sc.longAccumulator("facecluster.partitions");
    images = sc.longAccumulator("facecluster.images");
    faces = sc.longAccumulator("facecluster.faces");
  }

  public void imageDone(int faceCount) {
    images.add(1);
    faces.add(faceCount);
  }

  public long images() {
    return images.value();
  }

  public long faces() {
    return faces.value();
  }

  public void add(Stage stage, long elapsedNanos) {
    nanos.get(stage).add(elapsedNanos);
  }

  public void sessionsCreated(long n) {
    sessionsCreated.add(n);
  }

  public void partitionDone() {
    partitions.add(1);
  }

  public long sessionsCreated() {
    return sessionsCreated.value();
  }

  public long partitions() {
    return partitions.value();
  }

  /** Zeroes every counter (driver side), e.g. after a warm-up run that should not count. */
  public void reset() {
    nanos.values().forEach(LongAccumulator::reset);
    sessionsCreated.reset();
    partitions.reset();
    images.reset();
    faces.reset();
  }

  public Map<String, Long> millisByStage() {
    Map<String, Long> out = new LinkedHashMap<>();
    nanos.forEach((s, acc) -> out.put(s.label(), acc.value() / 1_000_000));
    return out;
  }
}
