package io.facecluster.notebooks;

import io.facecluster.udfs.FaceUdfs;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalog.Table;
import org.apache.spark.sql.types.StructType;
import org.apache.zeppelin.display.Input;
import org.apache.zeppelin.interpreter.util.SqlSplitter;

/**
 * Runs a note's paragraphs in order on one SparkSession, as Zeppelin's Spark interpreter group runs
 * them: dynamic forms substituted by Zeppelin's own {@link Input#getSimpleQuery} (values given, else
 * the form's default), SQL split into statements by Zeppelin's {@link SqlSplitter}, every statement
 * executed and its rows collected. Any failing statement fails the run with the note, paragraph and
 * statement in the message, and so does a result Zeppelin would cut (over its default row or output
 * size limits).
 *
 * <p>The only Scala a note may hold is the udfs registration, which this runner performs by the same
 * Java call; other Scala fails the run, since nothing here can check it. Temporary views a note
 * creates are dropped when it ends, so every note must create what it reads.
 */
final class NoteRunner {
  /** The code of a note's %spark paragraph, comments aside. */
  static final String REGISTER_UDFS = "io.facecluster.udfs.FaceUdfs.register(spark)";
  /** zeppelin.spark.maxResult's default: more rows are cut from the table Zeppelin shows. */
  static final int MAX_RESULT = 1000;
  /** zeppelin.interpreter.output.limit's default, in bytes: Zeppelin cuts a longer output. */
  static final int OUTPUT_LIMIT = 102_400;

  /** The last statement's result of one SQL paragraph. */
  record Result(List<String> columns, List<Row> rows) {}

  /** Results by paragraph title, and the schemas of the temporary views the note created. */
  record Run(Map<String, Result> results, Map<String, StructType> views) {
    /** Fails unless every SQL paragraph but the given ones (that only create views) returned rows. */
    void assertEveryQueryHasRows(String... viewParagraphs) {
      List<String> empty = results.entrySet().stream()
          .filter(e -> e.getValue().rows().isEmpty() && !List.of(viewParagraphs).contains(e.getKey()))
          .map(Map.Entry::getKey).toList();
      if (!empty.isEmpty()) {
        throw new AssertionError("SQL paragraphs without rows on the test output: " + empty);
      }
    }

    Result get(String title) {
      Result r = results.get(title);
      if (r == null) {
        throw new AssertionError("no SQL paragraph titled '" + title + "'; ran " + results.keySet());
      }
      return r;
    }
  }

  private NoteRunner() {}

  static Run run(SparkSession spark, ZeppelinNote note, Map<String, ?> params) {
    Set<String> before = tempViews(spark);
    Map<String, Result> results = new LinkedHashMap<>();
    Map<String, StructType> views = new LinkedHashMap<>();
    try {
      for (ZeppelinNote.Paragraph p : note.paragraphs()) {
        switch (p.interpreter()) {
          case "md" -> { }
          case "spark" -> registerUdfs(spark, note, p);
          case "spark.sql", "sql" -> results.put(p.title(), sql(spark, note, p, params));
          default -> throw new AssertionError(where(note, p) + ": interpreter %" + p.interpreter()
              + " is not run by this test");
        }
      }
      for (String v : tempViews(spark)) {
        if (!before.contains(v)) {
          views.put(v, spark.table(v).schema());
        }
      }
      return new Run(results, views);
    } finally {
      for (String v : tempViews(spark)) {
        if (!before.contains(v)) {
          spark.catalog().dropTempView(v);
        }
      }
    }
  }

  /** Zeppelin substitutes note forms ($${...}) first, then the paragraph's forms (${...}). */
  static String substitute(String body, Map<String, ?> params) {
    String text = Input.getSimpleQuery(new HashMap<>(params), body, true);
    return Input.getSimpleQuery(new HashMap<>(params), text, false);
  }

  private static Result sql(SparkSession spark, ZeppelinNote note, ZeppelinNote.Paragraph p,
      Map<String, ?> params) {
    String text = substitute(p.body(), params);
    List<String> statements = new SqlSplitter().splitSql(text);
    if (statements.isEmpty()) {
      throw new AssertionError(where(note, p) + ": no SQL statement");
    }
    Result last = null;
    long outputBytes = 0;
    for (String statement : statements) {
      try {
        var df = spark.sql(statement);
        List<Row> rows = df.limit(MAX_RESULT + 1).collectAsList();
        last = new Result(List.of(df.columns()), rows);
      } catch (Exception e) { // AnalysisException is checked in Java's eyes, though Scala throws it anywhere
        throw new AssertionError(where(note, p) + " failed: " + e.getMessage() + "\n--- statement:\n"
            + statement, e);
      }
      if (last.rows().size() > MAX_RESULT) {
        throw new AssertionError(where(note, p) + ": more than " + MAX_RESULT
            + " rows, which Zeppelin cuts; add a LIMIT");
      }
      outputBytes += tableBytes(last);
    }
    if (outputBytes > OUTPUT_LIMIT) {
      throw new AssertionError(where(note, p) + ": " + outputBytes + " bytes of output, which Zeppelin cuts at "
          + OUTPUT_LIMIT + "; show less");
    }
    return last;
  }

  /** The size of a result as Zeppelin's %table text: a header line, then one tab-separated line per row. */
  private static long tableBytes(Result r) {
    StringBuilder text = new StringBuilder("%table ").append(String.join("\t", r.columns())).append('\n');
    for (Row row : r.rows()) {
      for (int i = 0; i < row.size(); i++) {
        text.append(i == 0 ? "" : "\t").append(row.get(i));
      }
      text.append('\n');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  private static void registerUdfs(SparkSession spark, ZeppelinNote note, ZeppelinNote.Paragraph p) {
    String code = p.body().lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("//"))
        .collect(Collectors.joining("\n"));
    if (!code.equals(REGISTER_UDFS)) {
      throw new AssertionError(where(note, p) + ": the only %spark code this test runs is '"
          + REGISTER_UDFS + "', found:\n" + code);
    }
    FaceUdfs.register(spark);
  }

  private static Set<String> tempViews(SparkSession spark) {
    return spark.catalog().listTables().collectAsList().stream().filter(Table::isTemporary)
        .map(Table::name).collect(Collectors.toCollection(TreeSet::new));
  }

  private static String where(ZeppelinNote note, ZeppelinNote.Paragraph p) {
    return note.file().getFileName() + ", paragraph '" + p.title() + "'";
  }
}
