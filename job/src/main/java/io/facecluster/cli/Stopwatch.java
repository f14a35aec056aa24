package io.facecluster.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Lap times and this JVM's peak memory, for the benchmarks. */
final class Stopwatch {
  private static volatile long liveAfterGcPeak;
  private long last = System.nanoTime();

  static {
    // Heap in use after each collection is the live data; sampled, its maximum is the peak the run needed.
    Thread sampler = new Thread(() -> {
      while (true) {
        long live = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
          if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
            live += pool.getCollectionUsage().getUsed();
          }
        }
        liveAfterGcPeak = Math.max(liveAfterGcPeak, live);
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Milliseconds since the previous lap (or creation). */
  long lap() {
    long now = System.nanoTime();
    long ms = (now - last) / 1_000_000;
    last = now;
    return ms;
  }

  /**
   * Peak heap after garbage collection (live data), sum of the heap pools' peaks (an upper bound of the heap
   * ever occupied, garbage included), maximum heap, and the process's peak resident set (VmHWM, Linux), in MiB.
   * In embedded local mode driver and executor share this JVM.
   */
  static Map<String, Object> memory() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("heap_live_peak_mib", liveAfterGcPeak >> 20);
    out.put("heap_pools_peak_mib", peak >> 20);
    out.put("heap_max_mib", Runtime.getRuntime().maxMemory() >> 20);
    out.put("rss_peak_mib", rssPeakMib());
    return out;
  }

  /**
   * Restarts the process's peak resident set (Linux: "5" into /proc/self/clear_refs), so that the next
   * {@link #memory()} reports the peak of one phase; false where the kernel does not allow it.
   */
  static boolean resetRssPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  static long rssPeakMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
