package io.facecluster.pipeline;

import io.facecluster.models.ModelSpec;
import io.facecluster.models.OrtSessions.ModelBytes;
import java.io.Serializable;

/**
 * The specs of one pipeline and their model bytes (broadcast): detector, optional landmark refiner (null when
 * off) and embedder. Shipped with every task; the bytes are read only where a session is created.
 */
public record ModelSet(ModelSpec detector, ModelBytes detectorBytes, ModelSpec landmarks, ModelBytes landmarksBytes,
    ModelSpec embedder, ModelBytes embedderBytes) implements Serializable {}
