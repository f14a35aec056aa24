package io.facecluster.udfs;

/**
 * The EXIF orientation of a JPEG (tag 0x0112 of IFD0 in the APP1 "Exif" segment) and the mapping
 * from upright pixel coordinates to stored ones.
 *
 * <p>The job decodes with OpenCV, which applies this orientation, so face boxes are in upright
 * pixels; Java ImageIO returns the stored raster as it is. A thumbnail therefore maps the box back
 * into the stored raster, reads that region, and turns it upright.
 */
final class ExifOrientation {
  /** No transformation: what a file without (valid) EXIF orientation gets. */
  static final int NORMAL = 1;

  private static final int ORIENTATION_TAG = 0x0112;

  private ExifOrientation() {}

  /** 1..8 from the first EXIF segment before the image data; {@link #NORMAL} when absent. */
  static int read(byte[] jpeg) {
    if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
      return NORMAL;
    }
    int i = 2;
    while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
      int marker = jpeg[i + 1] & 0xFF;
      if (marker == 0xFF) { // fill byte before a marker
        i++;
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) { // start of scan / end of image: no more metadata
        return NORMAL;
      }
      int length = u16(jpeg, i + 2, false);
      int end = Math.min(jpeg.length, i + 2 + length);
      if (marker == 0xE1 && length >= 8 && isExifHeader(jpeg, i + 4)) {
        return fromTiff(jpeg, i + 10, end);
      }
      i += 2 + length;
    }
    return NORMAL;
  }

  /** Whether the upright image has width and height of the stored one swapped (5..8). */
  static boolean swapsAxes(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  /**
   * The stored pixel shown at upright pixel (u, v), for a stored image of {@code w x h}: {x, y}.
   * Orientation n says how the stored image must be turned for display (2: mirrored, 3: 180
   * degrees, 4: flipped, 5: transposed, 6: 90 degrees clockwise, 7: transverse, 8: 90 degrees
   * counter-clockwise); this is its inverse.
   */
  static int[] toStored(int orientation, int u, int v, int w, int h) {
    switch (orientation) {
      case 2:
        return new int[] {w - 1 - u, v};
      case 3:
        return new int[] {w - 1 - u, h - 1 - v};
      case 4:
        return new int[] {u, h - 1 - v};
      case 5:
        return new int[] {v, u};
      case 6:
        return new int[] {v, h - 1 - u};
      case 7:
        return new int[] {w - 1 - v, h - 1 - u};
      case 8:
        return new int[] {w - 1 - v, u};
      default:
        return new int[] {u, v};
    }
  }

  private static boolean isExifHeader(byte[] b, int at) {
    return at + 6 <= b.length && b[at] == 'E' && b[at + 1] == 'x' && b[at + 2] == 'i'
        && b[at + 3] == 'f' && b[at + 4] == 0 && b[at + 5] == 0;
  }

  /** Orientation from a TIFF structure at [start, end): byte order, IFD0, its entries. */
  private static int fromTiff(byte[] b, int start, int end) {
    if (start + 8 > end) {
      return NORMAL;
    }
    boolean little;
    if (b[start] == 'I' && b[start + 1] == 'I') {
      little = true;
    } else if (b[start] == 'M' && b[start + 1] == 'M') {
      little = false;
    } else {
      return NORMAL;
    }
    if (u16(b, start + 2, little) != 42) {
      return NORMAL;
    }
    long ifd = u32(b, start + 4, little);
    if (ifd < 8 || start + ifd + 2 > end) {
      return NORMAL;
    }
    int at = start + (int) ifd;
    int entries = u16(b, at, little);
    for (int k = 0; k < entries; k++) {
      int e = at + 2 + 12 * k;
      if (e + 12 > end) {
        return NORMAL;
      }
      if (u16(b, e, little) == ORIENTATION_TAG) {
        int type = u16(b, e + 2, little);
        int value = type == 3 ? u16(b, e + 8, little) : -1; // SHORT, stored in the entry itself
        return value >= 1 && value <= 8 ? value : NORMAL;
      }
    }
    return NORMAL;
  }

  private static int u16(byte[] b, int at, boolean little) {
    int x = b[at] & 0xFF;
    int y = b[at + 1] & 0xFF;
    return little ? x | y << 8 : x << 8 | y;
  }

  private static long u32(byte[] b, int at, boolean little) {
    long hi = u16(b, at + (little ? 2 : 0), little);
    long lo = u16(b, at + (little ? 0 : 2), little);
    return hi << 16 | lo;
  }
}
