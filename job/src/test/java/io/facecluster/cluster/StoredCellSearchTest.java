package io.facecluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.udfs.SparkTestBase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library's search in a stored index: each query's links must be exactly its best k library faces (cosine >=
 * threshold, not of its photo) among those stored in its `probes` nearest cells, worked out here by brute force
 * on the driver, for both ways of running it (queries broadcast, or shuffled with the library by cell).
 */
class StoredCellSearchTest extends SparkTestBase {
  static final int DIM = 128;
  static final int PROBES = 4;
  static final int K = 5;
  static final float THRESHOLD = 0.5f;
  static final StructType BASE = DataTypes.createStructType(List.of(
      DataTypes.createStructField("face_id", DataTypes.StringType, false),
      DataTypes.createStructField("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false),
      DataTypes.createStructField("path", DataTypes.StringType, false),
      DataTypes.createStructField("person_id", DataTypes.StringType, true),
      DataTypes.createStructField("cell", DataTypes.IntegerType, true)));
  static final StructType QUERIES = DataTypes.createStructType(List.of(
      DataTypes.createStructField("face_id", DataTypes.StringType, false),
      DataTypes.createStructField("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false),
      DataTypes.createStructField("path", DataTypes.StringType, false)));

  record Face(String id, String path, String person, float[] v) {}

  static final List<Face> base = new ArrayList<>();
  static final List<Face> queries = new ArrayList<>();
  static IvfKnn.Index index;
  static final Map<String, Integer> cellOf = new TreeMap<>();

  @BeforeAll
  static void faces() {
    // 60 identities: 40 faces each in the library (even identities hold a person, odd ones are unassigned),
    // 3 more of each as queries, the first ten of them in a library face's photo (never its neighbour).
    for (int i = 0; i < 60; i++) {
      for (int n = 0; n < 43; n++) {
        String id = "f-" + i + "-" + n;
        Face f = new Face(id, "/p/" + id + ".jpg", i % 2 == 0 ? "p-" + i : null, unit(i, id));
        (n < 40 ? base : queries).add(f);
      }
    }
    for (int q = 0; q < 10; q++) {
      Face f = queries.get(q);
      queries.set(q, new Face(f.id(), base.get(q * 40).path(), null, f.v()));
    }
    List<FaceVector> vectors = new ArrayList<>();
    for (Face f : base) {
      vectors.add(new FaceVector(GraphClustering.key64(f.id()), 0, f.v()));
    }
    index = IvfKnn.train(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(vectors, 3),
        vectors.size(), new IvfKnn.Params(100, 8, 300_000, 8, 42));
    for (Face f : base) {
      cellOf.put(f.id(), index.nearest(f.v(), 1)[0]);
    }
  }

  static float[] unit(int identity, String id) {
    Random centre = new Random(identity * 7919L);
    Random noise = new Random(id.hashCode());
    float[] v = new float[DIM];
    double norm = 0;
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) (centre.nextGaussian() + 0.6 * noise.nextGaussian());
      norm += v[d] * v[d];
    }
    for (int d = 0; d < DIM; d++) {
      v[d] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  @Test
  void broadcastAndShuffledSearchesFindTheBestFacesOfTheProbedCells() {
    Map<String, List<Object[]>> expected = bruteForce();
    assertThat(index.cells()).as("cells of 100 faces for 2,400 library faces").isEqualTo(24);
    assertThat(expected.values().stream().mapToInt(List::size).sum()).as("links the fixture holds")
        .isBetween(queries.size() * 3, queries.size() * K);
    for (long limit : new long[] {StoredCellSearch.BROADCAST_LIMIT, 0}) {
      Map<String, Object> stats = new LinkedHashMap<>();
      List<Row> links = StoredCellSearch.search(queriesDf(), baseDf(), index, PROBES, K, THRESHOLD, limit, stats)
          .collectAsList();
      Map<String, List<Object[]>> actual = new TreeMap<>();
      for (Row r : links) {
        actual.computeIfAbsent(r.getString(0), x -> new ArrayList<>())
            .add(new Object[] {r.getString(1), r.isNullAt(2) ? null : r.getString(2), r.getFloat(3)});
      }
      actual.values().forEach(l -> l.sort(Comparator.comparing(o -> -(float) o[2])));
      assertThat(actual.keySet()).as("queries with links, broadcast limit %d", limit).isEqualTo(expected.keySet());
      for (String q : expected.keySet()) {
        List<Object[]> e = expected.get(q);
        List<Object[]> a = actual.get(q);
        assertThat(a.stream().map(o -> o[0] + "/" + o[1]).toList()).as("neighbours and persons of %s", q)
            .isEqualTo(e.stream().map(o -> o[0] + "/" + o[1]).toList());
        for (int i = 0; i < e.size(); i++) {
          assertThat((float) a.get(i)[2]).as("cosine %s-%s", q, e.get(i)[0])
              .isCloseTo((float) e.get(i)[2], org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
      assertThat(stats).containsEntry("knn_search", "stored_ivf").containsEntry("queries", (long) queries.size());
    }
  }

  /** Per query: its best K library faces (face_id, person, cosine) in its probed cells, most similar first. */
  private static Map<String, List<Object[]>> bruteForce() {
    Map<String, List<Object[]>> out = new TreeMap<>();
    for (Face q : queries) {
      List<Integer> probed = new ArrayList<>();
      for (int c : index.nearest(q.v(), PROBES)) {
        probed.add(c);
      }
      List<Object[]> found = new ArrayList<>();
      for (Face b : base) {
        float sim = 0;
        for (int d = 0; d < DIM; d++) {
          sim += q.v()[d] * b.v()[d];
        }
        // The float sums of two kernels differ in the last bits: the fixture keeps clear of the threshold.
        assertThat(Math.abs(sim - THRESHOLD)).as("fixture: %s-%s near the threshold", q.id(), b.id()).isGreaterThan(1e-4f);
        if (sim >= THRESHOLD && probed.contains(cellOf.get(b.id())) && !b.path().equals(q.path())) {
          found.add(new Object[] {b.id(), b.person(), sim});
        }
      }
      found.sort(Comparator.<Object[]>comparingDouble(o -> -(float) o[2]).thenComparing(o -> (String) o[0]));
      if (!found.isEmpty()) {
        out.put(q.id(), new ArrayList<>(found.subList(0, Math.min(K, found.size()))));
      }
    }
    return out;
  }

  private static Dataset<Row> baseDf() {
    List<Row> rows = new ArrayList<>();
    for (Face f : base) {
      rows.add(RowFactory.create(f.id(), boxed(f.v()), f.path(), f.person(), cellOf.get(f.id())));
    }
    return spark.createDataFrame(rows, BASE).repartition(3);
  }

  private static Dataset<Row> queriesDf() {
    List<Row> rows = new ArrayList<>();
    for (Face f : queries) {
      rows.add(RowFactory.create(f.id(), boxed(f.v()), f.path()));
    }
    return spark.createDataFrame(rows, QUERIES);
  }

  private static List<Float> boxed(float[] v) {
    List<Float> out = new ArrayList<>(v.length);
    for (float x : v) {
      out.add(x);
    }
    return out;
  }
}
