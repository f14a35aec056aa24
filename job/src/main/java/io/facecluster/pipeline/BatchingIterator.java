package io.facecluster.pipeline;

import io.facecluster.embed.FaceEmbedder;
import io.facecluster.faults.InjectedFaults;
import io.facecluster.io.InputFiles;
import io.facecluster.output.Schemas;
import java.util.ArrayDeque;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.opencv.core.Mat;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Pulls paths lazily, processes images until their faces fill one embedder batch, embeds the batch in one
 * session run (faces of several images share a batch), then emits those images' rows in input order. Each
 * file's bytes are read once and hashed (sha256); a file whose hash is in the person library ({@link
 * KnownImages}) is emitted as `known` right there, without decode or any model.
 */
final class BatchingIterator implements Iterator<Row> {
  private static final int FACE_COUNT = Schemas.IMAGE_RESULT.fieldIndex("face_count");
  private final Iterator<Row> paths;
  private final Configuration conf;
  private final FileProcessor processor;
  private final FaceEmbedder embedder;
  private final io.facecluster.detect.FaceDetector detector;
  private final StageMetrics metrics;
  private final ImageClock clock;
  private final RunsOn runsOn;
  /** Hashes of the person library's images, or null: none known. */
  private final KnownImages known;
  /** One per iterator (a task's thread): MessageDigest is not thread-safe, and reset by each digest(). */
  private final MessageDigest sha256 = newSha256();
  private final Deque<Row> ready = new ArrayDeque<>();
  private boolean finished;

