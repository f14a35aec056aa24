package io.facecluster.udfs;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base for tests that need Spark: one {@code local[2]} session for the whole test JVM (surefire
 * runs one fork per module), so tests read like SQL without paying Spark start-up per class. The
 * session is never stopped by a test class; it ends with the JVM. Bound to 127.0.0.1 only.
 * The job module reuses this class through the udfs test-jar.
 */
public abstract class SparkTestBase {

  protected static SparkSession spark = null;

  @BeforeAll
  public static void startSpark() {
    SparkTestBase.spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("facecluster-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            // As in conf/spark-defaults.conf: what production shuffles must survive Kryo in tests too.
            .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
            // Tests must not pick up a warehouse or metastore from the working directory.
            .config("spark.sql.catalogImplementation", "in-memory")
            .getOrCreate();
  }

  /** Runs a query ({@link String#format} args) and returns its rows as Java values. */
  protected static List<Object[]> sql(String query, Object... args) {
    List<Row> rows = spark.sql(String.format(query, args)).collectAsList();
    return rows.stream().map(SparkTestBase::toJava).collect(Collectors.toList());
  }

  /** An expected row, to compare with {@link #sql} results. */
  protected static Object[] row(Object... values) {
    return values;
  }

  /** Rows as Object[]; array columns become java.util.List, structs become nested Object[]. */
  protected static Object[] toJava(Row row) {
    Object[] values = new Object[row.size()];
    for (int i = 0; i < values.length; i++) {
      Object value = row.get(i);
      if (value instanceof Row) {
        values[i] = toJava((Row) value);
      } else if (value instanceof scala.collection.Seq) {
        values[i] = row.getList(i);
      } else {
        values[i] = value;
      }
    }
    return values;
  }

  /**
   * Row comparator for AssertJ's {@code usingElementComparator}: like deep equality, but floats
   * and doubles (also inside lists) match within {@code tolerance}, for results that depend on
   * rounding order.
   */
  protected static Comparator<Object[]> rowsWithin(double tolerance) {
    return (a, b) -> valuesMatch(a, b, tolerance) ? 0 : 1;
  }

  private static boolean valuesMatch(Object a, Object b, double tolerance) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof Object[] && b instanceof Object[]) {
      return listsMatch(Arrays.asList((Object[]) a), Arrays.asList((Object[]) b), tolerance);
    }
    if (a instanceof List && b instanceof List) {
      return listsMatch((List<?>) a, (List<?>) b, tolerance);
    }
    if ((a instanceof Float || a instanceof Double) && a.getClass() == b.getClass()) {
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      return Double.compare(x, y) == 0 || Math.abs(x - y) <= tolerance;
    }
    return a.equals(b);
  }

  private static boolean listsMatch(List<?> a, List<?> b, double tolerance) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!valuesMatch(a.get(i), b.get(i), tolerance)) {
        return false;
      }
    }
    return true;
  }
}
