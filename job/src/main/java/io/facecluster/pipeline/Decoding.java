package io.facecluster.pipeline;

import io.facecluster.image.BadImageException;
import io.facecluster.image.DecodedImage;
import io.facecluster.image.ImageDecoder;
import java.util.function.ObjLongConsumer;

/** Decoding as every processor does it: a bad file becomes a result with status error, never an exception. */
final class Decoding {
  /** The image, or the error result when it could not be decoded. */
  record Outcome(DecodedImage image, ImageResult error) {}

  private Decoding() {}

  static Outcome decode(ImageDecoder decoder, String path, byte[] bytes, ObjLongConsumer<Stage> clock) {
    long t0 = System.nanoTime();
    try {
      return new Outcome(decoder.decode(bytes), null);
    } catch (BadImageException e) {
      return new Outcome(null, ImageResult.error(path, e.getMessage(), null, null));
    } catch (RuntimeException e) {
      return new Outcome(null, ImageResult.error(path, "decode failed: " + e, null, null));
    } finally {
      clock.accept(Stage.DECODE, System.nanoTime() - t0);
    }
  }
}
