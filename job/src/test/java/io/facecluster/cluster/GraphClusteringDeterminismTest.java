package io.facecluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.facecluster.eval.SyntheticFaces;
import io.facecluster.udfs.SparkTestBase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * Graph cluster ids come from the faces' content: 400 synthetic faces shaped like MobileFaceNet's LFW
 * embeddings (a few pairs of faces share a photo, so cannot-link and splitting take part) give the same
 * (face_id, cluster_id) rows in any row order and partitioning, with exact and IVF search, and when every cached
 * block is dropped after each job, so that Spark recomputes from lineage an input whose rows come back in
 * another order each time (as a recomputed shuffle may deliver them).
 */
class GraphClusteringDeterminismTest extends SparkTestBase {
  private static final StructType FACES = DataTypes.createStructType(List.of(
      DataTypes.createStructField("face_id", DataTypes.StringType, false),
      DataTypes.createStructField("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false),
      DataTypes.createStructField("path", DataTypes.StringType, false)));
  /** How often the order-flipping input computed a partition (static: local mode runs tasks in this JVM). */
  private static final AtomicInteger EVALUATIONS = new AtomicInteger();

  static List<Row> rows;
  /** The exact search's labels of the rows in their generated order, 2 partitions: the reference. */
  static Map<String, Long> reference;

  @BeforeAll
  static void faces() {
    int[] sizes = SyntheticFaces.identitySizes(400, 2.0, 1, 30, 7);
    rows = new ArrayList<>();
    for (Tuple2<FaceVector, Integer> t : SyntheticFaces.generate(jsc(), SyntheticFaces.Params.paddlexLfw(), sizes,
        11, 2).collect()) {
      List<Float> v = new ArrayList<>();
      for (float x : t._1().vector()) {
        v.add(x);
      }
      long id = t._1().id();
      // Every 20th face shares its photo with the next one: a few cannot-link pairs, some components split.
      long photo = id % 20 == 1 ? id - 1 : id;
      rows.add(RowFactory.create("face-" + id, v, "person-" + t._2() + "/photo-" + photo + ".jpg"));
    }
    reference = labels(inOrder(2), KnnSearch.Mode.EXACT);
  }

  private static GraphClustering.Params params(KnnSearch.Mode mode) {
    // The embedder's calibrated cluster threshold (models/mobilefacenet-paddlex.json), the run's defaults.
    return GraphClustering.Params.of(0.456, 10, true, 2).withOneWayMargin(0.15)
        .withSearch(KnnSearch.Params.defaults().withMode(mode).withBlockSize(150)
            .withIvf(new IvfKnn.Params(100, 2, 300_000, 8, 42)));
  }

  private static Map<String, Long> labels(Dataset<Row> faces, KnnSearch.Mode mode) {
    Map<String, Long> out = new TreeMap<>();
    for (Row r : GraphClustering.run(faces, params(mode)).clusters().collectAsList()) {
      assertThat(out.put(r.getString(0), r.getLong(1))).as("second row for %s", r.getString(0)).isNull();
    }
    return out;
  }

  private static Dataset<Row> inOrder(int partitions) {
    return spark.createDataFrame(rows, FACES).repartition(partitions);
  }

  private static Dataset<Row> reversed(int partitions) {
    List<Row> copy = new ArrayList<>(rows);
    Collections.reverse(copy);
    return spark.createDataFrame(copy, FACES).repartition(partitions);
  }

  @Test
  void sameFacesInAnotherOrderAndPartitioningGetTheSameClusterIds() {
    assertThat(reference).as("one row per face").hasSize(rows.size());
    assertThat(reference.values().stream().filter(c -> c >= 0).distinct().count()).as("clusters")
        .isBetween(10L, 200L);
    assertThat(reference.values().stream().filter(c -> c == GraphClustering.NOISE).count()).as("noise faces")
        .isPositive();
    assertThat(labels(reversed(3), KnnSearch.Mode.EXACT)).as("labels of the reversed rows in 3 partitions")
        .isEqualTo(reference);
    Map<String, Long> ivf = labels(inOrder(2), KnnSearch.Mode.IVF);
    assertThat(ivf).as("one row per face (IVF)").hasSize(rows.size());
    assertThat(labels(reversed(3), KnnSearch.Mode.IVF)).as("IVF labels of the reversed rows in 3 partitions")
        .isEqualTo(ivf);
  }

  @Test
  void lostCachesAreRecomputedWithoutMislabellingFaces() {
    EVALUATIONS.set(0);
    // After the first evaluation, every other evaluation of the input returns each partition reversed.
    JavaRDD<Row> flipping = inOrder(2).javaRDD().mapPartitions(it -> {
      List<Row> part = new ArrayList<>();
      it.forEachRemaining(part::add);
      int n = EVALUATIONS.getAndIncrement();
      if (n >= 2 && (n / 2) % 2 == 1) {
        Collections.reverse(part);
      }
      return part.iterator();
    });
    DropCaches drop = new DropCaches();
    spark.sparkContext().addSparkListener(drop);
    Map<String, Long> disturbed;
    try {
      disturbed = labels(spark.createDataFrame(flipping, FACES), KnnSearch.Mode.EXACT);
    } finally {
      spark.sparkContext().removeSparkListener(drop);
    }
    assertThat(drop.dropped.get()).as("cached RDDs dropped during the clustering").isPositive();
    assertThat(EVALUATIONS.get()).as("input partitions computed (2 = no recomputation)").isGreaterThan(2);
    assertThat(disturbed).as("labels after lost caches").isEqualTo(reference);
  }

  /**
   * Removes the blocks of every persisted RDD at the end of the 2nd, 5th and 8th job: a lost executor's caches,
   * on purpose (after every job would recompute GraphX's iterations from scratch, for minutes).
   */
  static final class DropCaches extends SparkListener {
    final AtomicInteger jobs = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
      int job = jobs.incrementAndGet();
      if (job % 3 != 2 || job > 8) {
        return;
      }
      for (Integer id : jsc().getPersistentRDDs().keySet()) {
        SparkEnv.get().blockManager().master().removeRdd(id, true);
        dropped.incrementAndGet();
      }
    }
  }

  private static JavaSparkContext jsc() {
    return JavaSparkContext.fromSparkContext(spark.sparkContext());
  }
}
