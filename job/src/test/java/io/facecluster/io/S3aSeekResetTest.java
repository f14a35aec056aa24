package io.facecluster.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault that S3FaultsJobTest met in the job (the report reading the faces table back): a GET cut mid-body
 * while S3A skips forward inside it. Hadoop 3.3's S3AInputStream does not retry that skip, so the read fails;
 * with conf/spark-defaults.conf's `fs.s3a.readahead.range` S3A reopens at the target instead, and retries.
 */
class S3aSeekResetTest {
  @TempDir
  java.nio.file.Path tmp;

  @Test
  void aForwardSeekAcrossACutConnectionStillReads() throws Exception {
    byte[] object = new byte[100_000];
    new Random(7).nextBytes(object);
    try (S3ProxyServer s3 = S3ProxyServer.start(tmp.resolve("s3"), "seek");
        FaultyS3Proxy proxy = FaultyS3Proxy.start(s3.port())) {
      Configuration conf = new Configuration(false);
      conf.set("fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
      conf.setBoolean("fs.s3a.impl.disable.cache", true);
      S3ProxyServer.configureBucket(conf, "seek", proxy.port());
      S3ProxyServer.applySparkDefaults(conf, "seek");
      Path p = new Path("s3a://seek/object.bin");
      FileSystem fs = p.getFileSystem(conf);
      proxy.faults(false);
      try (OutputStream out = fs.create(p)) {
        out.write(object);
      }
      // The first GET delivers half of its body, then the connection is reset; the next one is whole (slow).
      proxy.resetCounts();
      proxy.inject(FaultyS3Proxy.Kind.GET_OBJECT, 1, FaultyS3Proxy.Fault.RESET_MID_RESPONSE,
          FaultyS3Proxy.Fault.SLOW);
      proxy.faults(true);
      byte[] head = new byte[16];
      byte[] later = new byte[16];
      try (FSDataInputStream in = fs.open(p)) {
        in.readFully(head); // opens a GET of the whole object at 0
        // 60,000 bytes ahead: within the default 64 KB readahead (a skip inside the open GET), past its half.
        in.seek(60_016);
        in.readFully(later);
      } finally {
        proxy.faults(false);
      }
      assertThat(proxy.injected(FaultyS3Proxy.Kind.GET_OBJECT, FaultyS3Proxy.Fault.RESET_MID_RESPONSE))
          .as("GETs cut mid-body").isEqualTo(1);
      assertThat(head).as("the first bytes").isEqualTo(java.util.Arrays.copyOfRange(object, 0, 16));
      assertThat(later).as("bytes after the seek").isEqualTo(java.util.Arrays.copyOfRange(object, 60_016, 60_032));
    }
  }
}