  BatchingIterator(Iterator<Row> paths, Configuration conf, FileProcessor processor, FaceModels models,
      StageMetrics metrics, ImageClock clock, RunsOn runsOn, KnownImages known) {
    this.paths = paths;
    this.conf = conf;
    this.processor = processor;
    this.embedder = models.embedder();
    this.detector = models.detector();
    this.metrics = metrics;
    this.clock = clock;
    this.runsOn = runsOn;
    this.known = known;
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && paths.hasNext()) {
      fill();
    }
    if (ready.isEmpty() && !finished) {
      finished = true;
      metrics.partitionDone();
      metrics.add(Stage.EMBED_RUN, embedder.runNanos());
      if (detector != null) {
        metrics.add(Stage.DETECT_RUN, detector.runNanos());
      }
    }
    return !ready.isEmpty();
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }

  private void fill() {
    List<ImageResult> pending = new ArrayList<>();
    int crops = 0;
    try {
      while (paths.hasNext() && crops < embedder.batchSize()) {
        Row input = paths.next();
        long detectRun = detector == null ? 0 : detector.runNanos();
        ImageResult r = processOne(input.getString(0), boxes(input));
        // Session time goes to the accumulators once per partition (hasNext); to the image here, as it happens.
        clock.addToImage(Stage.DETECT_RUN, detector == null ? 0 : detector.runNanos() - detectRun);
        r.stageNanos = clock.take();
        pending.add(r);
        crops += r.crops.size();
      }
    } catch (RuntimeException e) {
      // a model fault fails the task: the crops already made for this batch are native memory, free them now
      pending.forEach(r -> r.crops.forEach(Mat::release));
      throw e;
    }
    embed(pending);
    for (ImageResult r : pending) {
      Row row = toRow(r);
      metrics.imageDone(row.getInt(FACE_COUNT));
      ready.add(row);
    }
  }

  /** The row's "boxes" column (manifest input), or null. */
  static float[][] boxes(Row input) {
    if (input.size() < 2 || input.isNullAt(1)) {
      return null;
    }
    java.util.List<Object> list = input.getList(1);
    float[][] out = new float[list.size()][];
    for (int i = 0; i < out.length; i++) {
      scala.collection.Seq<?> box = (scala.collection.Seq<?>) list.get(i);
      out[i] = new float[box.size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = ((Number) box.apply(j)).floatValue();
      }
    }
    return out;
  }

  /**
   * Reads the file once and hashes those bytes (the hash is part of the read stage's time); a known hash ends
   * here. The read time goes to the image's clock like every other stage, so `stage_us` has it.
   */
  private ImageResult processOne(String path, float[][] boxes) {
    long t0 = System.nanoTime();
    byte[] bytes;
    byte[] hash;
    try {
      bytes = InputFiles.read(conf, path);
      hash = sha256.digest(bytes);
    } catch (Exception e) {
      return ImageResult.error(path, "cannot read file: " + e.getMessage(), null, null);
    } finally {
      clock.accept(Stage.READ, System.nanoTime() - t0);
    }
    String hex = HexFormat.of().formatHex(hash);
    if (known != null && known.contains(hash)) {
      return ImageResult.known(path, hex);
    }
    InjectedFaults.check(InjectedFaults.Point.DECODE); // tests only: inert unless configured
    ImageResult r = processor.process(path, bytes, boxes);
    r.sha256 = hex;
    return r;
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private void embed(List<ImageResult> pending) {
    List<Mat> all = new ArrayList<>();
    pending.forEach(r -> all.addAll(r.crops));
    if (all.isEmpty()) {
      return;
    }
    int[] crops = pending.stream().mapToInt(r -> r.crops.size()).toArray();
    long t0 = System.nanoTime();
    long run0 = embedder.runNanos();
    try {
      // Tests only (inert unless configured): an injected fault fails the task (no catch here), and the finally
      // below still releases the batch's crops.
      InjectedFaults.check(InjectedFaults.Point.EMBED);
      float[][] e = embedder.embed(all);
      int i = 0;
      for (ImageResult r : pending) {
        r.embeddings = new float[r.crops.size()][];
        for (int j = 0; j < r.crops.size(); j++) {
          r.embeddings[j] = e[i++];
        }
      }
    } finally {
      // No catch: the crops are the aligner's, all of the spec's size, so a failing run is the model's fault
      // (ModelRunException), the same for every batch; it fails the task rather than mark the files `error`.
      all.forEach(Mat::release);
      long elapsed = System.nanoTime() - t0;
      metrics.add(Stage.EMBED, elapsed);
      share(pending, crops, Stage.EMBED, elapsed);
      share(pending, crops, Stage.EMBED_RUN, embedder.runNanos() - run0);
    }
  }

  /**
   * Splits a batch's time among its images by their number of crops; the remainder of the integer division
   * goes to the first image with crops, so that the images' times add up to the batch's exactly.
   */
  private static void share(List<ImageResult> pending, int[] crops, Stage stage, long nanos) {
    long total = java.util.Arrays.stream(crops).sum();
    long given = 0;
    int first = -1;
    for (int i = 0; i < crops.length; i++) {
      if (crops[i] > 0) {
        long part = nanos * crops[i] / total;
        pending.get(i).stageNanos[stage.ordinal()] += part;
        given += part;
        first = first < 0 ? i : first;
      }
    }
    if (first >= 0) {
      pending.get(first).stageNanos[stage.ordinal()] += nanos - given;
    }
  }

  private Row toRow(ImageResult r) {
    List<Row> faces = new ArrayList<>(r.faces.size());
    if (Schemas.OK.equals(r.status)) {
      for (int i = 0; i < r.faces.size(); i++) {
        var d = r.faces.get(i);
        faces.add(RowFactory.create(FaceIds.of(r.path, d), seq(new float[] {d.x1(), d.y1(), d.x2(), d.y2()}),
            d.score(), seq(d.landmarks()), seq(r.embeddings[i]), r.detection));
      }
    }
    // Spark's Row encoder takes Scala sequences for array columns.
    // A known file went through the read only: its stage_us says so rather than listing zeros for the models.
    Stage[] stages = Schemas.KNOWN.equals(r.status) ? new Stage[] {Stage.READ} : Stage.values();
    return RowFactory.create(r.path, r.sha256, r.status, r.reason, r.width, r.height, faces.size(),
        JavaConverters.asScalaBuffer(faces).toSeq(), stageMicros(r.stageNanos, stages), runsOn.jvm(),
        runsOn.sessions());
  }

  /** The image's time per stage in microseconds (a Scala map: Spark's Row encoder takes one for map columns). */
  private static scala.collection.Map<String, Object> stageMicros(long[] nanos, Stage[] stages) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (Stage s : stages) {
      m.put(s.label(), nanos[s.ordinal()] / 1_000);
    }
    return JavaConverters.mapAsScalaMap(m);
  }

  /** The array wrapper Spark's Scala (2.12: WrappedArray.ofFloat, 2.13: ArraySeq.ofFloat), no copy. */
  private static Seq<Object> seq(float[] values) {
    return scala.Predef$.MODULE$.wrapFloatArray(values);
  }
}
