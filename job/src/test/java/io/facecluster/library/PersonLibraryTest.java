package io.facecluster.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facecluster.cluster.GraphClustering;
import io.facecluster.output.LibrarySchemas;
import io.facecluster.udfs.SparkTestBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's run step on faces with known identities (unit vectors around one random centre per identity,
 * cosine within an identity about 0.8, across about 0): persons created, joined and kept across runs, the
 * leftovers of one run pooled by the next, a rerun of the last run id, recluster's id carry-over. (A run killed
 * between two table commits: run.LibraryRunTest, with a real JVM kill.)
 */
class PersonLibraryTest extends SparkTestBase {
  static final int DIM = 64;
  static final GraphClustering.Params PARAMS = GraphClustering.Params.of(0.5, 30, true, 2).withOneWayMargin(0.1);
  static final StructType IMAGES = DataTypes.createStructType(List.of(
      DataTypes.createStructField("path", DataTypes.StringType, false),
      DataTypes.createStructField("sha256", DataTypes.StringType, true),
      DataTypes.createStructField("status", DataTypes.StringType, false),
      DataTypes.createStructField("face_count", DataTypes.IntegerType, false)));
  static final StructType FACES = DataTypes.createStructType(List.of(
      DataTypes.createStructField("face_id", DataTypes.StringType, false),
      DataTypes.createStructField("path", DataTypes.StringType, false),
      DataTypes.createStructField("box", DataTypes.createArrayType(DataTypes.FloatType, false), false),
      DataTypes.createStructField("landmarks", DataTypes.createArrayType(DataTypes.FloatType, false), false),
      DataTypes.createStructField("score", DataTypes.FloatType, false),
      DataTypes.createStructField("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false),
      DataTypes.createStructField("gate", DataTypes.StringType, true)));

  @TempDir
  Path tmp;

  /** One photo per face: name "<identity>-<n>.jpg", face_id "f-<identity>-<n>", sha256 "h-<identity>-<n>". */
  record Photo(String identity, int n) {
    String path() {
      return "/photos/" + identity + "-" + n + ".jpg";
    }

    String faceId() {
      return "f-" + identity + "-" + n;
    }
  }

  static float[] embedding(Photo p) {
    Random centre = new Random(p.identity().hashCode());
    Random noise = new Random(p.faceId().hashCode());
    float[] v = new float[DIM];
    double norm = 0;
    for (int i = 0; i < DIM; i++) {
      double c = centre.nextGaussian();
      v[i] = (float) (c + 0.5 * noise.nextGaussian());
      norm += v[i] * v[i];
    }
    for (int i = 0; i < DIM; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  static List<Photo> photos(String identity, int from, int to) {
    List<Photo> out = new ArrayList<>();
    for (int n = from; n < to; n++) {
      out.add(new Photo(identity, n));
    }
    return out;
  }

  Map<String, Object> run(String root, String runId, List<Photo> photos) {
    return run(root, runId, photos, PARAMS);
  }

  /** A run of the library step on these photos (one face each), with the given graph settings. */
  static Map<String, Object> run(String root, String runId, List<Photo> photos, GraphClustering.Params params) {
    List<Row> images = new ArrayList<>();
    List<Row> faces = new ArrayList<>();
    for (Photo p : photos) {
      images.add(RowFactory.create(p.path(), "h-" + p.identity() + "-" + p.n(), "ok", 1));
      float[] e = embedding(p);
      Float[] boxed = new Float[e.length];
      for (int i = 0; i < e.length; i++) {
        boxed[i] = e[i];
      }
      faces.add(RowFactory.create(p.faceId(), p.path(), List.of(1f, 2f, 101f, 102f), List.of(0f, 0f, 0f, 0f, 0f, 0f,
          0f, 0f, 0f, 0f), 0.99f, List.of(boxed), null));
    }
    try (LibraryRun lib = LibraryRun.open(spark, root, runId, "synthetic", "sha-synthetic")) {
      lib.update(spark.createDataFrame(images, IMAGES), spark.createDataFrame(faces, FACES), params);
      return lib.commit();
    }
  }

  /** face_id -> person_id (or reason) of every library face. */
  Map<String, String> persons(String root) {
    return spark.read().format("delta").load(root + "/" + LibrarySchemas.FACES).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(r.fieldIndex("face_id")),
            r -> r.isNullAt(r.fieldIndex("person_id")) ? "(" + r.getString(r.fieldIndex("reason")) + ")"
                : r.getString(r.fieldIndex("person_id")), (a, b) -> a, TreeMap::new));
  }

  @Test
  void personsLastAcrossRunsAndLeftoversArePooled() {
    String root = tmp.resolve("lib").toString();
    List<Photo> day1 = new ArrayList<>(photos("ann", 0, 4));
    day1.addAll(photos("bob", 0, 3));
    day1.addAll(photos("cid", 0, 1));
    Map<String, Object> r1 = run(root, "day1", day1);
    Map<String, String> after1 = persons(root);
    String ann = after1.get("f-ann-0");
    String bob = after1.get("f-bob-0");
    assertThat(ann).as("ann's person id: p- and sha256 of her smallest face_id")
        .isEqualTo("p-" + sha256("f-ann-0").substring(0, 16));
    assertThat(after1).as("day 1").containsEntry("f-ann-3", ann).containsEntry("f-bob-2", bob)
        .containsEntry("f-cid-0", "(no_match)").hasSize(8);
    assertThat(r1).as("day 1 counts").containsEntry("faces_added", 8L).containsEntry("new_persons", 2L)
        .containsEntry("joined_existing", 0L).containsEntry("unassigned", 1L).containsEntry("seq", 1L);

    List<Photo> day2 = new ArrayList<>(photos("ann", 4, 6));
    day2.addAll(photos("cid", 1, 2));
    day2.addAll(photos("dee", 0, 3));
    Map<String, Object> r2 = run(root, "day2", day2);
    Map<String, String> after2 = persons(root);
    String cid = after2.get("f-cid-0");
    assertThat(after2).as("day 2: ann's new faces join her, cid's two faces (one from day 1) become a person")
        .containsEntry("f-ann-0", ann).containsEntry("f-ann-4", ann).containsEntry("f-ann-5", ann)
        .containsEntry("f-bob-0", bob).containsEntry("f-cid-1", cid).containsEntry("f-dee-0", after2.get("f-dee-2"))
        .hasSize(14);
    assertThat(cid).isEqualTo("p-" + sha256("f-cid-0").substring(0, 16));
    assertThat(r2).as("day 2 counts").containsEntry("faces_added", 6L).containsEntry("joined_existing", 2L)
        .containsEntry("new_persons", 2L).containsEntry("faces_in_new_persons", 5L).containsEntry("unassigned", 0L)
        .containsEntry("library_persons", 4L).containsEntry("seq", 2L);
    List<Row> people = spark.read().format("delta").load(root + "/" + LibrarySchemas.PERSONS)
        .orderBy("person_id").collectAsList();
    assertThat(people).extracting(r -> r.getString(0) + " " + r.getLong(1) + " " + r.getString(3) + " "
            + r.getString(4)).as("persons: face_count, created_run, updated_run")
        .containsExactlyInAnyOrder(ann + " 6 day1 day2", bob + " 3 day1 day1", cid + " 2 day2 day2",
            after2.get("f-dee-0") + " 3 day2 day2");

    // The last run again, same id: the library of an uninterrupted run, no duplicates.
    Map<String, Object> again = run(root, "day2", day2);
    assertThat(persons(root)).as("after rerunning day2").isEqualTo(after2);
    assertThat(again).containsEntry("seq", 2L).containsEntry("faces_added", 6L);
    assertThat(spark.read().format("delta").load(root + "/" + LibrarySchemas.RUNS).count()).isEqualTo(2L);
    assertThatThrownBy(() -> run(root, "day1", day1)).as("an older run id")
        .isInstanceOf(LibraryException.class).hasMessageContaining("only the last run can be run again");

    // Another embedder is refused before anything is written; a stale lock of another run id needs the unlock.
    assertThatThrownBy(() -> LibraryRun.open(spark, root, "day3", "other-model", "sha-other"))
        .isInstanceOf(LibraryException.class).hasMessageContaining("holds embeddings of 'synthetic'");
    LibraryLock.acquire(spark.sparkContext().hadoopConfiguration(), root, "ghost");
    assertThatThrownBy(() -> LibraryRun.open(spark, root, "day3", "synthetic", "sha-synthetic"))
        .isInstanceOf(LibraryLockedException.class).hasMessageContaining("ghost");
    LibraryRun.open(spark, root, "day3", "synthetic", "sha-synthetic", true).close();
    assertThat(LibraryLock.holder(spark.sparkContext().hadoopConfiguration(), root)).as("lock after unlock + close")
        .isEmpty();
    assertThat(persons(root)).as("nothing changed by the refusals").isEqualTo(after2);

    // Recluster with the same settings: the same four persons, every id carried over.
    Map<String, Object> same = Recluster.run(spark, root, "re1", PARAMS, false);
    assertThat(persons(root)).as("after a recluster with the same settings").isEqualTo(after2);
    assertThat(same).as("recluster counts").containsEntry("persons_kept", 4L).containsEntry("persons_merged", 0L)
        .containsEntry("persons_split", 0L).containsEntry("new_persons", 0L).containsEntry("seq", 3L);
    // Recluster linking every pair (threshold -1, all pairs): one cluster; it takes the id most of its faces
    // held (ann's, 6 of 14 faces), the three others are recorded as merged into it.
    Map<String, Object> one = Recluster.run(spark, root, "re2",
        GraphClustering.Params.of(-1, 0, false, 2), false);
    assertThat(persons(root).values()).as("every face in ann's person").containsOnly(ann);
    assertThat(one).containsEntry("persons_kept", 1L).containsEntry("persons_merged", 3L)
        .containsEntry("new_persons", 0L);
    assertThat(sql("SELECT person_id, face_count, merged_into FROM delta.`%s/%s`", root, LibrarySchemas.PERSONS))
        .as("persons after the merge").containsExactlyInAnyOrder(row(ann, 14L, null), row(bob, 0L, ann),
            row(cid, 0L, ann), row(after2.get("f-dee-0"), 0L, ann));
  }

  /** The same two days on s3a:// (S3Proxy 4.1.0, the deployed S3A settings): the same persons and counts. */
  @Test
  void onS3aTheSameDaysGiveTheSamePersons() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createDirectories(tmp.resolve("s3"));
    try (io.facecluster.io.S3ProxyServer s3 = io.facecluster.io.S3ProxyServer.start(dir, "lib")) {
      org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
      io.facecluster.io.S3ProxyServer.configureBucket(conf, "lib", s3.port());
      io.facecluster.io.S3ProxyServer.applySparkDefaults(conf, "lib");
      String root = "s3a://lib/people";
      List<Photo> day1 = new ArrayList<>(photos("ann", 0, 4));
      day1.addAll(photos("cid", 0, 1));
      List<Photo> day2 = new ArrayList<>(photos("ann", 4, 6));
      day2.addAll(photos("cid", 1, 2));
      run(root, "day1", day1);
      Map<String, Object> r2 = run(root, "day2", day2);
      String ann = "p-" + sha256("f-ann-0").substring(0, 16);
      String cid = "p-" + sha256("f-cid-0").substring(0, 16);
      assertThat(persons(root)).as("s3a library after two days")
          .containsEntry("f-ann-5", ann).containsEntry("f-cid-0", cid).containsEntry("f-cid-1", cid).hasSize(8);
      assertThat(r2).containsEntry("joined_existing", 2L).containsEntry("new_persons", 1L).containsEntry("seq", 2L);
      assertThat(s3.keys("lib", "people/")).as("objects under the library: no lock left")
          .noneMatch(k -> k.contains(LibraryLock.NAME))
          .anyMatch(k -> k.startsWith("people/" + LibrarySchemas.RUNS + "/_delta_log/00000000000000000001.json"));
    }
  }

  static String sha256(String s) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
