package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a forward pass leaves behind for the next one: per block the attention keys and values,
 * and per layer 0..L the residual stream, for every position run so far. Appended tokens then
 * run through the blocks alone, and the lens can read any earlier position without a rerun.
 *
 * <p>Buffers are preallocated and grown by doubling, and new positions are written in place, so
 * one typed token copies only its own rows (concatenating would copy the whole cache per token).
 * Holds the token ids it was built from: a caller finds the longest common prefix with a new
 * prompt and {@link #truncate}s to it, which costs nothing.
 *
 * <p>Owned by the model thread; close it to free its memory.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final int nHead;
    private final int headDim;
    private final int nEmbd;
    private final int maxPositions;
    private final List<NDArray> keys = new ArrayList<>();      // per block: [H, capacity, hd]
    private final List<NDArray> values = new ArrayList<>();    // per block: [H, capacity, hd]
    private final List<NDArray> residuals = new ArrayList<>(); // per layer 0..L: [capacity, C]
    private int capacity;
    private int[] tokenIds = new int[0];

    KvCache(NDManager manager, Gpt2Config config) {
        this.manager = manager;
        this.nHead = config.nHead();
        this.headDim = config.headDim();
        this.nEmbd = config.nEmbd();
        this.maxPositions = config.nPositions();
        for (int i = 0; i < config.nLayer(); i++) {
            keys.add(null);
            values.add(null);
        }
        for (int i = 0; i <= config.nLayer(); i++) {
            residuals.add(null);
        }
    }

    /** Number of cached positions. */
    public int length() {
        return tokenIds.length;
    }

    public int[] tokenIds() {
        return tokenIds.clone();
    }

    /** Length of the longest common prefix of the cached tokens and {@code ids}. */
    public int commonPrefix(int[] ids) {
        int n = Math.min(ids.length, tokenIds.length);
        int i = 0;
        while (i < n && ids[i] == tokenIds[i]) {
            i++;
        }
        return i;
    }

    /** Forgets every position from {@code length} on (the buffers are kept for reuse). */
    public void truncate(int length) {
        if (length < 0 || length > this.length()) {
            throw new IllegalArgumentException("cannot truncate a cache of " + length() + " positions to " + length);
        }
        tokenIds = Arrays.copyOf(tokenIds, length);
    }

    public void clear() {
        truncate(0);
    }

    /** Bytes held by the cache's buffers. */
    public long bytes() {
        long perPosition = 4L * (2L * keys.size() * nHead * headDim + (long) residuals.size() * nEmbd);
        return perPosition * capacity;
    }

    /**
     * Rows {@code from .. to-1} of layer {@code layer}'s residual stream, as a view in
     * {@code target} ([to - from, C]). Valid until the next forward pass or truncation.
     */
    public NDArray residualRows(int layer, int from, int to, NDManager target) {
        if (from < 0 || to > length() || from >= to) {
            throw new IllegalArgumentException("positions " + from + ".." + to + " are not all cached (" + length() + ")");
        }
        return residuals.get(layer).get(target, new NDIndex("{}:{}", from, to));
    }

    /** Makes room for {@code positions} positions, copying what is cached into larger buffers. */
    void ensureCapacity(int positions) {
        if (positions <= capacity) {
            return;
        }
        int grown = Math.min(maxPositions, Math.max(positions, Math.max(16, 2 * capacity)));
        for (int i = 0; i < keys.size(); i++) {
            keys.set(i, regrow(keys.get(i), new Shape(nHead, grown, headDim), 1));
            values.set(i, regrow(values.get(i), new Shape(nHead, grown, headDim), 1));
        }
        for (int i = 0; i < residuals.size(); i++) {
            residuals.set(i, regrow(residuals.get(i), new Shape(grown, nEmbd), 0));
        }
        capacity = grown;
    }

    private NDArray regrow(NDArray old, Shape shape, int positionAxis) {
        NDArray grown = manager.zeros(shape, DataType.FLOAT32);
        NDScope.unregister(grown); // owned by the cache, whatever scope is open
        if (old != null && length() > 0) {
            NDIndex cached = positionAxis == 1 ? new NDIndex(":, :{}, :", length()) : new NDIndex(":{}", length());
            NDArray rows = old.get(manager, cached);
            grown.set(cached, rows);
            rows.close();
        }
        if (old != null) {
            old.close();
        }
        return grown;
    }

    /** Writes block {@code block}'s keys and values ([H, t, hd]) at positions {@code at ..}. */
    void writeKeysValues(int block, int at, NDArray newKeys, NDArray newValues) {
        long t = newKeys.getShape().get(1);
        NDIndex rows = positions(at, at + t);
        keys.get(block).set(rows, newKeys);
        values.get(block).set(rows, newValues);
    }

    /** Keys of positions 0 .. total-1 as a view in {@code target}: [H, total, hd]. */
    NDArray keys(int block, int total, NDManager target) {
        return keys.get(block).get(target, positions(0, total));
    }

    /** Values of positions 0 .. total-1 as a view in {@code target}: [H, total, hd]. */
    NDArray values(int block, int total, NDManager target) {
        return values.get(block).get(target, positions(0, total));
    }

    /** Writes layer {@code layer}'s residual rows ([t, C]) at positions {@code at ..}. */
    void writeResidual(int layer, int at, NDArray rows) {
        long t = rows.getShape().get(0);
        residuals.get(layer).set(new NDIndex().addSliceDim(at, at + t), rows);
    }

    /**
     * [:, from:to, :] — built, not parsed: string indices are parsed on every call, and these
     * run several times per block per typed token.
     */
    private static NDIndex positions(long from, long to) {
        return new NDIndex().addAllDim().addSliceDim(from, to).addAllDim();
    }

    void appendTokens(int[] newIds) {
        int[] all = Arrays.copyOf(tokenIds, tokenIds.length + newIds.length);
        System.arraycopy(newIds, 0, all, tokenIds.length, newIds.length);
        tokenIds = all;
    }

    @Override
    public void close() {
        manager.close();
        keys.clear();
        values.clear();
        residuals.clear();
    }
}
