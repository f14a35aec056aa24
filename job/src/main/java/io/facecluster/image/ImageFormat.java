package io.facecluster.image;

/**
 * Container format from the first bytes (never from the file name: a text file named .jpg is common), plus the
 * cheap checks that OpenCV does not make: a truncated JPEG or PNG decodes "successfully" with a grey bottom
 * part, so truncation is found from the container structure before decoding.
 */
public enum ImageFormat {
  JPEG, PNG, GIF, BMP, WEBP, TIFF, UNKNOWN;

  public static ImageFormat sniff(byte[] b) {
    if (b.length >= 3 && u(b, 0) == 0xFF && u(b, 1) == 0xD8 && u(b, 2) == 0xFF) {
      return JPEG;
    }
    if (b.length >= 8 && u(b, 0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return PNG;
    }
    if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
      return GIF;
    }
    if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
      return BMP;
    }
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
        && b[10] == 'B' && b[11] == 'P') {
      return WEBP;
    }
    if (b.length >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0)
        || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) {
      return TIFF;
    }
    return UNKNOWN;
  }

  /**
   * True when the file holds its end marker. JPEG: an EOI (FF D9) after the last start-of-scan (FF DA); entropy
   * coded data stuffs every FF with 00, so FF D9 after the last scan can only be the real end, and an EXIF
   * thumbnail's own EOI (before the main scans) does not count. PNG: an IEND chunk.
   */
  public boolean complete(byte[] b) {
    switch (this) {
      case JPEG: {
        int eoi = lastMarker(b, 0xD9);
        return eoi > 0 && eoi > lastMarker(b, 0xDA);
      }
      case PNG:
        return lastIndexOf(b, new byte[] {'I', 'E', 'N', 'D'}) > 8;
      default:
        return true;
    }
  }

  /** Width and height from the header, or null when the format is not parsed here (OpenCV then decides). */
  public int[] headerSize(byte[] b) {
    if (this == PNG && b.length >= 24) {
      return new int[] {be32(b, 16), be32(b, 20)};
    }
    if (this == JPEG) {
      int i = 2;
      while (i + 9 < b.length) {
        if (u(b, i) != 0xFF) {
          return null;
        }
        int marker = u(b, i + 1);
        if (marker == 0xFF) {
          i++;
          continue;
        }
        int len = (u(b, i + 2) << 8) | u(b, i + 3);
        boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
          return new int[] {(u(b, i + 7) << 8) | u(b, i + 8), (u(b, i + 5) << 8) | u(b, i + 6)};
        }
        i += 2 + len;
      }
    }
    return null;
  }

  private static int lastMarker(byte[] b, int marker) {
    for (int i = b.length - 2; i >= 0; i--) {
      if (u(b, i) == 0xFF && u(b, i + 1) == marker) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(byte[] b, byte[] pattern) {
    outer:
    for (int i = b.length - pattern.length; i >= 0; i--) {
      for (int j = 0; j < pattern.length; j++) {
        if (b[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int u(byte[] b, int i) {
    return b[i] & 0xFF;
  }

  private static int be32(byte[] b, int i) {
    return (u(b, i) << 24) | (u(b, i + 1) << 16) | (u(b, i + 2) << 8) | u(b, i + 3);
  }
}
