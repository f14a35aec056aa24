package io.facecluster.pipeline;

/** One input file to a result with a status and the crops to embed (faces, or person crops in person mode). */
interface FileProcessor {
  ImageResult process(String path, byte[] bytes);
}
