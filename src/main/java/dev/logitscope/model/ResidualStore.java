package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The residual stream of every cached position at every layer 0..L, [capacity, C] each: what
 * the lens reads again without a rerun. Family-neutral, unlike the attention state beside it.
 */
public final class ResidualStore {
    private final int nEmbd;
    private final List<NDArray> layers = new ArrayList<>();

    ResidualStore(int layerCount, int nEmbd) {
        this.nEmbd = nEmbd;
        for (int i = 0; i < layerCount; i++) {
            layers.add(null);
        }
    }

    long bytesPerPosition() {
        return 4L * layers.size() * nEmbd;
    }

    void regrow(NDManager manager, int capacity, int length) {
        for (int i = 0; i < layers.size(); i++) {
            layers.set(i, GrowingBuffers.regrow(manager, layers.get(i), new Shape(capacity, nEmbd), 0, length));
        }
    }

    /** Writes layer {@code layer}'s residual rows ([t, C]) at positions {@code at ..}. */
    public void write(int layer, int at, NDArray rows) {
        long t = rows.getShape().get(0);
        layers.get(layer).set(new NDIndex().addSliceDim(at, at + t), rows);
    }

    /** Rows {@code from .. to-1} of layer {@code layer} as a view in {@code target}. */
    NDArray rows(int layer, int from, int to, NDManager target) {
        return layers.get(layer).get(target, new NDIndex("{}:{}", from, to));
    }

    void clear() {
        layers.clear();
    }
}
