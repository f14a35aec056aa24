package io.facecluster.cluster;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * kNN of a run's new faces (queries) in a person library whose faces carry their cell of a stored IVF index
 * (docs/library.md, "The stored index"): nothing is trained and no library face is assigned again; a query
 * visits its `probes` nearest cells and meets the library faces stored there. Exactly the search an
 * {@link IvfKnn} index would make for these queries (library faces are not queries, so nothing is offered back).
 *
 * <p>Up to `broadcastLimit` queries (the daily case) are broadcast with the cells they probe, and each library
 * partition is scanned where it lies: the library is read once and never shuffled, and only the probed cells are
 * read (files written sorted by cell skip the rest by their statistics). More queries than that (a first run of
 * millions into an indexed library) are shuffled with the library by cell instead.
 */
public final class StoredCellSearch {
  /** The links: query face, library face, that face's person (null: unassigned), cosine. */
  public static final StructType LINKS = DataTypes.createStructType(List.of(
      DataTypes.createStructField("face_id", DataTypes.StringType, false),
      DataTypes.createStructField("neighbour_id", DataTypes.StringType, false),
      DataTypes.createStructField("person_id", DataTypes.StringType, true),
      DataTypes.createStructField("sim", DataTypes.FloatType, false)));
  /** Queries kept on the driver and broadcast: 50,000 x 512 floats is 100 MB, the most worth sending. */
  public static final long BROADCAST_LIMIT = 50_000;
  /** Library faces buffered per cell before a partition's scan searches them. */
  private static final int CHUNK = 16_384;

  private StoredCellSearch() {}

  /** A query face and the cells it probes. A plain class: Spark's Kryo cannot build records. */
  static final class Probe implements Serializable {
    private static final long serialVersionUID = 1L;
    final String faceId;
    final long photo;
    final float[] vector;
    final int[] cells;

    Probe(String faceId, long photo, float[] vector, int[] cells) {
      this.faceId = faceId;
      this.photo = photo;
      this.vector = vector;
      this.cells = cells;
    }
  }

  /** A library face as the search needs it. */
  static final class Stored implements Serializable {
    private static final long serialVersionUID = 1L;
    final String faceId;
    final String personId;
    final long photo;
    final float[] vector;

    Stored(String faceId, String personId, long photo, float[] vector) {
      this.faceId = faceId;
      this.personId = personId;
      this.photo = photo;
      this.vector = vector;
    }
  }

  /** The broadcast queries, and for every cell the queries that probe it (null: none). */
  static final class Queries implements Serializable {
    private static final long serialVersionUID = 1L;
    final List<Probe> probes;
    final int[][] byCell;

    Queries(List<Probe> probes, int cells) {
      this.probes = probes;
      List<List<Integer>> lists = new ArrayList<>();
      for (int c = 0; c < cells; c++) {
        lists.add(null);
      }
      for (int i = 0; i < probes.size(); i++) {
        for (int c : probes.get(i).cells) {
          if (lists.get(c) == null) {
            lists.set(c, new ArrayList<>());
          }
          lists.get(c).add(i);
        }
      }
      byCell = new int[cells][];
      for (int c = 0; c < cells; c++) {
        byCell[c] = lists.get(c) == null ? null : lists.get(c).stream().mapToInt(Integer::intValue).toArray();
      }
    }
  }

