package io.facecluster.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session per model per JVM, shared by every task of an executor. ORT sessions are safe for
 * concurrent run() calls, so tasks never wait for each other here; each session uses `threads` intra-op
 * threads (= spark.task.cpus) so that concurrent tasks do not oversubscribe the cores. Sessions are created
 * lazily on first use and closed by a shutdown hook when the JVM exits. Every run goes through
 * {@link #run}, which holds a shared lock: the hook closes the sessions only when no run is in flight (a JVM
 * stopped by SIGTERM mid-partition otherwise frees a session under a running native call and crashes).
 */
public final class OrtSessions {
  private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);
  private static final Map<String, OrtSession> SESSIONS = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> CREATED_BY_MODEL = new ConcurrentHashMap<>();
  private static final ReentrantReadWriteLock IN_USE = new ReentrantReadWriteLock();
  private static volatile boolean closing;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(OrtSessions::closeAll, "ort-sessions-close"));
  }

  /** Where a model's bytes come from on an executor (a Spark broadcast in the job; a file in tests). */
  public interface ModelBytes extends Supplier<byte[]>, Serializable {}

  private OrtSessions() {}

  /**
   * The session for this spec and thread count, created on first call; bytes are only read then, and
   * `onCreate` runs only in the call that created it (a task counts the sessions it had to load).
   */
  public static OrtSession get(ModelSpec spec, ModelBytes bytes, int threads, Runnable onCreate) {
    String key = modelKey(spec) + "/" + threads;
    return SESSIONS.computeIfAbsent(key, k -> {
      OrtSession s = create(spec, bytes.get(), threads);
      CREATED_BY_MODEL.computeIfAbsent(modelKey(spec), m -> new AtomicInteger()).incrementAndGet();
      onCreate.run();
      return s;
    });
  }

  /** Runs a session (the caller closes the result); refused once the JVM has begun to shut down. */
  public static OrtSession.Result run(OrtSession session, Map<String, OnnxTensor> inputs) throws OrtException {
    IN_USE.readLock().lock();
    try {
      if (closing) {
        throw new ModelException("ONNX Runtime sessions are closed: the JVM is shutting down");
      }
      return session.run(inputs);
    } finally {
      IN_USE.readLock().unlock();
    }
  }

  /** The same, writing the outputs into `pinned` tensors of the caller (see {@link PinnedOutputs}). */
  public static OrtSession.Result run(OrtSession session, Map<String, OnnxTensor> inputs,
      Map<String, OnnxTensor> pinned) throws OrtException {
    IN_USE.readLock().lock();
    try {
      if (closing) {
        throw new ModelException("ONNX Runtime sessions are closed: the JVM is shutting down");
      }
      return session.run(inputs, pinned);
    } finally {
      IN_USE.readLock().unlock();
    }
  }

  /** Sessions created in this JVM for one model file (by sha256), whatever the thread count. */
  public static int createdFor(ModelSpec spec) {
    AtomicInteger n = CREATED_BY_MODEL.get(modelKey(spec));
    return n == null ? 0 : n.get();
  }

  /** A model is its verified file content; a user-supplied file without sha256 in its spec is its path. */
  private static String modelKey(ModelSpec spec) {
    return spec.unverified() ? "file:" + spec.file() : spec.sha256();
  }

  public static OrtEnvironment env() {
    return OrtEnvironment.getEnvironment();
  }

  private static OrtSession create(ModelSpec spec, byte[] bytes, int threads) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      OrtSession session = env().createSession(bytes, options);
      LOG.info("ONNX Runtime session for model '{}' created with {} intra-op thread(s)", spec.name(), threads);
      return session;
    } catch (OrtException e) {
      throw new ModelException("Model '" + spec.name() + "': ONNX Runtime cannot load it: " + e.getMessage(), e);
    }
  }

  private static void closeAll() {
    closing = true;
    try {
      // Runs in flight finish first; if one is stuck the process exits without closing (the OS frees it all).
      if (!IN_USE.writeLock().tryLock(10, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    SESSIONS.values().forEach(s -> {
      try {
        s.close();
      } catch (OrtException | RuntimeException e) {
        // JVM is exiting; nothing more to do than not mask other hooks.
      }
    });
    SESSIONS.clear();
  }
}
