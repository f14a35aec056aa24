package io.facecluster.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The official LFW View 2 pair list: a header "10\t300", then 10 folds of 300 matched lines (name i j) and
 * 300 mismatched lines (name1 i name2 j). Image index i is lfw/name/name_%04d.jpg.
 */
public final class LfwPairs {
  /** One pair: its fold (0-9), the two images relative to the LFW root, and whether it is the same person. */
  public record Pair(int fold, String a, String b, boolean same) {}

  private final List<Pair> pairs;

  private LfwPairs(List<Pair> pairs) {
    this.pairs = pairs;
  }

  public static LfwPairs read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String[] head = lines.get(0).trim().split("\\s+");
    int folds = Integer.parseInt(head[0]);
    int perClass = Integer.parseInt(head[1]);
    if (lines.size() - 1 < folds * perClass * 2) {
      throw new IOException(file + ": header says " + folds + " folds of " + perClass + " + " + perClass
          + " pairs, but the file has " + (lines.size() - 1) + " pair lines");
    }
    List<Pair> out = new ArrayList<>(folds * perClass * 2);
    int line = 1;
    for (int f = 0; f < folds; f++) {
      for (int i = 0; i < 2 * perClass; i++, line++) {
        String[] t = lines.get(line).trim().split("\\s+");
        if (i < perClass && t.length == 3) {
          out.add(new Pair(f, image(t[0], t[1]), image(t[0], t[2]), true));
        } else if (i >= perClass && t.length == 4) {
          out.add(new Pair(f, image(t[0], t[1]), image(t[2], t[3]), false));
        } else {
          throw new IOException(file + " line " + (line + 1) + ": expected a " + (i < perClass ? "matched" : "mismatched")
              + " pair, got '" + lines.get(line) + "'");
        }
      }
    }
    return new LfwPairs(out);
  }

  static String image(String name, String index) {
    return name + "/" + name + String.format("_%04d.jpg", Integer.parseInt(index));
  }

  public List<Pair> pairs() {
    return pairs;
  }

  /** Distinct images referenced, in first-use order (7,701 for View 2). */
  public List<String> images() {
    Set<String> s = new LinkedHashSet<>();
    for (Pair p : pairs) {
      s.add(p.a());
      s.add(p.b());
    }
    return new ArrayList<>(s);
  }
}
