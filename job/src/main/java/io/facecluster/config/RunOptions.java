package io.facecluster.config;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Every option of `submit.sh run`, with its default and its documentation: the README table mirrors this. */
public final class RunOptions {
  private RunOptions() {}

  public static final ConfigOption<String> INPUT = ConfigOption.string("input", null,
      "input images: a directory, a glob or s3a://bucket/prefix (read recursively)");
  public static final ConfigOption<String> OUTPUT = ConfigOption.string("output", null,
      "output directory (local, hdfs:// or s3a://) for the images, faces and clusters tables and summary.json");
  public static final ConfigOption<String> RUN_ID = ConfigOption.string("run-id", null,
      "run id: output partitions of this id are replaced on rerun").defaultDoc("UTC start time, yyyyMMdd-HHmmss");
  public static final ConfigOption<Integer> K = ConfigOption.positiveInt("k", null,
      "number of clusters for kmeans / bisecting");
  public static final ConfigOption<ClusterMethod> CLUSTER = ConfigOption.choice("cluster", ClusterMethod.class,
      "auto", "clustering method; auto = kmeans when --k is given, else graph (kNN graph, no k); threshold = single linkage");
  public static final ConfigOption<Integer> CLUSTER_KNN = ConfigOption.positiveInt("cluster.knn", "30",
      "graph: neighbours each face keeps (its most similar faces above cluster.threshold)");
  public static final ConfigOption<Boolean> CLUSTER_MUTUAL = ConfigOption.bool("cluster.mutual", "true",
      "graph: keep an edge only when both faces keep it (mutual kNN), or one does at a clearly higher cosine");
  public static final ConfigOption<Double> ONE_WAY_MARGIN = ConfigOption.unitInterval("cluster.one-way-margin",
      "0.1", "graph with mutual: an edge kept by one face only stays when its cosine is >= threshold + this");
  public static final ConfigOption<Integer> CLUSTER_MIN_SIZE = ConfigOption.positiveInt("cluster.min-size", "2",
      "graph: smaller components get the noise label -1");
  public static final ConfigOption<Integer> CLUSTER_MAX_SIZE = ConfigOption.nonNegativeInt("cluster.max-size", "2000",
      "graph: larger components are cut again at a higher threshold (0 = no limit); components holding two faces "
      + "of one photo always are");
  public static final ConfigOption<KnnIndex> CLUSTER_INDEX = ConfigOption.choice("cluster.index", KnnIndex.class,
      "auto", "graph: kNN search; auto = exact up to cluster.exact-limit faces, ivf (KMeans cells) above");
  public static final ConfigOption<Long> EXACT_LIMIT = ConfigOption.positiveLong("cluster.exact-limit", "50000",
      "graph: the most faces searched exactly (all pairs) when cluster.index is auto");
  public static final ConfigOption<Integer> IVF_CELL_SIZE = ConfigOption.positiveInt("cluster.ivf-cell-size",
      "1000", "graph, ivf: faces per KMeans cell (cells = faces / this)");
  public static final ConfigOption<Integer> IVF_PROBES = ConfigOption.positiveInt("cluster.ivf-probes", "16",
      "graph, ivf: cells searched per face (its nearest ones)");
  public static final ConfigOption<Integer> IVF_TRAIN_SAMPLE = ConfigOption.positiveInt("cluster.ivf-train-sample",
      "300000", "graph, ivf: faces sampled to train the KMeans cells");
  public static final ConfigOption<Double> CLUSTER_THRESHOLD = ConfigOption.cosine("cluster.threshold", null,
      "cosine similarity that links two faces (graph and threshold clustering)")
      .defaultDoc("graph: the embedder spec's embedding.clusterThreshold; threshold: its embedding.threshold");
  public static final ConfigOption<Integer> CLUSTER_MAX_ITER = ConfigOption.positiveInt("cluster.max-iter", "40",
      "maximum iterations of kmeans / bisecting and of the connected-components passes");
  public static final ConfigOption<Integer> CLUSTER_SEED = ConfigOption.positiveInt("cluster.seed", "42",
      "random seed of kmeans / bisecting");
  public static final ConfigOption<Integer> MIN_FACE_SIZE = ConfigOption.positiveInt("cluster.min-face-size", "32",
      "quality gate: faces whose box is smaller than this many pixels (short side) keep their row but join no "
      + "cluster (cluster_id -1)");
  public static final ConfigOption<Double> MIN_SCORE = ConfigOption.unitInterval("cluster.min-score", "0.7",
      "quality gate: faces with a lower detector score keep their row but join no cluster (cluster_id -1)");
  public static final ConfigOption<Double> MAX_ERROR_FRACTION = ConfigOption.unitInterval("max-error-fraction", "0.5",
      "the run fails (exit 1, no commit marker) when more than this share of its files has status error "
      + "(known files count on neither side); the images table is written first, to show why; 1 never fails");
  public static final ConfigOption<Integer> CHUNK_IMAGES = ConfigOption.positiveInt("chunk-images", "10000",
      "images per committed chunk of extraction (about: membership is a hash of the path); --resume redoes only "
      + "the chunks not committed, so a killed run loses at most the chunks in flight; larger chunks keep the "
      + "executors busier (each chunk ends with a straggler tail)");
  public static final ConfigOption<Boolean> RESUME = ConfigOption.bool("resume", "false",
      "true: a rerun of the same --run-id keeps the extraction chunks its killed predecessor committed (same "
      + "input and chunk-images); false: it starts clean");
  public static final ConfigOption<String> LIBRARY = ConfigOption.string("library", null,
      "person library (local, hdfs:// or s3a://): Delta tables of persons that last across runs; the run matches "
      + "its new faces to the library's persons, makes new persons of the rest, skips images already in it")
      .defaultDoc("none (each run clusters only its own faces)");
  public static final ConfigOption<Boolean> LIBRARY_UNLOCK = ConfigOption.bool("library.unlock", "false",
      "true: remove the library's lock left by a killed run before starting (its holder is logged); a lock held "
      + "by a run with the same --run-id is taken over without it");
  public static final ConfigOption<String> EXTENSIONS = ConfigOption.string("input.extensions",
      "jpg,jpeg,png,bmp,webp,tif,tiff", "file extensions read, comma-separated, case-insensitive; * = all files");
  public static final ConfigOption<Boolean> INPUT_MANIFEST = ConfigOption.bool("input.manifest", "false",
      "--input is a manifest: one line per image, or per box, `path` or `path<TAB>x1<TAB>y1<TAB>x2<TAB>y2` "
      + "(relative paths against the manifest's folder); boxes are the person crops in --mode person");
  public static final ConfigOption<Double> PROGRESS_INTERVAL = ConfigOption.positiveDouble(
      "progress.interval-seconds", "30", "seconds between the progress lines the driver logs (INFO, io.facecluster): "
      + "stage, images, faces, rate, ETA, Spark tasks");
  public static final ConfigOption<Integer> IMAGES_PER_PARTITION = ConfigOption.positiveInt(
      "input.images-per-partition", "64", "images per Spark partition (partitions are sized by count, not bytes)");
  public static final ConfigOption<Long> MAX_PIXELS = ConfigOption.positiveLong("image.max-pixels", "100000000",
      "larger JPEGs are decoded at 1/2, 1/4 or 1/8 scale; other larger images get status error");
  public static final ConfigOption<String> MODELS_DIR = ConfigOption.string("models.dir", defaultModelsDir(),
      "directory of model specs (*.json) and model files").defaultDoc("$FACECLUSTER_HOME/models, else ./models");
  public static final ConfigOption<String> MODELS_PATH = ConfigOption.string("models.path", null,
      "more folders, comma-separated, searched for model files that are not beside their spec (the files the "
      + "project does not ship, e.g. ../shared/models)").defaultDoc("none");
  public static final ConfigOption<String> DETECTOR = ConfigOption.string("detector", "retinaface-mnet025",
      "face detector: a spec name in models.dir or a path to a spec file (`submit.sh models` lists them)");
  public static final ConfigOption<String> DETECTOR_FILE = ConfigOption.string("detector.file", null,
      "the detector's ONNX file, instead of the one its spec names (a user's copy, e.g. RetinaFace-R50)")
      .defaultDoc("the spec's file");
  public static final ConfigOption<String> LANDMARKS = ConfigOption.string("landmarks", "none",
      "landmark refiner run on each detection, replacing the detector's 5 points: a spec name or path, or none");
  public static final ConfigOption<String> LANDMARKS_FILE = ConfigOption.string("landmarks.file", null,
      "the landmark refiner's ONNX file, instead of the one its spec names").defaultDoc("the spec's file");
  public static final ConfigOption<Mode> MODE = ConfigOption.choice("mode", Mode.class, "face",
      "face: detect, align and embed the faces of each image; person: each image is one person crop, embedded "
      + "whole by a person re-identification model (faces table = persons)");
  public static final ConfigOption<String> EMBEDDER = ConfigOption.string("embedder", null,
      "face embedder (person embedder with --mode person): a spec name in models.dir or a path to a spec file")
      .defaultDoc("face-reidentification-retail-0095; person-reidentification-retail-0031 with --mode person");
  public static final ConfigOption<String> EMBEDDER_FILE = ConfigOption.string("embedder.file", null,
      "the embedder's ONNX file, instead of the one its spec names (a user's copy, e.g. FaceNet)")
      .defaultDoc("the spec's file");
  public static final ConfigOption<Integer> DETECT_LONG_SIDE = ConfigOption.positiveInt("detect.long-side", "640",
      "images are letterboxed so that their long side is this many pixels before detection");
  public static final ConfigOption<Integer> DETECT_SECOND_PASS = ConfigOption.nonNegativeInt(
      "detect.second-pass-long-side", "0", "a second detection pass at this long side (e.g. 1280, for crowd photos "
      + "with small faces), merged with the first by NMS; 0 = off");
  public static final ConfigOption<Double> DETECT_SCORE = ConfigOption.unitInterval("detect.score", null,
      "minimum face score").defaultDoc("the detector spec's thresholds.score");
  public static final ConfigOption<Double> DETECT_NMS = ConfigOption.unitInterval("detect.nms", null,
      "NMS IoU threshold").defaultDoc("the detector spec's thresholds.nms");
  public static final ConfigOption<Integer> EMBED_BATCH = ConfigOption.positiveInt("embed.batch-size", "32",
      "aligned faces per embedder run");
  public static final ConfigOption<Boolean> EMBED_FLIP = ConfigOption.bool("flip", "false",
      "embed each face and its mirror image, sum and L2-normalise (the LFW flip test)");
  public static final ConfigOption<String> MASTER = ConfigOption.string("spark.master", null,
      "Spark master when no spark-submit set one").defaultDoc("local[*] (embedded mode)");

