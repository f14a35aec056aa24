package io.facecluster.pipeline;

/** One input file to a result with a status and the crops to embed (faces, or person crops in person mode). */
interface FileProcessor {
  /** @param boxes the manifest's boxes in this image (x1, y1, x2, y2 each), or null */
  ImageResult process(String path, byte[] bytes, float[][] boxes);
}
