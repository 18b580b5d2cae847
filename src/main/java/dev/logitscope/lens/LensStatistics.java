package dev.logitscope.lens;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Turns a chunk of lens logits into {@link PositionReading}s: per row the log-sum-exp, entropy,
 * KL to the final layer, tracked probabilities and ranks, top-k and the next token's
 * log-probability — in two passes over the row, in double precision, rows in parallel.
 *
 * <p>Why by hand rather than with NDArray ops: for the few rows of a typed token (13 for gpt2)
 * the eight libtorch ops this replaces (log-softmax, exp, products, sums, comparisons, top-k)
 * cost ~15 ms on a 2-core machine, each a separate pass over [rows, V] with its own
 * temporaries; the two fused passes here take ~6 ms and read the logits once more, as a Java
 * array (a 2.6 MB copy). The identities used:
 * <pre>
 *   lse      = m + log Σ e_i,            e_i = exp(l_i − m), m = max l
 *   entropy  = lse − Σ e_i·l_i / Σ e_i
 *   KL(f‖r)  = Σ p^f_i (log p^f_i − log p^r_i) = −H(f) − Σ p^f_i·l_i + lse     (Σ p^f = 1)
 *   rank(t)  = #{ i : l_i > l_t }   (compared as logits: float32 probabilities that underflow would tie)
 * </pre>
 */
final class LensStatistics {
    private LensStatistics() {}

    /**
     * Readings of {@code logits} ([tapCount × p, V] row-major, tap-major) at prompt positions
     * {@code position0 .. position0 + p − 1}.
     *
     * @param finalTap   the tap whose distribution is the model's output (KL is measured to it)
     * @param next       per row, the prompt's following token id, or null when not wanted
     * @param promptLength positions at or after {@code promptLength − 1} have no next token
     */
    static List<PositionReading> readings(float[] logits, int vocab, int tapCount, int finalTap, int[] tracked, int topK,
            int position0, int[] next, int promptLength, IntFunction<String> tokenText) {
        int[] positions = IntStream.range(position0, position0 + logits.length / vocab / tapCount).toArray();
        return readings(logits, vocab, tapCount, finalTap, tracked, topK, positions, next, promptLength, tokenText);
    }

    /**
     * The same, for rows at arbitrary {@code positions} (one per row of a tap; the last positions
     * of several prompts read together).
     */
    static List<PositionReading> readings(float[] logits, int vocab, int tapCount, int finalTap, int[] tracked, int topK,
            int[] positions, int[] next, int promptLength, IntFunction<String> tokenText) {
        int n = logits.length / vocab;
        int p = n / tapCount;
        // The final layer's probabilities at each position, needed by every row's KL.
        double[][] finalProbs = new double[p][];
        double[] finalEntropy = new double[p];
        IntStream.range(0, p).parallel().forEach(j -> {
            int row = finalTap * p + j;
            double[] probs = new double[vocab];
            double lse = logSumExp(logits, row * vocab, vocab);
            double total = 0;
            for (int i = 0; i < vocab; i++) {
                probs[i] = expNonPositive((float) (logits[row * vocab + i] - lse));
                total += probs[i];
            }
            // Normalised exactly, so the final row's own KL comes out as lse − lse = 0.
            double entropy = 0;
            for (int i = 0; i < vocab; i++) {
                probs[i] /= total;
                entropy -= probs[i] * (logits[row * vocab + i] - lse);
            }
            finalProbs[j] = probs;
            finalEntropy[j] = entropy;
        });
        PositionReading[] out = new PositionReading[n];
        IntStream.range(0, n).parallel().forEach(row -> {
            int j = row % p;
            int position = positions[j];
            int nextId = next != null && position + 1 < promptLength ? next[row] : -1;
            out[row] = readRow(logits, row * vocab, vocab, position, finalProbs[j], finalEntropy[j], tracked, topK, nextId,
                    tokenText);
        });
        return List.of(out);
    }

