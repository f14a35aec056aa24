package io.facecluster.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place that feeds and fetches a model (the detector, the landmark refiner, the embedder and the bench's
 * bare loop all run through it): the caller writes the input into {@link #input}'s direct buffer (no Java
 * array, no copy), {@link #run} adds the spec's constant inputs, runs the JVM-wide session through
 * {@link OrtSessions#run} (the lock that keeps the shutdown hook from closing a session mid-run) into
 * {@link PinnedOutputs}, and {@link #values} reads a named output. Every ONNX Runtime failure and every missing
 * output comes out as a {@link ModelRunException} naming the model: a model fault, never a bad image.
 *
 * <p>One instance per model per task (the session is shared; buffers and outputs are this instance's and reused
 * run after run, so not thread-safe). {@link #close} frees the pinned outputs and the constant tensors.
 */
public final class OrtModel implements AutoCloseable {
  private final ModelSpec spec;
  private final OrtSession session;
  private final TensorBuffer input = new TensorBuffer();
  private final PinnedOutputs outputs = new PinnedOutputs();
  private final Constants constants;
  private long runNanos;

  public OrtModel(ModelSpec spec, OrtSession session) {
    this.spec = spec;
    this.session = session;
    try {
      this.constants = Constants.of(spec);
    } catch (OrtException e) {
      throw new ModelRunException(spec.name(), "cannot make its constant inputs: " + e.getMessage(), e);
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  public OrtSession session() {
    return session;
  }

  /** Nanoseconds spent in this instance's runs (the session run and reading its outputs into our buffers). */
  public long runNanos() {
    return runNanos;
  }

  /**
   * The buffer of the main input for a tensor of `shape` (direct, native order, position 0, grown when needed):
   * write the values there, then {@link #run} with the same shape.
   */
  public ByteBuffer input(long[] shape) {
    return input.bytes(count(shape));
  }

  /** Runs the model on the input written for `shape` plus the spec's constants; {@link #values} reads it. */
  public void run(long[] shape) {
    int n = count(shape);
    try (OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.env(), input.floats(n), shape)) {
      Map<String, OnnxTensor> inputs = new HashMap<>(constants.tensors());
      inputs.put(spec.input().name(), tensor);
      long t0 = System.nanoTime();
      outputs.run(session, inputs, shape);
      runNanos += System.nanoTime() - t0;
    } catch (OrtException e) {
      throw new ModelRunException(spec.name(), "ONNX Runtime failed to run it: " + e.getMessage(), e);
    }
  }

  /** The named output of the last run (an array reused from run to run: read it before the next run). */
  public float[] values(String name) {
    try {
      return outputs.values(name);
    } catch (IllegalStateException e) {
      throw missing(name, e);
    }
  }

  /** The named output's shape in the last run. */
  public long[] shape(String name) {
    try {
      return outputs.shape(name);
    } catch (IllegalStateException e) {
      throw missing(name, e);
    }
  }

  /** The output that the spec maps to `role` (e.g. "embedding", "landmarks"). */
  public float[] output(String role) {
    return values(spec.output(role));
  }

  private ModelRunException missing(String name, IllegalStateException e) {
    return new ModelRunException(spec.name(), "the model has no output '" + name + "' (its outputs: "
        + String.join(", ", outputNames()) + ")", e);
  }

  private Iterable<String> outputNames() {
    try {
      return session.getOutputNames();
    } catch (RuntimeException e) {
      return java.util.List.of("?");
    }
  }

  private static int count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return Math.toIntExact(n);
  }

  @Override
  public void close() {
    outputs.close();
    constants.close();
  }
}
