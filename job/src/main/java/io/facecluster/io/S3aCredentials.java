package io.facecluster.io;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;

/**
 * Keeps the S3A credentials setting of conf/spark-defaults.conf valid on both Spark lines.
 *
 * <p>The file names AWS SDK v1's default chain (environment, system properties, web identity, profile, container
 * and instance role), as S3A on Hadoop 3.3 (Spark 3.5) needs. S3A on Hadoop 3.4+ (Spark 4) uses SDK v2 and maps a
 * few v1 provider names to their v2 classes, but not this chain, so without SDK v1 on the classpath every
 * s3a:// access would fail to load it. There it becomes SDK v2's default chain, which reads the same sources.
 * Where SDK v1 can be loaded the setting is left alone (Hadoop 3.4+ then wraps v1 providers itself).
 */
public final class S3aCredentials {
  public static final String KEY = "fs.s3a.aws.credentials.provider";
  static final String V1_DEFAULT_CHAIN = "com.amazonaws.auth.DefaultAWSCredentialsProviderChain";
  static final String V2_DEFAULT_CHAIN = "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider";

  private S3aCredentials() {}

  /** Replaces the v1 default chain in {@code conf}'s provider list when only SDK v2 is present; true if it did. */
  public static boolean adapt(Configuration conf) {
    String[] providers = conf.getTrimmedStrings(KEY);
    if (!Arrays.asList(providers).contains(V1_DEFAULT_CHAIN)
        || conf.getClassByNameOrNull(V1_DEFAULT_CHAIN) != null
        || conf.getClassByNameOrNull(V2_DEFAULT_CHAIN) == null) {
      return false;
    }
    conf.set(KEY, Arrays.stream(providers)
        .map(p -> p.equals(V1_DEFAULT_CHAIN) ? V2_DEFAULT_CHAIN : p)
        .collect(Collectors.joining(",")));
    return true;
  }
}
