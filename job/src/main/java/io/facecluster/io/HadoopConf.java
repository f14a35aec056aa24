package io.facecluster.io;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * Ships the driver's Hadoop configuration (S3A endpoint, credentials provider chain, ...) to executors, which
 * read image bytes themselves after the paths have been partitioned by count. It travels as a broadcast,
 * which spark.serializer (Kryo) writes: Kryo's field serializer would skip the transient Configuration and
 * ignore writeObject/readObject, so executors in other JVMs got a null conf. Local mode never showed it (its
 * tasks read the driver's own broadcast object); the standalone-cluster test does. Kryo is told to use Java
 * serialization for this class, as Spark's KryoSerializer does for its own SerializableConfiguration.
 */
@DefaultSerializer(JavaSerializer.class)
public final class HadoopConf implements Serializable {
  private transient Configuration conf;

  public HadoopConf(Configuration conf) {
    this.conf = conf;
  }

  public Configuration get() {
    return conf;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(in);
  }
}
