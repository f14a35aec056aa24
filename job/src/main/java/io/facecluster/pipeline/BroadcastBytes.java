package io.facecluster.pipeline;

import io.facecluster.models.OrtSessions.ModelBytes;
import org.apache.spark.broadcast.Broadcast;

/** Model bytes shipped once per executor by a Spark broadcast, read only when a session must be created. */
public final class BroadcastBytes implements ModelBytes {
  private final Broadcast<byte[]> bytes;

  public BroadcastBytes(Broadcast<byte[]> bytes) {
    this.bytes = bytes;
  }

  @Override
  public byte[] get() {
    return bytes.value();
  }
}
