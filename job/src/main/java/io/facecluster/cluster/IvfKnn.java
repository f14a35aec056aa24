package io.facecluster.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Approximate kNN for collections too large for exact search, as an inverted file: MLlib KMeans, trained on a
 * sample, cuts the unit sphere into cells of about `cellSize` faces; every face is stored in its nearest cell
 * and searched, as a query, in its `probes` nearest cells, exactly (matrix products inside a cell). Work grows
 * as faces x probes x cellSize (plus faces x cells for the assignment), near-linear when cells grow with the
 * collection. Faces of one identity sit close together, so their cells are the query's nearest; recall is
 * measured by the cluster benchmark (docs/benchmarks.md).
 */
public final class IvfKnn {
  /** The index's settings: faces per cell, cells probed per query, KMeans sample size and iterations. */
  public record Params(int cellSize, int probes, int trainSample, int trainIter, long seed) implements Serializable {
    public static Params defaults() {
      return new Params(1000, 12, 300_000, 8, 42);
    }
  }

  private IvfKnn() {}

  /** The trained cells: unit centroids, row-major. */
  public static final class Index implements Serializable {
    private static final long serialVersionUID = 1L;
    final float[] centroids;
    final int dim;
    final int cells;

    Index(float[] centroids, int dim) {
      this.centroids = centroids;
      this.dim = dim;
      this.cells = centroids.length / dim;
    }

    public int cells() {
      return cells;
    }

    /** The `n` cells most similar to v, nearest first. */
    int[] nearest(float[] v, int n) {
      Neighbours best = new Neighbours(Math.min(n, cells));
      float[] sims = new float[4];
      int c = 0;
      for (; c + 3 < cells; c += 4) {
        VectorBlock.dot4(v, 0, centroids, c * dim, dim, sims);
        for (int i = 0; i < 4; i++) {
          if (sims[i] > best.floor()) {
            best.offer(c + i, sims[i]);
          }
        }
      }
      for (; c < cells; c++) {
        float sim = VectorBlock.dot(v, 0, centroids, c * dim, dim);
        if (sim > best.floor()) {
          best.offer(c, sim);
        }
      }
      int[] out = new int[best.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = (int) best.id(i);
      }
      return out;
    }
  }

  /** A face in a cell: stored there (data) or only searched there (a query probing a further cell). */
  static final class Item implements Serializable {
    private static final long serialVersionUID = 1L;
    final FaceVector face;
    final boolean stored;

    Item(FaceVector face, boolean stored) {
      this.face = face;
      this.stored = stored;
    }
  }

  /** Trains the cells on a sample of the faces (about count / cellSize cells, at least 1). */
  public static Index train(JavaRDD<FaceVector> faces, long count, Params p) {
    int cells = (int) Math.max(1, Math.round((double) count / p.cellSize()));
    double fraction = Math.min(1.0, (double) Math.max(p.trainSample(), cells * 4L) / Math.max(1, count));
    JavaRDD<Vector> sample = faces.sample(false, fraction, p.seed()).map(f -> toDouble(f.vector));
    sample.persist(StorageLevel.MEMORY_AND_DISK());
    // Random initial centres: k-means|| with thousands of centres costs more than the iterations themselves.
    KMeansModel model = new KMeans().setK(cells).setMaxIterations(p.trainIter()).setInitializationMode("random")
        .setSeed(p.seed()).run(sample.rdd());
    sample.unpersist(false);
    Vector[] centres = model.clusterCenters();
    int dim = centres[0].size();
    float[] m = new float[centres.length * dim];
    for (int c = 0; c < centres.length; c++) {
      double norm = Vectors.norm(centres[c], 2);
      for (int d = 0; d < dim; d++) {
        m[c * dim + d] = (float) (centres[c].apply(d) / (norm == 0 ? 1 : norm));
      }
    }
    return new Index(m, dim);
  }

