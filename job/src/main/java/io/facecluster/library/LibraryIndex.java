package io.facecluster.library;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.facecluster.cluster.FaceVector;
import io.facecluster.cluster.GraphClustering;
import io.facecluster.cluster.IvfKnn;
import io.facecluster.cluster.KnnSearch;
import io.facecluster.output.LibrarySchemas;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * The library's stored IVF index (docs/library.md, "The stored index"): MLlib KMeans cells trained once on the
 * library's faces, kept in `library_index`, with every face's nearest cell in `library_faces.cell`. A run then
 * assigns only its own faces to cells and searches the cells its faces probe, instead of training an index on
 * the whole library and assigning every library face again (most of a run's time at 1M faces).
 *
 * <p>The index is trained when the library first outgrows exact search (the search's `exactLimit`, mode auto,
 * or at once when IVF is forced), and trained again when the library holds more than {@link #GROWTH} times the
 * faces its cells were made for (cells grown to 4 x cellSize make each probe 4 x dearer).
 */
final class LibraryIndex {
  static final int GROWTH = 4;

  private LibraryIndex() {}

  /** The stored index, or null when the library has none yet. */
  static IvfKnn.Index read(Library lib) {
    if (!lib.exists(LibrarySchemas.INDEX)) {
      return null;
    }
    // One row per cell: thousands of small rows at millions of faces.
    List<Row> rows = new ArrayList<>(lib.read(LibrarySchemas.INDEX).select("cell", "centroid").collectAsList());
    if (rows.isEmpty()) {
      return null;
    }
    rows.sort(Comparator.comparingInt(r -> r.getInt(0)));
    int dim = rows.get(0).getList(1).size();
    float[] m = new float[rows.size() * dim];
    for (int c = 0; c < rows.size(); c++) {
      if (rows.get(c).getInt(0) != c) {
        throw new IllegalStateException("library_index of " + lib.root() + " lacks cell " + c);
      }
      System.arraycopy(GraphClustering.toFloats(rows.get(c).getList(1)), 0, m, c * dim, dim);
    }
    return IvfKnn.Index.of(m, dim);
  }

  /** Whether a library of `faces` faces after this run needs an index trained (none yet, or outgrown). */
  static boolean due(IvfKnn.Index index, long faces, KnnSearch.Params p) {
    if (p.mode() == KnnSearch.Mode.EXACT || faces == 0) {
      return false;
    }
    if (index == null) {
      return KnnSearch.choose(p, faces) == KnnSearch.Mode.IVF;
    }
    return faces > (long) GROWTH * index.cells() * p.ivf().cellSize();
  }

  /** Trains cells on the faces (face_id, embedding): IvfKnn's training, on its sample and seed. */
  static IvfKnn.Index train(Dataset<Row> faces, long count, KnnSearch.Params p) {
    JavaRDD<FaceVector> vectors = faces.select("face_id", "embedding").javaRDD()
        .map(r -> new FaceVector(GraphClustering.key64(r.getString(0)), 0, GraphClustering.toFloats(r.getList(1))));
    return IvfKnn.train(vectors, count, p.ivf());
  }

  /** The index's rows for `library_index`. */
  static Dataset<Row> rows(SparkSession spark, IvfKnn.Index index, String runId) {
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < index.cells(); c++) {
      float[] v = index.centroid(c);
      Float[] boxed = new Float[v.length];
      for (int i = 0; i < v.length; i++) {
        boxed[i] = v[i];
      }
      rows.add(RowFactory.create(c, boxed, runId));
    }
    return spark.createDataFrame(rows, LibrarySchemas.LIBRARY_INDEX);
  }

  /** The faces with `cell` set to each one's nearest cell (null without an index). */
  static Dataset<Row> withCells(Dataset<Row> faces, IvfKnn.Index index) {
    if (index == null) {
      return faces.withColumn("cell", lit(null).cast(DataTypes.IntegerType));
    }
    Broadcast<IvfKnn.Index> cells = JavaSparkContext.fromSparkContext(faces.sparkSession().sparkContext())
        .broadcast(index);
    // A Scala Seq on both Spark lines (WrappedArray on 2.12, ArraySeq on 2.13); read element by element.
    UserDefinedFunction nearest = org.apache.spark.sql.functions.udf((UDF1<scala.collection.Seq<Object>, Integer>) e -> {
      float[] v = new float[e.length()];
      for (int i = 0; i < v.length; i++) {
        v[i] = ((Number) e.apply(i)).floatValue();
      }
      return cells.value().nearest(v, 1)[0];
    }, DataTypes.IntegerType);
    return faces.withColumn("cell", nearest.apply(col("embedding")));
  }
}
