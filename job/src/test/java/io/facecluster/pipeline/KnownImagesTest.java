package io.facecluster.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facecluster.udfs.SparkTestBase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** The person library's content hashes as the pipeline looks them up: 8-byte prefixes, sorted, deduplicated. */
class KnownImagesTest extends SparkTestBase {
  private static final HexFormat HEX = HexFormat.of();

  static byte[] sha256(String content) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
  }

  static String hex(String content) throws Exception {
    return HEX.formatHex(sha256(content));
  }

  @Test
  void containsTheGivenHashesOnly() throws Exception {
    KnownImages known = KnownImages.ofHex(List.of(hex("a"), hex("b"), hex("c")));
    assertThat(known.size()).as("hashes held").isEqualTo(3);
    for (String c : List.of("a", "b", "c")) {
      assertThat(known.contains(sha256(c))).as("contains sha256(%s)", c).isTrue();
    }
    for (String c : List.of("d", "", "A")) {
      assertThat(known.contains(sha256(c))).as("contains sha256('%s')", c).isFalse();
    }
  }

  @Test
  void anEmptySetKnowsNothing() throws Exception {
    assertThat(KnownImages.none().size()).as("size of none()").isZero();
    assertThat(KnownImages.none().contains(sha256("a"))).as("none() contains").isFalse();
    KnownImages empty = KnownImages.of(spark.createDataset(List.<String>of(), Encoders.STRING()).toDF("sha256"));
    assertThat(empty.size()).as("size from an empty dataset").isZero();
    assertThat(empty.contains(sha256("a"))).as("empty dataset's set contains").isFalse();
  }

  @Test
  void fromADatasetRepeatsAndNullsCountOnce() throws Exception {
    List<Row> rows = List.of(RowFactory.create(hex("a")), RowFactory.create(hex("b")), RowFactory.create(hex("a")),
        RowFactory.create((Object) null), RowFactory.create(hex("b")), RowFactory.create(hex("a")));
    Dataset<Row> ds = spark.createDataFrame(rows, DataTypes.createStructType(List.of(
        DataTypes.createStructField("image_sha256", DataTypes.StringType, true)))).repartition(3);
    KnownImages known = KnownImages.of(ds);
    assertThat(known.size()).as("distinct hashes of 6 rows (3 a, 2 b, 1 null) in 3 partitions").isEqualTo(2);
    assertThat(known.contains(sha256("a"))).as("contains a").isTrue();
    assertThat(known.contains(sha256("b"))).as("contains b").isTrue();
    assertThat(known.contains(sha256("c"))).as("contains c").isFalse();
  }

  @Test
  void onlyTheFirstEightBytesDecide() throws Exception {
    byte[] a = sha256("a");
    KnownImages known = KnownImages.ofHex(List.of(HEX.formatHex(a)));
    byte[] sameFirst8 = a.clone();
    sameFirst8[8] ^= 1;
    sameFirst8[31] ^= (byte) 0xff;
    assertThat(known.contains(sameFirst8)).as("another hash with the same first 64 bits: the documented false "
        + "match (probability n * m / 2^64)").isTrue();
    byte[] differsInByte7 = a.clone();
    differsInByte7[7] ^= 1;
    assertThat(known.contains(differsInByte7)).as("a hash that differs in the 8th byte").isFalse();
    // The sign bit of the prefix: binary search and sort agree on signed order.
    byte[] high = a.clone();
    high[0] = (byte) 0xff;
    byte[] low = a.clone();
    low[0] = 0x00;
    KnownImages both = KnownImages.ofHex(List.of(HEX.formatHex(high), HEX.formatHex(low)));
    assertThat(List.of(both.contains(high), both.contains(low))).as("prefixes above and below 2^63").containsExactly(
        true, true);
  }

  @Test
  void badInputFailsLoudly() throws Exception {
    assertThatThrownBy(() -> KnownImages.ofHex(List.of(hex("a").substring(1))))
        .as("63 hex digits").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a hex sha256");
    assertThatThrownBy(() -> KnownImages.ofHex(List.of(hex("a").replace(hex("a").charAt(40), 'g'))))
        .as("a non-hex digit").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a hex sha256");
    Dataset<Row> two = spark.sql("SELECT 'x' AS a, 'y' AS b");
    assertThatThrownBy(() -> KnownImages.of(two)).as("two columns").isInstanceOf(IllegalArgumentException.class)
        .hasMessage("known images: expected one string column of hex sha256, got struct<a:string,b:string>");
    Dataset<Row> corrupt = spark.createDataset(List.of(hex("a"), "not-a-hash"), Encoders.STRING()).toDF("sha256");
    assertThatThrownBy(() -> KnownImages.of(corrupt)).as("a corrupt value, found by a task")
        .hasStackTraceContaining("known images: not a hex sha256 (64 hex digits): 'not-a-hash'");
    assertThatThrownBy(() -> KnownImages.none().contains(new byte[20])).as("a 20-byte digest")
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a sha256 has 32 bytes, not 20");
  }

  @Test
  void survivesKryoAsABroadcastDoes() throws Exception {
    KnownImages known = KnownImages.ofHex(List.of(hex("a"), hex("b")));
    SerializerInstance kryo = new KryoSerializer(spark.sparkContext().getConf()).newInstance();
    KnownImages copy = kryo.deserialize(kryo.serialize(known, ClassTag$.MODULE$.apply(KnownImages.class)),
        ClassTag$.MODULE$.apply(KnownImages.class));
    assertThat(copy.size()).as("size after Kryo").isEqualTo(2);
    assertThat(Arrays.asList(copy.contains(sha256("a")), copy.contains(sha256("b")), copy.contains(sha256("c"))))
        .as("a, b, c after Kryo").containsExactly(true, true, false);
  }
}
