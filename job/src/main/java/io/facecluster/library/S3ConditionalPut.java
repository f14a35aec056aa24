package io.facecluster.library;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSDataOutputStreamBuilder;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.hadoop.util.VersionInfo;

/**
 * A PUT with {@code If-None-Match: *} through S3A: the object is written only if its key is absent, in one request
 * (S3 answers 412 PreconditionFailed otherwise, since 2024-08). Loaded only for s3a:// paths.
 *
 * <p>Both ways go through the S3A instance of the path, so its settings hold as for every other access: per-bucket
 * options, endpoint and region, the credentials chain (never seen here), and, on Hadoop 3.3, its request factory's
 * encryption, ACL and storage class. No client of our own is built.
 * <ul>
 *   <li>Hadoop 3.5 (the Spark 4 line): S3A does it itself, asked through the public builder option
 *       {@code fs.option.create.conditional.overwrite} (HADOOP-19256); plain Hadoop API, no SDK v2 code here. A
 *       store configured with {@code fs.s3a.create.conditional.enabled=false} makes the option fail, not the lock
 *       silently racy.
 *   <li>Hadoop 3.3 (the Spark 3.5 line) has no such option: the PUT goes through S3A's own AWS SDK v1 client with
 *       the header added as a custom request header. The job compiles against one SDK per line, so those calls are
 *       reflective and kept to this method; S3A logs one warning per call for handing its client out.
 * </ul>
 * Stores that ignore the header (S3Proxy 2.6.0 did) overwrite instead: the lock is only as atomic as the server.
 */
final class S3ConditionalPut {
  /** The createFile() option that asks S3A (Hadoop 3.4.2+ / 3.5) for a conditional PUT; also a path capability. */
  static final String CONDITIONAL_CREATE = "fs.option.create.conditional.overwrite";
  private static final String CLIENT_REASON = "facecluster library lock: a PUT with If-None-Match";

  private S3ConditionalPut() {}

  /** Writes {@code bytes} to {@code path} if nothing is there; an IOException otherwise (412) or on any failure. */
  static void put(FileSystem fs, Path path, byte[] bytes) throws IOException {
    if (fs.hasPathCapability(path, CONDITIONAL_CREATE)) {
      FSDataOutputStreamBuilder<FSDataOutputStream, ?> create = fs.createFile(path);
      create.overwrite(false).recursive().must(CONDITIONAL_CREATE, true);
      try (FSDataOutputStream out = create.build()) {
        out.write(bytes); // the PUT happens at close, so a 412 comes from there
      }
    } else {
      putWithSdkV1(fs, path, bytes);
    }
  }

  private static void putWithSdkV1(FileSystem fs, Path path, byte[] bytes) throws IOException {
    S3AFileSystem s3a = (S3AFileSystem) fs;
    ClassLoader loader = S3AFileSystem.class.getClassLoader();
    try {
      Class<?> s3Client = Class.forName("com.amazonaws.services.s3.AmazonS3", false, loader);
      Class<?> putRequest = Class.forName("com.amazonaws.services.s3.model.PutObjectRequest", false, loader);
      Class<?> metadataClass = Class.forName("com.amazonaws.services.s3.model.ObjectMetadata", false, loader);
      Class<?> factoryClass = Class.forName("org.apache.hadoop.fs.s3a.api.RequestFactory", false, loader);
      Object client = S3AFileSystem.class.getMethod("getAmazonS3ClientForTesting", String.class)
          .invoke(s3a, CLIENT_REASON);
      Object factory = s3a.getRequestFactory();
      Object metadata = factoryClass.getMethod("newObjectMetadata", long.class).invoke(factory, (long) bytes.length);
      Object request = factoryClass.getMethod("newPutObjectRequest", String.class, metadataClass, InputStream.class)
          .invoke(factory, s3a.pathToKey(path), metadata, new ByteArrayInputStream(bytes));
      Class.forName("com.amazonaws.AmazonWebServiceRequest", false, loader)
          .getMethod("putCustomRequestHeader", String.class, String.class).invoke(request, "If-None-Match", "*");
      s3Client.getMethod("putObject", putRequest).invoke(client, request);
    } catch (InvocationTargetException e) {
      // AmazonServiceException (412 and any other answer) and SdkClientException are unchecked: the caller reads
      // the lock back to tell "held" from a failure. Their messages carry status and request ids, no credentials.
      throw new IOException("conditional PUT of " + path + ": " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new UnsupportedOperationException("S3A of Hadoop " + VersionInfo.getVersion() + " offers neither "
          + CONDITIONAL_CREATE + " nor an AWS SDK v1 client: no atomic create for the library lock " + path, e);
    }
  }
}
