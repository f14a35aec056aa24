package io.facecluster.library;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.facecluster.cluster.GraphClustering;
import io.facecluster.cluster.IvfKnn;
import io.facecluster.cluster.KnnSearch;
import io.facecluster.library.PersonLibraryTest.Photo;
import io.facecluster.output.LibrarySchemas;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's stored index (docs/library.md, "The stored index"), on a library made to outgrow exact search at
 * 200 faces with cells of 20: trained when the library first passes the limit, every face stored with its nearest
 * cell, used as it is by the next run (whose known faces still find their persons), trained again when the
 * library outgrows its cells four times; a pooled face that finds a person is marked in its old file by a
 * deletion vector, not by rewriting the file.
 */
class LibraryIndexTest extends SparkTestBase {
  static final GraphClustering.Params PARAMS = PersonLibraryTest.PARAMS.withSearch(KnnSearch.Params.defaults()
      .withExactLimit(200).withIvf(new IvfKnn.Params(20, 4, 300_000, 8, 42)));

  @TempDir
  Path tmp;

  @Test
  void indexTrainedOnceUsedByLaterRunsAndTrainedAgainWhenOutgrown() {
    String root = tmp.resolve("lib").toString();
    Library lib = new Library(spark, root);
    // Day 1: 15 identities of 15 faces and one face of "solo" (alone: unassigned): 226 faces > 200.
    List<Photo> day1 = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      day1.addAll(PersonLibraryTest.photos("id" + i, 0, 15));
    }
    day1.addAll(PersonLibraryTest.photos("solo", 0, 1));
    PersonLibraryTest.run(root, "day1", day1, PARAMS);
    IvfKnn.Index first = LibraryIndex.read(lib);
    assertThat(first.cells()).as("cells of 20 for 226 faces").isEqualTo(11);
    assertThat(wrongCells(lib, first)).as("faces whose stored cell is not their nearest").isZero();
    Map<String, String> persons1 = persons(lib);

    // Day 2: five more faces of ten known identities, two more of solo: searched in the stored index.
    List<Photo> day2 = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      day2.addAll(PersonLibraryTest.photos("id" + i, 15, 20));
    }
    day2.addAll(PersonLibraryTest.photos("solo", 1, 3));
    Map<String, Object> r2 = PersonLibraryTest.run(root, "day2", day2, PARAMS);
    assertThat(r2).as("day 2").containsEntry("faces_added", 52L).containsEntry("joined_existing", 50L)
        .containsEntry("new_persons", 1L).containsEntry("unassigned", 0L);
    Map<String, String> persons2 = persons(lib);
    for (int i = 0; i < 10; i++) {
      assertThat(persons2.get("f-id" + i + "-19")).as("id%d's new face joins its person", i)
          .isEqualTo(persons1.get("f-id" + i + "-0"));
    }
    assertThat(persons2.get("f-solo-0")).as("solo's first face, pooled, with its new ones").isNotNull()
        .isEqualTo(persons2.get("f-solo-2"));
    assertThat(lib.version(LibrarySchemas.INDEX)).as("the index is kept, not trained again").isZero();
    assertThat(wrongCells(lib, first)).as("day 2's faces stored in their nearest cells").isZero();
    Row merge = DeltaTable.forPath(spark, lib.path(LibrarySchemas.FACES)).history(1).first();
    Map<String, String> metrics = merge.getJavaMap(merge.fieldIndex("operationMetrics"));
    assertThat(merge.getString(merge.fieldIndex("operation"))).isEqualTo("MERGE");
    assertThat(metrics).as("solo's day-1 row marked by a deletion vector, its file kept")
        .containsEntry("numTargetDeletionVectorsAdded", "1").containsEntry("numTargetFilesRemoved", "0")
        .containsEntry("numTargetRowsUpdated", "1").containsEntry("numTargetRowsInserted", "52");

    // Day 3: 640 faces of new identities: 918 faces > 4 x 11 cells x 20: trained again, every cell new.
    List<Photo> day3 = new ArrayList<>();
    for (int i = 100; i < 132; i++) {
      day3.addAll(PersonLibraryTest.photos("id" + i, 0, 20));
    }
    PersonLibraryTest.run(root, "day3", day3, PARAMS);
    IvfKnn.Index second = LibraryIndex.read(lib);
    assertThat(second.cells()).as("cells of 20 for 918 faces").isEqualTo(46);
    assertThat(lib.version(LibrarySchemas.INDEX)).isEqualTo(1);
    assertThat(lib.read(LibrarySchemas.INDEX).select("trained_run").distinct().collectAsList())
        .extracting(r -> r.getString(0)).containsExactly("day3");
    assertThat(wrongCells(lib, second)).as("every face moved to its cell of the new index").isZero();
    assertThat(persons(lib)).as("the retrained layout keeps every earlier face's person")
        .containsAllEntriesOf(persons2);
  }

  /** Library faces whose `cell` is not their nearest cell of `index` (or is null). */
  private static long wrongCells(Library lib, IvfKnn.Index index) {
    long wrong = 0;
    for (Row r : lib.faces().select("embedding", "cell").collectAsList()) {
      int nearest = index.nearest(GraphClustering.toFloats(r.getList(0)), 1)[0];
      wrong += r.isNullAt(1) || r.getInt(1) != nearest ? 1 : 0;
    }
    return wrong;
  }

  private static Map<String, String> persons(Library lib) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : lib.faces().select("face_id", "person_id").collectAsList()) {
      out.put(r.getString(0), r.getString(1));
    }
    return out;
  }
}
