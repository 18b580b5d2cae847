package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Buffers along a position axis that grow by copying what is cached into larger ones. */
final class GrowingBuffers {
    private GrowingBuffers() {}

    /**
     * A zeroed buffer of {@code shape} in {@code manager} holding the first {@code length}
     * positions of {@code old} (which it closes; null for the first one).
     */
    static NDArray regrow(NDManager manager, NDArray old, Shape shape, int positionAxis, int length) {
        NDArray grown = manager.zeros(shape, DataType.FLOAT32);
        NDScope.unregister(grown); // owned by the cache, whatever scope is open
        if (old != null && length > 0) {
            NDIndex cached = positionAxis == 1 ? new NDIndex(":, :{}, :", length) : new NDIndex(":{}", length);
            NDArray rows = old.get(manager, cached);
            grown.set(cached, rows);
            rows.close();
        }
        if (old != null) {
            old.close();
        }
        return grown;
    }
}
