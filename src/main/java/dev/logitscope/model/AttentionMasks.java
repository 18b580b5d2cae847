package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Additive attention masks, row-major [T, past + T]: 0 where a query may see a key, −∞ elsewhere.
 * Shared by the families whose every layer attends causally to all earlier positions (GPT-2, OPT);
 * GPT-Neo's local layers need windows and build their own.
 */
public final class AttentionMasks {
    private AttentionMasks() {}

    /**
     * The mask of a pass over continuations of {@code lengths} tokens after {@code past} cached
     * positions, as an [T, past + T] array in {@code scratch}; null when one new token may see
     * every position (the typing path runs this often, and adding zeros would change nothing).
     */
    public static NDArray forPass(NDManager scratch, int[] lengths, int past) {
        int t = Arrays.stream(lengths).sum();
        if (lengths.length == 1 && t == 1) {
            return null;
        }
        float[] mask = lengths.length == 1 ? causal(t, past) : branches(lengths, past);
        return scratch.create(mask, new Shape(t, past + t));
    }

    /** Query i (absolute position past + i) sees keys 0 .. past + i. */
    public static float[] causal(int t, int past) {
        int keys = past + t;
        float[] mask = new float[t * keys];
        for (int i = 0; i < t; i++) {
            Arrays.fill(mask, i * keys + past + i + 1, (i + 1) * keys, Float.NEGATIVE_INFINITY);
        }
        return mask;
    }

    /**
     * For continuations laid side by side after {@code past} cached positions: each query sees the
     * whole prefix and its own continuation up to itself, never another one.
     */
    public static float[] branches(int[] lengths, int past) {
        int t = Arrays.stream(lengths).sum();
        int keys = past + t;
        float[] mask = new float[t * keys];
        Arrays.fill(mask, Float.NEGATIVE_INFINITY);
        int start = 0;
        for (int length : lengths) {
            for (int i = 0; i < length; i++) {
                int row = (start + i) * keys;
                Arrays.fill(mask, row, row + past, 0f);
                Arrays.fill(mask, row + past + start, row + past + start + i + 1, 0f);
            }
            start += length;
        }
        return mask;
    }
}