  /**
   * Each query's best `k` library faces with cosine >= threshold among those stored in its `probes` nearest
   * cells, as {@link #LINKS} rows (at most k per query; equal cosines: the smaller neighbour_id first).
   *
   * @param queries face_id, embedding and optionally path (faces of one photo are never neighbours)
   * @param base face_id, embedding, path, person_id, cell (not null) of the library faces to search
   */
  public static Dataset<Row> search(Dataset<Row> queries, Dataset<Row> base, IvfKnn.Index index, int probes,
      int k, float threshold, long broadcastLimit, Map<String, Object> stats) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(queries.sparkSession().sparkContext());
    Broadcast<IvfKnn.Index> cells = jsc.broadcast(index);
    boolean hasPath = Arrays.asList(queries.columns()).contains("path");
    JavaRDD<Probe> probing = (hasPath ? queries.select("face_id", "embedding", "path")
        : queries.select("face_id", "embedding")).javaRDD().map(r -> {
          float[] v = GraphClustering.toFloats(r.getList(1));
          long photo = r.size() > 2 ? GraphClustering.key64(r.getString(2)) : GraphClustering.key64(r.getString(0));
          return new Probe(r.getString(0), photo, v, cells.value().nearest(v, probes));
        });
    Dataset<Row> lib = base.select("face_id", "embedding", "path", "person_id", "cell");
    long n = queries.count();
    stats.put("queries", n);
    stats.put("knn_search", "stored_ivf");
    stats.put("ivf_cells", index.cells());
    stats.put("ivf_probes", probes);
    JavaRDD<Row> found;
    if (n <= broadcastLimit) {
      List<Probe> list = new ArrayList<>(probing.collect());
      list.sort(Comparator.comparing(p -> p.faceId));
      TreeSet<Integer> probed = new TreeSet<>();
      list.forEach(p -> Arrays.stream(p.cells).forEach(probed::add));
      stats.put("cells_probed", probed.size());
      if (probed.size() < index.cells()) {
        lib = lib.filter(col("cell").isin(probed.toArray()));
      }
      Broadcast<Queries> qs = jsc.broadcast(new Queries(list, index.cells()));
      found = lib.javaRDD().mapPartitions(it -> scan(it, qs.value(), k, threshold));
    } else {
      int partitions = Math.max(lib.rdd().getNumPartitions(), (index.cells() + 3) / 4);
      JavaPairRDD<Integer, Probe> visiting = probing.flatMapToPair(p -> {
        List<Tuple2<Integer, Probe>> out = new ArrayList<>(p.cells.length);
        for (int c : p.cells) {
          out.add(new Tuple2<>(c, p));
        }
        return out.iterator();
      });
      JavaPairRDD<Integer, Stored> stored = lib.javaRDD().mapToPair(r -> new Tuple2<>(cellOf(r), stored(r)));
      found = visiting.cogroup(stored, new HashPartitioner(partitions)).flatMap(cell -> {
        List<Probe> qs = new ArrayList<>();
        cell._2()._1().forEach(qs::add);
        List<Row> out = new ArrayList<>();
        if (!qs.isEmpty()) {
          List<Stored> bs = new ArrayList<>();
          cell._2()._2().forEach(bs::add);
          searchGroup(qs, bs, k, threshold, out);
        }
        return out.iterator();
      });
    }
    // Partial lists (one per cell and chunk) cut to each query's best k, in one order for any partitioning.
    return queries.sparkSession().createDataFrame(found, LINKS)
        .withColumn("rank", row_number().over(Window.partitionBy("face_id")
            .orderBy(col("sim").desc(), col("neighbour_id"))))
        .filter(col("rank").leq(k)).drop("rank");
  }

  /** One partition of the library against the broadcast queries, a chunk of faces at a time, cell by cell. */
  private static Iterator<Row> scan(Iterator<Row> rows, Queries qs, int k, float threshold) {
    List<Row> out = new ArrayList<>();
    Map<Integer, List<Stored>> byCell = new HashMap<>();
    int buffered = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      int cell = cellOf(r);
      if (cell >= qs.byCell.length || qs.byCell[cell] == null) {
        continue;
      }
      byCell.computeIfAbsent(cell, c -> new ArrayList<>()).add(stored(r));
      if (++buffered == CHUNK) {
        flush(byCell, qs, k, threshold, out);
        buffered = 0;
      }
    }
    flush(byCell, qs, k, threshold, out);
    return out.iterator();
  }

  private static void flush(Map<Integer, List<Stored>> byCell, Queries qs, int k, float threshold, List<Row> out) {
    for (Map.Entry<Integer, List<Stored>> e : byCell.entrySet()) {
      List<Probe> group = new ArrayList<>();
      for (int q : qs.byCell[e.getKey()]) {
        group.add(qs.probes.get(q));
      }
      searchGroup(group, e.getValue(), k, threshold, out);
    }
    byCell.clear();
  }

  /** Queries against library faces of one cell: each query's best k, as LINKS rows. */
  static void searchGroup(List<Probe> queries, List<Stored> faces, int k, float threshold, List<Row> out) {
    // Sorted by face_id, so that the block index breaks equal cosines the way the final ranking does.
    faces.sort(Comparator.comparing(f -> f.faceId));
    List<FaceVector> q = new ArrayList<>(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      q.add(new FaceVector(-1L - i, queries.get(i).photo, queries.get(i).vector));
    }
    List<FaceVector> b = new ArrayList<>(faces.size());
    for (int i = 0; i < faces.size(); i++) {
      b.add(new FaceVector(i, faces.get(i).photo, faces.get(i).vector));
    }
    Neighbours[] best = Neighbours.lists(q.size(), k);
    VectorBlock.search(VectorBlock.of(q), VectorBlock.of(b), threshold, best);
    for (int i = 0; i < best.length; i++) {
      for (int j = 0; j < best[i].size(); j++) {
        Stored f = faces.get((int) best[i].id(j));
        out.add(RowFactory.create(queries.get(i).faceId, f.faceId, f.personId, best[i].sim(j)));
      }
    }
  }

  private static int cellOf(Row r) {
    if (r.isNullAt(4)) {
      throw new IllegalStateException("library face " + r.getString(0) + " has no cell although the library has an "
          + "index: a run wrote it without one");
    }
    return r.getInt(4);
  }

  private static Stored stored(Row r) {
    return new Stored(r.getString(0), r.isNullAt(3) ? null : r.getString(3), GraphClustering.key64(r.getString(2)),
        GraphClustering.toFloats(r.getList(1)));
  }
}
