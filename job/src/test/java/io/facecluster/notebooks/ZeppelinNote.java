package io.facecluster.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.zeppelin.display.Input;

/**
 * A Zeppelin note ({@code .zpln}, the JSON Zeppelin 0.9+ stores and imports) as the notebook tests
 * read it: its name and its paragraphs, each split into interpreter and body the way Zeppelin splits
 * {@code %spark.sql\n...}.
 */
record ZeppelinNote(Path file, String name, List<ZeppelinNote.Paragraph> paragraphs) {

  /** A paragraph: {@code interpreter} is what follows '%' on its first line ("spark.sql", "md"). */
  record Paragraph(String title, String interpreter, String body) {
    boolean isSql() {
      return interpreter.equals("spark.sql") || interpreter.equals("sql");
    }

    /** The paragraph's dynamic forms ({@code ${name=default}}), as Zeppelin extracts them. */
    Map<String, Input> forms() {
      Map<String, Input> forms = new LinkedHashMap<>(Input.extractSimpleQueryForm(body, false));
      forms.putAll(Input.extractSimpleQueryForm(body, true));
      return forms;
    }
  }

  /** "%interpreter" at the start of the text, optional "(key=value)" local properties, then the body. */
  private static final Pattern DIRECTIVE = Pattern.compile("\\A%([\\w.]+)(\\([^)]*\\))?[ \\t]*\\R?");

  static List<ZeppelinNote> all(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<ZeppelinNote> notes = new ArrayList<>();
      for (Path f : files.filter(f -> f.toString().endsWith(".zpln")).sorted().toList()) {
        notes.add(read(f));
      }
      return notes;
    }
  }

  static ZeppelinNote read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    String name = require(root, "name", file).asText();
    List<Paragraph> paragraphs = new ArrayList<>();
    for (JsonNode p : require(root, "paragraphs", file)) {
      String text = require(p, "text", file).asText();
      Matcher m = DIRECTIVE.matcher(text);
      if (!m.find()) {
        throw new IllegalStateException(file + ": a paragraph without an %interpreter line: " + text);
      }
      String title = p.path("title").asText("");
      paragraphs.add(new Paragraph(title, m.group(1), text.substring(m.end())));
    }
    return new ZeppelinNote(file, name, List.copyOf(paragraphs));
  }

  List<Paragraph> sql() {
    return paragraphs.stream().filter(Paragraph::isSql).toList();
  }

  private static JsonNode require(JsonNode node, String field, Path file) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalStateException(file + ": no '" + field + "' in " + node);
    }
    return v;
  }
}
