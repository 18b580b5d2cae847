package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * What a forward pass leaves behind for the next one, for every position run so far: the token
 * ids, the family's attention state ({@link KeyValues}: per block the keys and values) and the
 * residual stream per layer 0..L ({@link ResidualStore}). Appended tokens then run through the
 * blocks alone, and the lens can read any earlier position without a rerun.
 *
 * <p>Buffers are preallocated and grown by doubling, and new positions are written in place, so
 * one typed token copies only its own rows (concatenating would copy the whole cache per token).
 * A caller finds the longest common prefix of the cached ids with a new prompt and
 * {@link #truncate}s to it, which costs nothing.
 *
 * <p>Owned by the model thread; close it to free its memory.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final int maxPositions;
    private final KeyValues keyValues;
    private final ResidualStore residuals;
    private int capacity;
    private int[] tokenIds = new int[0];

    /**
     * An empty cache for a model of {@code blocks} blocks of {@code nHead} heads of
     * {@code headDim}, residual width {@code nEmbd} and context {@code maxPositions}; it owns
     * {@code manager}. Families create it in {@link DecoderModel#newCache()}.
     */
    public KvCache(NDManager manager, int blocks, int nHead, int headDim, int nEmbd, int maxPositions) {
        this.manager = manager;
        this.maxPositions = maxPositions;
        this.keyValues = new KeyValues(blocks, nHead, headDim);
        this.residuals = new ResidualStore(blocks + 1, nEmbd);
    }

    /** The attention state, for the family's attention. */
    public KeyValues keyValues() {
        return keyValues;
    }

    /** The residual stream per layer, written by the family's forward pass. */
    public ResidualStore residuals() {
        return residuals;
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
        return (keyValues.bytesPerPosition() + residuals.bytesPerPosition()) * capacity;
    }

    /**
     * Rows {@code from .. to-1} of layer {@code layer}'s residual stream, as a view in
     * {@code target} ([to - from, C]). Valid until the next forward pass or truncation.
     */
    public NDArray residualRows(int layer, int from, int to, NDManager target) {
        if (from < 0 || to > length() || from >= to) {
            throw new IllegalArgumentException("positions " + from + ".." + to + " are not all cached (" + length() + ")");
        }
        return residuals.rows(layer, from, to, target);
    }

    /** Makes room for {@code positions} positions, copying what is cached into larger buffers. */
    public void ensureCapacity(int positions) {
        if (positions <= capacity) {
            return;
        }
        int grown = Math.min(maxPositions, Math.max(positions, Math.max(16, 2 * capacity)));
        keyValues.regrow(manager, grown, length());
        residuals.regrow(manager, grown, length());
        capacity = grown;
    }

    /** Records that {@code newIds} now follow the cached positions (after their rows were written). */
    public void appendTokens(int[] newIds) {
        int[] all = Arrays.copyOf(tokenIds, tokenIds.length + newIds.length);
        System.arraycopy(newIds, 0, all, tokenIds.length, newIds.length);
        tokenIds = all;
    }

    @Override
    public void close() {
        manager.close();
        keyValues.clear();
        residuals.clear();
    }
}