    private static PositionReading readRow(float[] logits, int offset, int vocab, int position, double[] finalProbs,
            double finalEntropy, int[] tracked, int topK, int nextId, IntFunction<String> tokenText) {
        int k = tracked.length;
        float[] trackedLogits = new float[k];
        for (int t = 0; t < k; t++) {
            trackedLogits[t] = logits[offset + tracked[t]];
        }
        int[] ranks = new int[k];
        TopK top = new TopK(Math.min(topK, vocab));
        // Pass 1: maximum, ranks of the tracked tokens, top-k candidates.
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float l = logits[offset + i];
            if (l > max) {
                max = l;
            }
            for (int t = 0; t < k; t++) {
                ranks[t] += l > trackedLogits[t] ? 1 : 0; // no branch: the outcome is a coin flip
            }
            top.offer(i, l);
        }
        // Pass 2: the normaliser, the expected logit (entropy) and the final layer's expected logit (KL).
        double sum = 0;
        double weighted = 0;
        double finalWeighted = 0;
        for (int i = 0; i < vocab; i++) {
            float l = logits[offset + i];
            double e = expNonPositive(l - max);
            sum += e;
            weighted += e * l;
            finalWeighted += finalProbs[i] * l;
        }
        double lse = max + Math.log(sum);
        double entropy = lse - weighted / sum;
        double kl = Math.max(0.0, lse - finalEntropy - finalWeighted);
        double[] trackedProbs = new double[k];
        for (int t = 0; t < k; t++) {
            trackedProbs[t] = Math.exp(trackedLogits[t] - lse);
        }
        List<TopToken> topTokens = new ArrayList<>(top.size());
        for (int r = 0; r < top.size(); r++) {
            int id = top.id(r);
            topTokens.add(new TopToken(id, tokenText.apply(id), Math.exp(top.logit(r) - lse)));
        }
        double nextLogProb = nextId < 0 ? Double.NaN : logits[offset + nextId] - lse;
        return new PositionReading(position, trackedProbs, ranks, entropy, kl, topTokens, nextLogProb);
    }

    private static double logSumExp(float[] logits, int offset, int vocab) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            if (logits[offset + i] > max) {
                max = logits[offset + i];
            }
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += expNonPositive(logits[offset + i] - max);
        }
        return max + Math.log(sum);
    }

    /**
     * e^x for x ≤ 0, to a relative error below 1e-6: x·log2(e) is split into the nearest integer
     * n and a fraction f in [−½, ½], 2^f = e^(f·ln 2) comes from its degree-6 Taylor polynomial
     * (truncation error < 2e-7) and 2^n from the exponent bits. Why not {@link Math#exp}: it
     * costs ~15 ns a call on JDK 17 (this is a few ns), and a typed token needs 13 × 50,257 of
     * them; the sums it feeds are accumulated in double, and the probabilities reported for
     * tracked and top tokens use {@link Math#exp}.
     */
    static float expNonPositive(float x) {
        if (!(x > -87f)) { // also NaN and −∞
            return x != x ? Float.NaN : 0f;
        }
        double t = Math.min(x, 0f) * 1.4426950408889634; // log2(e); in double, or |x| up to 87 loses 5e-6 here
        double n = Math.rint(t);
        float f = (float) ((t - n) * 0.6931471805599453); // ln 2
        float p = 1.3888889e-3f; // 1/6!: e^g = Σ g^k/k! with g = f·ln 2 in [−0.35, 0.35]
        p = p * f + 8.3333333e-3f; // 1/5!
        p = p * f + 4.1666667e-2f; // 1/4!
        p = p * f + 1.6666667e-1f; // 1/3!
        p = p * f + 0.5f;
        p = p * f + 1f;
        p = p * f + 1f;
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    /** The k largest logits seen, best first; ties keep the lower token id. */
    private static final class TopK {
        private final int[] ids;
        private final float[] logits;
        private int size;

        TopK(int k) {
            ids = new int[k];
            logits = new float[k];
        }

        void offer(int id, float logit) {
            int k = ids.length;
            if (k == 0 || (size == k && logit <= logits[k - 1])) {
                return;
            }
            int at = size < k ? size++ : k - 1;
            while (at > 0 && logits[at - 1] < logit) {
                ids[at] = ids[at - 1];
                logits[at] = logits[at - 1];
                at--;
            }
            ids[at] = id;
            logits[at] = logit;
        }

        int size() {
            return size;
        }

        int id(int rank) {
            return ids[rank];
        }

        float logit(int rank) {
            return logits[rank];
        }
    }
}
