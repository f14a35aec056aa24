package io.facecluster.pipeline;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The content hashes (sha256) of the images already in the person library, as a set that every task holds
 * (a broadcast): a file whose hash is in it is reported `known` and skips decode, detect and embed (issue 16).
 *
 * <p>Compact because a library holds millions of images: only the first 8 bytes of each hash are kept, as a
 * sorted {@code long[]} (8 MB per million hashes, looked up by binary search), not the 64-character strings
 * (about 100 bytes each on the heap). The price is a false match: a new file whose hash shares its first 64 bits
 * with a known one is taken for known and never embedded. With n known hashes and m files looked up, the chance
 * that any lookup matches falsely is at most n * m / 2^64 (sha256's bits are uniform): 5.4e-6 for 10 million
 * known images and 10 million new files, 5.4e-8 for 1 million each; a library too large for that is too large
 * for a driver's broadcast anyway.
 */
public final class KnownImages implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int SHA256_BYTES = 32;
  private static final int SHA256_HEX = 2 * SHA256_BYTES;

  /** First 8 bytes of each hash (big-endian), sorted ascending as signed longs, no repeats. */
  private final long[] prefixes;

  private KnownImages(long[] prefixes) {
    this.prefixes = prefixes;
  }

  /** No image known. */
  public static KnownImages none() {
    return new KnownImages(new long[0]);
  }

  /**
   * Built on the driver from one string column of lower-case hex sha256 (nulls skipped, repeats allowed). The
   * executors turn the hashes into 8-byte prefixes and send one packed array per partition, so only 8 bytes a
   * hash reach the driver, never the strings. A value that is not 64 hex digits fails: a library that holds one
   * is corrupt, and skipping it would embed or hide images silently.
   */
  public static KnownImages of(Dataset<Row> sha256Hex) {
    StructType schema = sha256Hex.schema();
    if (schema.fields().length != 1 || !schema.fields()[0].dataType().equals(DataTypes.StringType)) {
      throw new IllegalArgumentException("known images: expected one string column of hex sha256, got "
          + schema.simpleString());
    }
    List<byte[]> packed = sha256Hex.mapPartitions((MapPartitionsFunction<Row, byte[]>) KnownImages::pack,
        Encoders.BINARY()).collectAsList();
    int n = 0;
    for (byte[] p : packed) {
      n += p.length / Long.BYTES;
    }
    long[] all = new long[n];
    int i = 0;
    for (byte[] p : packed) {
      ByteBuffer b = ByteBuffer.wrap(p);
      while (b.hasRemaining()) {
        all[i++] = b.getLong();
      }
    }
    return fromPrefixes(all);
  }

  /** From hex strings in memory (tests, small sets); the same rules as {@link #of(Dataset)}. */
  public static KnownImages ofHex(Iterable<String> sha256Hex) {
    List<Long> list = new ArrayList<>();
    for (String h : sha256Hex) {
      if (h != null) {
        list.add(prefix(h));
      }
    }
    return fromPrefixes(list.stream().mapToLong(Long::longValue).toArray());
  }

  private static KnownImages fromPrefixes(long[] all) {
    Arrays.sort(all);
    int distinct = 0;
    for (int i = 0; i < all.length; i++) {
      if (i == 0 || all[i] != all[i - 1]) {
        all[distinct++] = all[i];
      }
    }
    return new KnownImages(distinct == all.length ? all : Arrays.copyOf(all, distinct));
  }

  /** One partition's prefixes as 8 bytes each, big-endian: one binary row per partition. */
  private static Iterator<byte[]> pack(Iterator<Row> rows) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ByteBuffer b = ByteBuffer.allocate(Long.BYTES);
    while (rows.hasNext()) {
      Row r = rows.next();
      if (!r.isNullAt(0)) {
        b.clear();
        out.write(b.putLong(prefix(r.getString(0))).array(), 0, Long.BYTES);
      }
    }
    return List.of(out.toByteArray()).iterator();
  }

  /** The first 16 hex digits as a long, after checking that all 64 are hex digits. */
  static long prefix(String hex) {
    if (hex.length() != SHA256_HEX || !hex.chars().allMatch(java.util.HexFormat::isHexDigit)) {
      throw new IllegalArgumentException("known images: not a hex sha256 (64 hex digits): '" + hex + "'");
    }
    return Long.parseUnsignedLong(hex, 0, 16, 16);
  }

  /** Whether a file with this sha256 (32 bytes) is known; see the class comment for false matches. */
  public boolean contains(byte[] sha256) {
    if (sha256.length != SHA256_BYTES) {
      throw new IllegalArgumentException("a sha256 has 32 bytes, not " + sha256.length);
    }
    return Arrays.binarySearch(prefixes, ByteBuffer.wrap(sha256).getLong()) >= 0;
  }

  /** Distinct 8-byte prefixes held (the hashes given, less repeats). */
  public int size() {
    return prefixes.length;
  }
}
