package io.facecluster.udfs;

import static org.apache.spark.sql.functions.call_udf;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

public class FaceUdfsTest extends SparkTestBase {

  @BeforeAll
  public static void registerUdfs() {
    FaceUdfs.register(spark);
    // Shows what Spark hands a Java UDF for an array column (see testArrayArgumentClass).
    spark
        .udf()
        .register(
            "arg_class", (UDF1<Object, String>) o -> o.getClass().getName(), DataTypes.StringType);
  }

  @Test
  public void testCosineSimilarity() {
    assertThat(sql("SELECT cosine_similarity(array(1f, 0f), array(1f, 1f))"))
        .as("45 degrees: 1/sqrt(2)")
        .containsExactly(row(0.70710677f));
    assertThat(sql("SELECT cosine_similarity(array(1f, 2f), array(-2f, -4f))"))
        .as("Opposite directions")
        .containsExactly(row(-1f));
    assertThat(sql("SELECT cosine_similarity(array(1.0, 0.0), array(1, 1))"))
        .as("Decimal and int arrays are accepted: Spark does not cast Java UDF inputs")
        .containsExactly(row(0.70710677f));
    assertThat(spark.sql("SELECT cosine_similarity(array(1f), array(1f)) AS c").schema().fields()[0].dataType())
        .as("Declared return type")
        .isEqualTo(DataTypes.FloatType);
  }

  @Test
  public void testCosineSimilarityNulls() {
    assertThat(sql("SELECT cosine_similarity(NULL, array(1f))"))
        .as("NULL literal")
        .containsExactly(row((Object) null));
    assertThat(sql("SELECT cosine_similarity(array(1f), CAST(NULL AS array<float>))"))
        .as("Typed NULL")
        .containsExactly(row((Object) null));
    assertThat(sql("SELECT cosine_similarity(array(1f, 0f), array(1f, 0f, 0f))"))
        .as("Length mismatch")
        .containsExactly(row((Object) null));
    assertThat(sql("SELECT cosine_similarity(array(0f, 0f), array(1f, 1f))"))
        .as("Zero vector gives NULL, not NaN")
        .containsExactly(row((Object) null));
    assertThat(sql("SELECT cosine_similarity(array(1f, NULL), array(1f, 1f))"))
        .as("NULL element")
        .containsExactly(row((Object) null));
  }

  @Test
  public void testEuclideanDistance() {
    assertThat(sql("SELECT euclidean_distance(array(0f, 0f), array(3f, 4f))"))
        .as("3-4-5 triangle")
        .containsExactly(row(5f));
    assertThat(
            sql(
                "SELECT euclidean_distance(NULL, array(1f)), "
                    + "euclidean_distance(array(1f), array(1f, 2f))"))
        .as("NULL input and length mismatch")
        .containsExactly(row(null, null));
  }

  @Test
  public void testL2Normalize() {
    assertThat(sql("SELECT l2_normalize(array(3f, 4f))"))
        .as("[3,4] / 5")
        .containsExactly(row(List.of(0.6f, 0.8f)));
    assertThat(sql("SELECT l2_normalize(array(0f, 0f))"))
        .as("Zero vector returned as zeros")
        .containsExactly(row(List.of(0f, 0f)));
    assertThat(sql("SELECT l2_normalize(CAST(NULL AS array<float>)), l2_normalize(array(1f, NULL))"))
        .as("NULL array and NULL element")
        .containsExactly(row(null, null));
    assertThat(spark.sql("SELECT l2_normalize(array(1f)) AS v").schema().apply("v").dataType())
        .as("Declared return type")
        .isEqualTo(DataTypes.createArrayType(DataTypes.FloatType, false));
    assertThat(sql("SELECT cosine_similarity(l2_normalize(array(1f, 2f, 2f)), array(1f, 2f, 2f))"))
        .as("Result composes with the other functions")
        .usingElementComparator(rowsWithin(1e-6))
        .containsExactly(row(1f));
  }

  @Test
  public void testBboxIou() {
    assertThat(sql("SELECT bbox_iou(array(0f, 0f, 10f, 10f), array(5f, 5f, 15f, 15f))"))
        .as("Overlap 25, union 175")
        .containsExactly(row(25f / 175f));
    assertThat(sql("SELECT bbox_iou(array(0f, 0f, 10f, 10f), array(20f, 20f, 30f, 30f))"))
        .as("No overlap")
        .containsExactly(row(0f));
    assertThat(
            sql(
                "SELECT bbox_iou(NULL, array(0f, 0f, 1f, 1f)), "
                    + "bbox_iou(array(0f, 0f, 1f), array(0f, 0f, 1f, 1f)), "
                    + "bbox_iou(array(5f, 0f, 5f, 10f), array(0f, 0f, 10f, 10f))"))
        .as("NULL box, 3 values, zero width")
        .containsExactly(row(null, null, null));
  }

