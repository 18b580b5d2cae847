package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The attention state of a KV cache: per block the keys and values of every cached position,
 * [H, capacity, hd] each. What a family's attention reads back; the lens never looks at it.
 */
public final class KeyValues {
    private final int nHead;
    private final int headDim;
    private final List<NDArray> keys = new ArrayList<>();
    private final List<NDArray> values = new ArrayList<>();

    KeyValues(int blocks, int nHead, int headDim) {
        this.nHead = nHead;
        this.headDim = headDim;
        for (int i = 0; i < blocks; i++) {
            keys.add(null);
            values.add(null);
        }
    }

    long bytesPerPosition() {
        return 4L * 2L * keys.size() * nHead * headDim;
    }

    void regrow(NDManager manager, int capacity, int length) {
        Shape shape = new Shape(nHead, capacity, headDim);
        for (int i = 0; i < keys.size(); i++) {
            keys.set(i, GrowingBuffers.regrow(manager, keys.get(i), shape, 1, length));
            values.set(i, GrowingBuffers.regrow(manager, values.get(i), shape, 1, length));
        }
    }

    /** Writes block {@code block}'s keys and values ([H, t, hd]) at positions {@code at ..}. */
    public void write(int block, int at, NDArray newKeys, NDArray newValues) {
        long t = newKeys.getShape().get(1);
        NDIndex rows = positions(at, at + t);
        keys.get(block).set(rows, newKeys);
        values.get(block).set(rows, newValues);
    }

    /** Keys of positions 0 .. total-1 as a view in {@code target}: [H, total, hd]. */
    public NDArray keys(int block, int total, NDManager target) {
        return keys.get(block).get(target, positions(0, total));
    }

    /** Values of positions 0 .. total-1 as a view in {@code target}: [H, total, hd]. */
    public NDArray values(int block, int total, NDManager target) {
        return values.get(block).get(target, positions(0, total));
    }

    /**
     * [:, from:to, :] — built, not parsed: string indices are parsed on every call, and these
     * run several times per block per typed token.
     */
    private static NDIndex positions(long from, long to) {
        return new NDIndex().addAllDim().addSliceDim(from, to).addAllDim();
    }

    void clear() {
        keys.clear();
        values.clear();
    }
}
