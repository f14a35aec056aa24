package io.facecluster;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of the ONNX protobuf format to write tiny models in tests (a model whose outputs a test can
 * predict: constant landmarks, a graph that fails at run time). Real files run by the real ONNX Runtime; the
 * project ships no protobuf classes for ONNX, so the few fields are encoded by hand.
 */
public final class TinyOnnx {
  /** ONNX element types. */
  public static final int FLOAT = 1;
  public static final int INT64 = 7;
  public static final int BOOL = 9;

  private TinyOnnx() {}

  /** A model (IR 7, default opset 13) of one graph. */
  public static byte[] model(byte[] graph) {
    return new Msg().varint(1, 7).string(2, "facecluster test").msg(7, graph)
        .msg(8, new Msg().string(1, "").varint(2, 13).done()).done();
  }

  public static byte[] node(String op, String[] inputs, String output, byte[]... attributes) {
    Msg m = new Msg();
    for (String in : inputs) {
      m.string(1, in);
    }
    m.string(2, output).string(3, op + "_" + output).string(4, op);
    for (byte[] a : attributes) {
      m.msg(5, a);
    }
    return m.done();
  }

  /** An attribute of type INTS. */
  public static byte[] ints(String name, long... values) {
    return new Msg().string(1, name).ints(8, values).varint(20, 7).done();
  }

  /** An attribute of type INT. */
  public static byte[] integer(String name, long value) {
    return new Msg().string(1, name).varint(3, value).varint(20, 2).done();
  }

  /** A float initializer (a constant tensor of the graph). */
  public static byte[] floats(String name, long[] dims, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      raw.putFloat(v);
    }
    return new Msg().ints(1, dims).varint(2, FLOAT).string(8, name).bytes(9, raw.array()).done();
  }

  /** An int64 initializer. */
  public static byte[] longs(String name, long[] dims, long[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    return new Msg().ints(1, dims).varint(2, INT64).string(8, name).bytes(9, raw.array()).done();
  }

  /** A tensor value: element type, then dims (a String is a symbolic dim); no dims = a scalar. */
  public static byte[] valueInfo(String name, int elemType, Object... dims) {
    Msg shape = new Msg();
    for (Object d : dims) {
      shape.msg(1, d instanceof String s ? new Msg().string(2, s).done()
          : new Msg().varint(1, ((Integer) d).longValue()).done());
    }
    byte[] tensor = new Msg().varint(1, elemType).msg(2, shape.done()).done();
    return new Msg().string(1, name).msg(2, new Msg().msg(1, tensor).done()).done();
  }

  /** Varints and length-delimited fields of the protobuf wire format. */
  public static final class Msg {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Msg varint(int field, long v) {
      raw((long) field << 3);
      raw(v);
      return this;
    }

    public Msg ints(int field, long... values) {
      for (long v : values) {
        varint(field, v);
      }
      return this;
    }

    public Msg bytes(int field, byte[] b) {
      raw((long) field << 3 | 2);
      raw(b.length);
      out.writeBytes(b);
      return this;
    }

    public Msg string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    public Msg msg(int field, byte[] m) {
      return bytes(field, m);
    }

    public byte[] done() {
      return out.toByteArray();
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) (v & 0x7F) | 0x80);
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
