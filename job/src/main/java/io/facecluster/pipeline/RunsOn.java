package io.facecluster.pipeline;

import io.facecluster.models.ModelSpec;
import io.facecluster.models.OrtSessions;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;

/**
 * Where an images row was made: the JVM (`jvm`: pid@host and its start time, unique per executor JVM) and how
 * many ONNX Runtime sessions of this pipeline's models that JVM had created by then (`jvm_sessions`). The
 * summary takes, per JVM, the largest count and sums over JVMs: a failed task attempt's session is still
 * counted (its JVM keeps it) and a recomputed partition adds nothing, unlike an accumulator.
 */
final class RunsOn {
  private static final String JVM = jvmId();

  private final ModelSpec[] specs;

  private RunsOn(ModelSpec... specs) {
    this.specs = specs;
  }

  static RunsOn here(ModelSet models) {
    return new RunsOn(models.detector(), models.landmarks(), models.embedder());
  }

  String jvm() {
    return JVM;
  }

  int sessions() {
    int n = 0;
    for (ModelSpec s : specs) {
      n += s == null ? 0 : OrtSessions.createdFor(s);
    }
    return n;
  }

  private static String jvmId() {
    RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
    return rt.getName() + "/" + rt.getStartTime();
  }
}
