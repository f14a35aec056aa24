package io.facecluster.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * kNN of one set of faces (queries: a run's new faces) in another (base: the person library), never all pairs
 * over both: the library's faces are not compared with each other again. Exact by blocks (every query block
 * against every base block) up to `exactLimit` base faces, else an inverted file ({@link IvfKnn}) trained on the
 * base: base faces are stored in their nearest cell, queries visit their `probes` nearest cells. Faces of one
 * photo are never neighbours (when both sets have a path column), as in the graph clustering.
 */
public final class CrossKnn {
  public static final StructType LINKS = DataTypes.createStructType(List.of(
      DataTypes.createStructField("face_id", DataTypes.StringType, false),
      DataTypes.createStructField("neighbour_id", DataTypes.StringType, false),
      DataTypes.createStructField("sim", DataTypes.FloatType, false)));

  private CrossKnn() {}

  /**
   * Each query's best `k` base faces with cosine >= threshold, as rows face_id (query), neighbour_id (base face),
   * sim. Both inputs have face_id, embedding (unit vectors) and optionally path. The search used goes to stats.
   */
  public static Dataset<Row> search(Dataset<Row> queries, Dataset<Row> base, int k, float threshold,
      KnnSearch.Params p, Map<String, Object> stats) {
    JavaRDD<Row> q = select(queries).javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<Row> b = select(base).javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<FaceVector> qv = q.map(CrossKnn::vector);
    JavaRDD<FaceVector> bv = b.map(CrossKnn::vector).persist(StorageLevel.MEMORY_AND_DISK_SER());
    long queryCount = qv.count();
    long baseCount = bv.count();
    stats.put("queries", queryCount);
    stats.put("base", baseCount);
    JavaPairRDD<Long, Neighbours> lists;
    KnnSearch.Mode mode = KnnSearch.choose(p, baseCount);
    stats.put("knn_search", mode.name().toLowerCase(java.util.Locale.ROOT));
    if (queryCount == 0 || baseCount == 0) {
      lists = JavaPairRDD.fromJavaRDD(JavaSparkContext.fromSparkContext(q.context()).emptyRDD());
    } else if (mode == KnnSearch.Mode.EXACT) {
      lists = exact(qv, bv, queryCount, baseCount, p.blockSize(), k, threshold);
    } else {
      long t0 = System.nanoTime();
      IvfKnn.Index index = IvfKnn.train(bv, baseCount, p.ivf());
      stats.put("ivf_cells", index.cells());
      stats.put("ivf_train_ms", (System.nanoTime() - t0) / 1_000_000);
      lists = ivf(qv, bv, index, p.ivf().probes(), k, threshold);
    }
    // Vertex ids back to face_ids: both sides' (id, face_id) pairs, joined twice.
    JavaPairRDD<Long, String> qIds = q.mapToPair(r -> new Tuple2<>(VertexIds.of(r.getString(0)), r.getString(0)));
    JavaPairRDD<Long, String> bIds = b.mapToPair(r -> new Tuple2<>(VertexIds.of(r.getString(0)), r.getString(0)));
    JavaRDD<Row> links = lists.join(qIds)
        .flatMapToPair(t -> {
          List<Tuple2<Long, Tuple2<String, Float>>> out = new ArrayList<>();
          Neighbours n = t._2()._1();
          for (int i = 0; i < n.size(); i++) {
            out.add(new Tuple2<>(n.id(i), new Tuple2<>(t._2()._2(), n.sim(i))));
          }
          return out.iterator();
        })
        .join(bIds)
        .map(t -> RowFactory.create(t._2()._1()._1(), t._2()._2(), t._2()._1()._2()));
    Dataset<Row> out = queries.sparkSession().createDataFrame(links, LINKS).persist(StorageLevel.MEMORY_AND_DISK());
    stats.put("links", out.count());
    q.unpersist(false);
    b.unpersist(false);
    bv.unpersist(false);
    return out;
  }

  private static Dataset<Row> select(Dataset<Row> faces) {
    boolean hasPath = Arrays.asList(faces.columns()).contains("path");
    return hasPath ? faces.select("face_id", "embedding", "path") : faces.select("face_id", "embedding");
  }

  private static FaceVector vector(Row r) {
    long id = VertexIds.of(r.getString(0));
    return new FaceVector(id, r.size() > 2 ? GraphClustering.key64(r.getString(2)) : ~id,
        GraphClustering.toFloats(r.getList(1)));
  }

  /** Every query block against every base block: queries x base dot products. */
  static JavaPairRDD<Long, Neighbours> exact(JavaRDD<FaceVector> queries, JavaRDD<FaceVector> base, long queryCount,
      long baseCount, int blockSize, int k, float threshold) {
    JavaRDD<VectorBlock> qb = ExactKnn.blocks(queries, queryCount, blockSize).map(Tuple2::_2);
    JavaRDD<VectorBlock> bb = ExactKnn.blocks(base, baseCount, blockSize).map(Tuple2::_2);
    return qb.cartesian(bb)
        .flatMapToPair(p -> {
          List<Tuple2<Long, Neighbours>> out = new ArrayList<>();
          ExactKnn.emit(p._1(), p._2(), k, threshold, out);
          return out.iterator();
        })
        .reduceByKey(Neighbours::merge);
  }

  /** Base faces in their nearest cell, queries in their `probes` nearest cells; exact search inside a cell. */
  static JavaPairRDD<Long, Neighbours> ivf(JavaRDD<FaceVector> queries, JavaRDD<FaceVector> base,
      IvfKnn.Index index, int probes, int k, float threshold) {
    Broadcast<IvfKnn.Index> cells = JavaSparkContext.fromSparkContext(base.context()).broadcast(index);
    int partitions = Math.max(base.getNumPartitions(), (index.cells + 3) / 4);
    HashPartitioner byCell = new HashPartitioner(partitions);
    JavaPairRDD<Integer, FaceVector> stored = base.mapToPair(f -> new Tuple2<>(cells.value().nearest(f.vector, 1)[0], f));
    JavaPairRDD<Integer, FaceVector> visiting = queries.flatMapToPair(f -> {
      int[] near = cells.value().nearest(f.vector, probes);
      List<Tuple2<Integer, FaceVector>> out = new ArrayList<>(near.length);
      for (int c : near) {
        out.add(new Tuple2<>(c, f));
      }
      return out.iterator();
    });
    return visiting.cogroup(stored, byCell)
        .flatMapToPair(cell -> {
          List<FaceVector> qs = new ArrayList<>();
          cell._2()._1().forEach(qs::add);
          List<Tuple2<Long, Neighbours>> out = new ArrayList<>();
          if (qs.isEmpty()) {
            return out.iterator();
          }
          List<FaceVector> bs = new ArrayList<>();
          cell._2()._2().forEach(bs::add);
          ExactKnn.emit(VectorBlock.of(qs), VectorBlock.of(bs), k, threshold, out);
          return out.iterator();
        })
        .reduceByKey(Neighbours::merge);
  }
}
