package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keys and values of the positions already run, per block, so that appended tokens run through
 * the blocks alone. Holds the token ids it was built from, so a caller can find the longest
 * common prefix with a new prompt and {@link #truncate} to it (an edit in the middle of a review
 * only recomputes from the edit on).
 *
 * <p>Owned by the model thread; close it to free its memory.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final List<NDArray> keys = new ArrayList<>();   // per block: [H, T, hd]
    private final List<NDArray> values = new ArrayList<>(); // per block: [H, T, hd]
    private int[] tokenIds = new int[0];

    KvCache(NDManager manager, int nLayer) {
        this.manager = manager;
        for (int i = 0; i < nLayer; i++) {
            keys.add(null);
            values.add(null);
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

    /** Forgets every position from {@code length} on. */
    public void truncate(int length) {
        if (length < 0 || length > this.length()) {
            throw new IllegalArgumentException("cannot truncate a cache of " + length() + " positions to " + length);
        }
        if (length == this.length()) {
            return;
        }
        for (int i = 0; i < keys.size(); i++) {
            keys.set(i, shorten(keys.get(i), length));
            values.set(i, shorten(values.get(i), length));
        }
        tokenIds = Arrays.copyOf(tokenIds, length);
    }

    private NDArray shorten(NDArray cached, int length) {
        if (cached == null) {
            return null;
        }
        if (length == 0) {
            cached.close();
            return null;
        }
        NDArray view = cached.get(manager, new NDIndex(":, :{}, :", length)); // [H, length, hd]
        NDArray kept = view.duplicate(); // a copy, so the longer storage can be freed
        view.close();
        cached.close();
        return kept;
    }

    public void clear() {
        truncate(0);
    }

    NDArray keys(int block) {
        return keys.get(block);
    }

    NDArray values(int block) {
        return values.get(block);
    }

    /** Replaces block {@code block}'s keys and values with arrays covering all positions so far. */
    void update(int block, NDArray allKeys, NDArray allValues) {
        replace(keys, block, allKeys);
        replace(values, block, allValues);
    }

    private void replace(List<NDArray> list, int block, NDArray array) {
        NDArray old = list.get(block);
        ResidualListener.keep(array, manager);
        list.set(block, array);
        if (old != null && old != array) {
            old.close();
        }
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
    }
}