  @Test
  public void testArrayArgumentClass() {
    // Documents the conversion FaceUdfs.toFloatArray relies on for its fast path.
    boolean scala212 = scala.util.Properties.versionNumberString().startsWith("2.12.");
    String expected = scala212
        ? "scala.collection.mutable.WrappedArray$ofRef" // Spark 3.5
        : "scala.collection.immutable.ArraySeq$ofRef"; // Spark 4
    assertThat(sql("SELECT arg_class(array(1f, 2f))"))
        .as("Spark passes array<float> to Java UDFs as an array wrapper over boxed Floats (Scala %s)",
            scala.util.Properties.versionNumberString())
        .containsExactly(row(expected));
    assertThat(scala.collection.IndexedSeq.class.isAssignableFrom(classForName(expected)))
        .as("%s is an IndexedSeq: FaceUdfs.toFloatArray's indexed path", expected)
        .isTrue();
  }

  private static Class<?> classForName(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(name + " is not on the classpath", e);
    }
  }

  @Test
  public void testToFloatArrayPaths() {
    assertThat(FaceUdfs.toFloatArray(scala.Predef$.MODULE$.wrapFloatArray(new float[] {1f, 2f})))
        .as("Primitive-backed array wrapper (indexed path)")
        .containsExactly(1f, 2f);
    assertThat(FaceUdfs.toFloatArray(JavaConverters.asScalaBuffer(Arrays.<Object>asList(1f, 2.5d, 3))))
        .as("Generic Seq fallback, mixed numbers")
        .containsExactly(1f, 2.5f, 3f);
    assertThat(FaceUdfs.toFloatArray(JavaConverters.asScalaBuffer(Arrays.<Object>asList(1f, null))))
        .as("NULL element on the fallback path")
        .isNull();
  }

  @Test
  public void testRankEmbeddingsBySelfJoin() {
    StructType schema =
        new StructType()
            .add("id", DataTypes.StringType)
            .add("emb", DataTypes.createArrayType(DataTypes.FloatType));
    List<Row> faces =
        List.of(
            RowFactory.create("a", List.of(1f, 0f, 0f)),
            RowFactory.create("b", List.of(0.9f, 0.1f, 0f)),
            RowFactory.create("c", List.of(0f, 1f, 0f)),
            RowFactory.create("d", List.of(0.7f, 0.7f, 0f)),
            RowFactory.create("e", List.of(0f, 0f, 0f))); // zero vector: no similarity to anything
    spark.createDataFrame(faces, schema).createOrReplaceTempView("faces");

    String ranked =
        "SELECT q.id, c.id AS neighbor, cosine_similarity(q.emb, c.emb) AS sim, "
            + "row_number() OVER "
            + "(PARTITION BY q.id ORDER BY cosine_similarity(q.emb, c.emb) DESC) AS rank "
            + "FROM faces q JOIN faces c ON q.id <> c.id "
            + "WHERE cosine_similarity(q.emb, c.emb) IS NOT NULL";

    assertThat(sql("SELECT id, neighbor FROM (%s) WHERE rank = 1 ORDER BY id", ranked))
        .as("Nearest neighbour of each face; e has none because its similarity is NULL")
        .containsExactly(row("a", "b"), row("b", "a"), row("c", "d"), row("d", "b"));
    assertThat(sql("SELECT neighbor, sim FROM (%s) WHERE id = 'a' ORDER BY rank", ranked))
        .as("Full ranking for a")
        .usingElementComparator(rowsWithin(1e-6))
        .containsExactly(row("b", 0.99388373f), row("d", 0.70710677f), row("c", 0f));
  }

  @Test
  public void testDataFrameApiWithDoubleEmbeddings() {
    // PySpark and many model outputs produce array<double>; the functions accept it as-is.
    Dataset<Row> df = spark.sql("SELECT array(3d, 4d) AS emb");
    List<Row> rows = df.select(call_udf("l2_normalize", col("emb")).as("unit")).collectAsList();
    assertThat(rows).as("One row").hasSize(1);
    assertThat(rows.get(0).<Float>getList(0))
        .as("array<double> normalized to array<float>")
        .containsExactly(0.6f, 0.8f);
  }
}
