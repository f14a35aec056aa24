package io.facecluster.io;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/**
 * S3Proxy with {@link FaultyS3Proxy} in front of it, and a bucket that S3A reaches through the proxy with the
 * S3A and Parquet settings of conf/spark-defaults.conf (what a deployed job runs with). Faults start off.
 */
public record ProxiedS3(S3ProxyServer s3, FaultyS3Proxy proxy) implements AutoCloseable {

  /** `heap` bounds S3Proxy's in-memory store; `conf` gets the bucket's per-bucket settings. */
  public static ProxiedS3 start(Path dir, String heap, String bucket, Configuration conf) throws Exception {
    S3ProxyServer s3 = S3ProxyServer.startWithHeap(dir, heap, bucket);
    FaultyS3Proxy proxy;
    try {
      proxy = FaultyS3Proxy.start(s3.port());
    } catch (Exception e) {
      s3.close();
      throw e;
    }
    proxy.faults(false);
    S3ProxyServer.configureBucket(conf, bucket, proxy.port());
    S3ProxyServer.applySparkDefaults(conf, bucket);
    return new ProxiedS3(s3, proxy);
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.close();
    } finally {
      s3.close();
    }
  }
}