  /** Options of the per-partition pipeline and the models: shared by every command that embeds faces. */
  public static final List<ConfigOption<?>> PIPELINE = List.of(MODE, IMAGES_PER_PARTITION, MAX_PIXELS, MODELS_DIR,
      MODELS_PATH, DETECTOR, DETECTOR_FILE, LANDMARKS, LANDMARKS_FILE, EMBEDDER, EMBEDDER_FILE, DETECT_LONG_SIDE,
      DETECT_SECOND_PASS, DETECT_SCORE, DETECT_NMS, EMBED_BATCH, EMBED_FLIP, MASTER);

  public static final List<ConfigOption<?>> ALL = concat(List.of(INPUT, OUTPUT, RUN_ID, K, CLUSTER,
      CLUSTER_THRESHOLD, CLUSTER_KNN, CLUSTER_MUTUAL, ONE_WAY_MARGIN, CLUSTER_MIN_SIZE, CLUSTER_MAX_SIZE, CLUSTER_INDEX, EXACT_LIMIT,
      IVF_CELL_SIZE, IVF_PROBES, IVF_TRAIN_SAMPLE, CLUSTER_MAX_ITER, CLUSTER_SEED, MIN_FACE_SIZE,
      MIN_SCORE, LIBRARY, LIBRARY_UNLOCK, EXTENSIONS, INPUT_MANIFEST, PROGRESS_INTERVAL, MAX_ERROR_FRACTION,
      CHUNK_IMAGES, RESUME), PIPELINE);

  /** `recluster --library PATH`: the library, the run id, the graph's settings, where the embedder's spec is. */
  public static final List<ConfigOption<?>> RECLUSTER = List.of(LIBRARY, RUN_ID, LIBRARY_UNLOCK, CLUSTER_THRESHOLD,
      CLUSTER_KNN, CLUSTER_MUTUAL, ONE_WAY_MARGIN, CLUSTER_MIN_SIZE, CLUSTER_MAX_SIZE, CLUSTER_INDEX, EXACT_LIMIT,
      IVF_CELL_SIZE, IVF_PROBES, IVF_TRAIN_SAMPLE, CLUSTER_MAX_ITER, CLUSTER_SEED, MODELS_DIR, MASTER);

  public static List<ConfigOption<?>> concat(List<ConfigOption<?>> a, List<ConfigOption<?>> b) {
    List<ConfigOption<?>> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  static String defaultModelsDir() {
    String home = System.getenv("FACECLUSTER_HOME");
    return home == null || home.isBlank() ? "models" : home + "/models";
  }

  public static String newRunId() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
  }
}
