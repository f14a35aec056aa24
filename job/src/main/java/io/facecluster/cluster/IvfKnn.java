package io.facecluster.cluster;

import io.facecluster.faults.InjectedFaults;
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
      return new Params(1000, 16, 300_000, 8, 42);
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

    /** An index from stored unit centroids (row-major, `dim` floats each): the person library's. */
    public static Index of(float[] centroids, int dim) {
      return new Index(centroids.clone(), dim);
    }

    public int cells() {
      return cells;
    }

    public int dim() {
      return dim;
    }

    /** Cell c's unit centroid (a copy). */
    public float[] centroid(int c) {
      return java.util.Arrays.copyOfRange(centroids, c * dim, (c + 1) * dim);
    }

    /** The `n` cells most similar to v, nearest first. */
    public int[] nearest(float[] v, int n) {
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
    // The sample is chosen by a hash of each face's id, not by RDD.sample (whose draw depends on the partitioning),
    // and laid out in a fixed number of partitions sorted by id: KMeans's random initial centres (takeSample)
    // and its sums see the same rows in the same order for any input order or partitioning.
    long seed = p.seed();
    JavaRDD<FaceVector> chosen = fraction >= 1 ? faces : faces.filter(f -> sampled(f.id, seed, fraction));
    int parts = (int) Math.max(1, Math.min(256, (long) (count * fraction) / 20_000));
    JavaRDD<Vector> sample = chosen.mapToPair(f -> new Tuple2<>(f.id, f.vector))
        .repartitionAndSortWithinPartitions(new HashPartitioner(parts))
        .map(t -> toDouble(t._2()));
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
          InjectedFaults.check(InjectedFaults.Point.KNN); // tests only: inert unless configured
          List<FaceVector> stored = new ArrayList<>();
          List<FaceVector> probing = new ArrayList<>();
          for (Item item : cell._2()) {
            (item.stored ? stored : probing).add(item.face);
          }
          VectorBlock own = VectorBlock.of(stored);
          VectorBlock visitors = VectorBlock.of(probing);
          Neighbours[] ownBest = Neighbours.lists(own.size(), k);
          Neighbours[] visitorBest = Neighbours.lists(visitors.size(), k);
          VectorBlock.search(own, own, threshold, ownBest);
          // A visitor's similarity to a stored face is offered to both: the stored face rarely probes the
          // visitor's cell when the visitor's identity is split over several cells (docs/benchmarks.md).
          VectorBlock.searchBoth(visitors, own, threshold, visitorBest, ownBest);
          List<Tuple2<Long, Neighbours>> out = new ArrayList<>();
          ExactKnn.collect(own, ownBest, out);
          ExactKnn.collect(visitors, visitorBest, out);
          return out.iterator();
        })
        .reduceByKey(Neighbours::merge);
  }

  /**
   * The best `k` faces (no threshold) for each of a few query faces, exactly (index null) or as the index finds
   * them: the faces stored in the query's `probes` nearest cells, and the faces that probe the query's own cell
   * (the search offers each computed pair to both faces). What the benchmark's recall compares. Queries are
   * broadcast; each partition scans its faces once; one list per query reaches the driver per partition.
   */
  public static List<Neighbours> topK(JavaRDD<FaceVector> faces, List<FaceVector> queries, Index index, int probes,
      int k) {
    org.apache.spark.api.java.JavaSparkContext jsc =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(faces.context());
    Broadcast<VectorBlock> qb = jsc.broadcast(VectorBlock.of(queries));
    Broadcast<Routing> rb = jsc.broadcast(index == null ? null : new Routing(index, queries, probes));
    int n = queries.size();
    List<Neighbours> merged = faces.mapPartitions(it -> {
      Neighbours[] best = Neighbours.lists(n, k);
      VectorBlock q = qb.value();
      Routing routing = rb.value();
      List<FaceVector> chunk = new ArrayList<>();
      while (it.hasNext()) {
        FaceVector f = it.next();
        if (routing != null) {
          routing.offer(f, q, best);
          continue;
        }
        chunk.add(f);
        if (chunk.size() == 4096 || !it.hasNext()) {
          VectorBlock.search(q, VectorBlock.of(chunk), Float.NEGATIVE_INFINITY, best);
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

  /** Which sampled queries meet a face in the IVF search, by the cells each probes and is stored in. */
  private static final class Routing implements Serializable {
    private static final long serialVersionUID = 1L;
    final Index index;
    final int probes;
    final Map<Integer, int[]> probingCell = new HashMap<>();
    final Map<Integer, int[]> storedInCell = new HashMap<>();

    Routing(Index index, List<FaceVector> queries, int probes) {
      this.index = index;
      this.probes = probes;
      Map<Integer, List<Integer>> probing = new HashMap<>();
      Map<Integer, List<Integer>> stored = new HashMap<>();
      for (int i = 0; i < queries.size(); i++) {
        int[] near = index.nearest(queries.get(i).vector, probes);
        for (int c : near) {
          probing.computeIfAbsent(c, x -> new ArrayList<>()).add(i);
        }
        stored.computeIfAbsent(near[0], x -> new ArrayList<>()).add(i);
      }
      probing.forEach((c, l) -> probingCell.put(c, l.stream().mapToInt(Integer::intValue).toArray()));
      stored.forEach((c, l) -> storedInCell.put(c, l.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** Offers f to every query that probes f's cell, or whose own cell f probes (each query once). */
    void offer(FaceVector f, VectorBlock q, Neighbours[] best) {
      int[] near = index.nearest(f.vector, probes);
      java.util.Set<Integer> met = new java.util.HashSet<>();
      for (int i : probingCell.getOrDefault(near[0], new int[0])) {
        met.add(i);
      }
      for (int c : near) {
        for (int i : storedInCell.getOrDefault(c, new int[0])) {
          met.add(i);
        }
      }
      for (int i : met) {
        if (q.ids[i] != f.id && q.photos[i] != f.photo) {
          best[i].offer(f.id, VectorBlock.dot(q.matrix, i * q.dim, f.vector, 0, q.dim));
        }
      }
    }
  }

  /** Whether a face is in the training sample: a uniform number from (id, seed), below the fraction. */
  static boolean sampled(long id, long seed, double fraction) {
    long h = (id ^ seed) * 0x9e3779b97f4a7c15L;
    h ^= h >>> 32;
    h *= 0xd6e8feb86659fd93L;
    h ^= h >>> 32;
    return (h >>> 11) * 0x1.0p-53 < fraction;
  }

  private static Vector toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return Vectors.dense(d);
  }
}
