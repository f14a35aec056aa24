package io.facecluster.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/**
 * The Hadoop configuration reaches executors in other JVMs through a broadcast, serialised by
 * spark.serializer: both serializers Spark offers must carry its settings (local mode never deserialises a
 * broadcast, so only a cluster would otherwise notice).
 */
class HadoopConfTest {
  @Test
  void survivesKryoAndJavaSerialization() {
    Configuration conf = new Configuration(false);
    conf.set("fs.s3a.endpoint", "http://127.0.0.1:9000");
    conf.set("fs.s3a.path.style.access", "true");
    SparkConf spark = new SparkConf(false);
    for (Serializer serializer : new Serializer[] {new KryoSerializer(spark), new JavaSerializer(spark)}) {
      Configuration back = roundTrip(serializer.newInstance(), new HadoopConf(conf)).get();
      assertThat(back).as("configuration after %s", serializer.getClass().getSimpleName()).isNotNull();
      assertThat(back.get("fs.s3a.endpoint")).as("endpoint after %s", serializer.getClass().getSimpleName())
          .isEqualTo("http://127.0.0.1:9000");
      assertThat(back.getBoolean("fs.s3a.path.style.access", false))
          .as("path style after %s", serializer.getClass().getSimpleName()).isTrue();
    }
  }

  private static HadoopConf roundTrip(SerializerInstance s, HadoopConf value) {
    ByteBuffer bytes = s.serialize(value, ClassTag$.MODULE$.apply(HadoopConf.class));
    return s.deserialize(bytes, ClassTag$.MODULE$.apply(HadoopConf.class));
  }
}
