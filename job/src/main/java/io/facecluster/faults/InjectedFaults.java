package io.facecluster.faults;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * Test-only fault injection, inert unless configured: the FIRST attempt of chosen partitions throws an
 * {@link InjectedFault} at a named point of the job, so that tests can prove a retried task gives the same
 * outputs as an undisturbed one. The setting, `decode:0,2;embed:1;write:0;knn:1;components:0` (point:partition
 * ids of the stage that reaches it), is read from the task's local property {@link #KEY} (set on the driver
 * thread with SparkContext.setLocalProperty: one test switches it per job in a shared session), else from the
 * Spark conf key of the same name (spark-submit --conf, for runs on a cluster). Not a user option.
 *
 * <p>Its own level-0 package rather than `config`: it is no setting of the job (not in ResolvedConfig), and
 * `output` (level 0 too) calls it, which a class in `config` could not be (no imports within a level).
 */
public final class InjectedFaults {
  public static final String KEY = "spark.facecluster.test.fail-first-attempt";

  /** Where a fault can be injected; the names are those of the setting. */
  public enum Point { DECODE, EMBED, WRITE, KNN, COMPONENTS;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The exception a chosen first attempt throws; its message names the point, partition and stage. */
  public static final class InjectedFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFault(String message) {
      super(message);
    }
  }

  /** The last setting parsed, with its result (one volatile field: readers never see a mixed pair). */
  private record Parsed(String from, Map<Point, Set<Integer>> points) {}

  private static volatile Parsed last = new Parsed("", Map.of());

  private InjectedFaults() {}

  /** Throws when the running task is the first attempt of a partition chosen for `point`; else nothing. */
  public static void check(Point point) {
    TaskContext task = TaskContext.get();
    if (task == null || task.attemptNumber() != 0) {
      return;
    }
    String setting = task.getLocalProperty(KEY);
    if (setting == null && SparkEnv.get() != null) {
      setting = SparkEnv.get().conf().get(KEY, null);
    }
    if (setting == null || setting.isBlank()) {
      return;
    }
    if (parse(setting).getOrDefault(point, Set.of()).contains(task.partitionId())) {
      throw new InjectedFault("injected fault at " + point.label() + ": first attempt of partition "
          + task.partitionId() + " of stage " + task.stageId() + " (" + KEY + ")");
    }
  }

  /**
   * Whether the driver's setting (the calling thread's local property, else the conf) names `point`: a step
   * that exists only to host a fault (before the table write) is added only then.
   */
  public static boolean configured(org.apache.spark.SparkContext sc, Point point) {
    String setting = sc.getLocalProperty(KEY);
    if (setting == null) {
      setting = sc.conf().get(KEY, null);
    }
    return setting != null && !setting.isBlank() && parse(setting).containsKey(point);
  }

  /**
   * The rows unchanged, but a chosen first attempt throws after handing on the first row (or at the end of an
   * empty partition): the failure comes mid-task, after the consumer (a file writer) has started.
   */
  public static <T> java.util.Iterator<T> passThrough(java.util.Iterator<T> rows, Point point) {
    return new java.util.Iterator<>() {
      private long handed;
      private boolean checked;

      @Override
      public boolean hasNext() {
        if (!checked && (handed > 0 || !rows.hasNext())) {
          checked = true;
          check(point);
        }
        return rows.hasNext();
      }

      @Override
      public T next() {
        if (!checked && handed > 0) {
          checked = true;
          check(point);
        }
        handed++;
        return rows.next();
      }
    };
  }

  /** point -> partition ids; an unknown point or a bad number fails loudly (a typo must not pass as "no fault"). */
  static Map<Point, Set<Integer>> parse(String setting) {
    Parsed cached = last;
    if (setting.equals(cached.from())) {
      return cached.points();
    }
    Map<Point, Set<Integer>> out = new HashMap<>();
    for (String part : setting.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      String[] kv = part.split(":", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException(KEY + ": expected point:partition,... in '" + part + "'");
      }
      Point p = Point.valueOf(kv[0].trim().toUpperCase(Locale.ROOT));
      Set<Integer> ids = out.computeIfAbsent(p, x -> new HashSet<>());
      for (String id : kv[1].split(",")) {
        ids.add(Integer.parseInt(id.trim()));
      }
    }
    last = new Parsed(setting, Map.copyOf(out));
    return last.points();
  }
}