  /** Each face's best `k` neighbours with similarity >= threshold, searched in its `probes` nearest cells. */
  public static JavaPairRDD<Long, Neighbours> search(JavaRDD<FaceVector> faces, Index index, int probes, int k,
      float threshold) {
    Broadcast<Index> cells = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(faces.context())
        .broadcast(index);
    // A few cells per task: each cell is one small quadratic search, and tasks stay coarse enough for Spark.
    int partitions = Math.max(faces.getNumPartitions(), (index.cells + 3) / 4);
    return faces
        .flatMapToPair(f -> {
          int[] near = cells.value().nearest(f.vector, probes);
          List<Tuple2<Integer, Item>> out = new ArrayList<>(near.length);
          for (int i = 0; i < near.length; i++) {
            out.add(new Tuple2<>(near[i], new Item(f, i == 0)));
          }
          return out.iterator();
        })
        .groupByKey(new HashPartitioner(partitions))
        .flatMapToPair(cell -> {
          List<FaceVector> stored = new ArrayList<>();
          List<FaceVector> all = new ArrayList<>();
          for (Item item : cell._2()) {
            all.add(item.face);
            if (item.stored) {
              stored.add(item.face);
            }
          }
          List<Tuple2<Long, Neighbours>> out = new ArrayList<>();
          ExactKnn.emit(VectorBlock.of(all), VectorBlock.of(stored), k, threshold, out);
          return out.iterator();
        })
        .reduceByKey(Neighbours::merge);
  }

  /**
   * The best `k` faces (no threshold) for each of a few query faces, exactly (index null) or as the index finds
   * them (only faces stored in the query's `probes` nearest cells): what the benchmark's recall compares.
   * Queries are broadcast; each partition scans its faces once; one list per query reaches the driver per
   * partition.
   */
  public static List<Neighbours> topK(JavaRDD<FaceVector> faces, List<FaceVector> queries, Index index, int probes,
      int k) {
    org.apache.spark.api.java.JavaSparkContext jsc =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(faces.context());
    // cell -> the queries that probe it (one entry, cell -1, when the search is exact)
    Map<Integer, List<Integer>> byCell = new HashMap<>();
    for (int i = 0; i < queries.size(); i++) {
      int[] cells = index == null ? new int[] {-1} : index.nearest(queries.get(i).vector, probes);
      for (int c : cells) {
        byCell.computeIfAbsent(c, x -> new ArrayList<>()).add(i);
      }
    }
    Map<Integer, int[]> queryIdx = new HashMap<>();
    Map<Integer, VectorBlock> queryBlocks = new HashMap<>();
    byCell.forEach((c, list) -> {
      queryIdx.put(c, list.stream().mapToInt(Integer::intValue).toArray());
      queryBlocks.put(c, VectorBlock.of(list.stream().map(queries::get).toList()));
    });
    Broadcast<Map<Integer, int[]>> qi = jsc.broadcast(queryIdx);
    Broadcast<Map<Integer, VectorBlock>> qb = jsc.broadcast(queryBlocks);
    Broadcast<Index> ib = jsc.broadcast(index);
    int n = queries.size();
    List<Neighbours> merged = faces.mapPartitions(it -> {
      Neighbours[] best = new Neighbours[n];
      for (int i = 0; i < n; i++) {
        best[i] = new Neighbours(k);
      }
      List<FaceVector> chunk = new ArrayList<>();
      while (it.hasNext()) {
        chunk.add(it.next());
        if (chunk.size() == 4096 || !it.hasNext()) {
          searchChunk(chunk, ib.value(), qi.value(), qb.value(), best, k);
          chunk.clear();
        }
      }
      return List.of(best).iterator();
    }).collect();
    List<Neighbours> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Neighbours(k));
    }
    for (int i = 0; i < merged.size(); i++) {
      out.get(i % n).merge(merged.get(i));
    }
    return out;
  }

  private static void searchChunk(List<FaceVector> chunk, Index idx, Map<Integer, int[]> queryIdx,
      Map<Integer, VectorBlock> queryBlocks, Neighbours[] best, int k) {
    Map<Integer, List<FaceVector>> byCell = new HashMap<>();
    for (FaceVector f : chunk) {
      int cell = idx == null ? -1 : idx.nearest(f.vector, 1)[0];
      if (queryIdx.containsKey(cell)) {
        byCell.computeIfAbsent(cell, x -> new ArrayList<>()).add(f);
      }
    }
    byCell.forEach((cell, rows) -> {
      int[] which = queryIdx.get(cell);
      Neighbours[] part = new Neighbours[which.length];
      for (int i = 0; i < which.length; i++) {
        part[i] = new Neighbours(k);
      }
      VectorBlock.search(queryBlocks.get(cell), VectorBlock.of(rows), Float.NEGATIVE_INFINITY, part);
      for (int i = 0; i < which.length; i++) {
        best[which[i]].merge(part[i]);
      }
    });
  }

  private static Vector toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return Vectors.dense(d);
  }
}
