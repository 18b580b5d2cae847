package dev.logitscope.model.gptneo;

import java.util.Arrays;

/**
 * Additive attention masks (0 = visible, −∞ = hidden) for queries laid out as continuations after
 * {@code past} cached positions; a plain prompt is one continuation. Query i of a continuation sits
 * at position past + i and sees key position j when j is cached or in its own continuation, j ≤
 * past + i, and — in a local layer — past + i − j < window. That is transformers' local mask:
 * {@code bias ^ tril(bias, -window_size)} keeps i − window_size < j ≤ i, the query's own position
 * and the window_size − 1 before it.
 */
final class AttentionMask {
    /** The window of a global layer: no limit. */
    static final int UNLIMITED = Integer.MAX_VALUE;

    private AttentionMask() {}

    /** Whether a mask hides anything: more than one new row, or a key outside the window. */
    static boolean needed(int[] lengths, int past, int window) {
        int longest = Arrays.stream(lengths).max().orElse(0);
        boolean causalMatters = lengths.length > 1 || longest > 1;
        return causalMatters || (long) past + longest > window;
    }

    /** The [T, past + T] mask, row-major, T = the sum of {@code lengths}. */
    static float[] build(int[] lengths, int past, int window) {
        int t = Arrays.stream(lengths).sum();
        int keys = past + t;
        float[] mask = new float[Math.multiplyExact(t, keys)];
        Arrays.fill(mask, Float.NEGATIVE_INFINITY);
        int start = 0;
        for (int length : lengths) {
            for (int i = 0; i < length; i++) {
                long position = (long) past + i;
                int row = (start + i) * keys;
                // Cached keys 0..past-1 that lie in the window: j > position - window.
                int firstCached = (int) Math.max(0, position - window + 1);
                if (firstCached < past) {
                    Arrays.fill(mask, row + firstCached, row + past, 0f);
                }
                // Keys of the same continuation up to the query itself, within the window.
                int firstOwn = (int) Math.max(0, i - (long) window + 1);
                Arrays.fill(mask, row + past + start + firstOwn, row + past + start + i + 1, 0f);
            }
            start += length;
        }
        return mask;
    }
}
