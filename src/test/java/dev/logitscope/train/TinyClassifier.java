package dev.logitscope.train;

import dev.logitscope.model.ClassLabels;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.testing.TinyTokenizer;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test data for fine-tuning: tiny sequences over the tiny tokenizer's vocabulary, and a float64 classifier loss. */
final class TinyClassifier {
    static final ClassLabels LABELS = new ClassLabels(List.of("negative", "positive"));

    private TinyClassifier() {}

    /**
     * {@code n} sequences of 2..7 tokens; the label is whether token 101 ("e") occurs more often
     * than token 116 ("t"), a rule a small model can pick up.
     */
    static Examples examples(int n, long seed) {
        Random random = new Random(seed);
        int[][] ids = new int[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int length = 2 + random.nextInt(6);
            ids[i] = new int[length];
            int balance = 0;
            for (int t = 0; t < length; t++) {
                int pick = random.nextInt(4);
                ids[i][t] = pick == 0 ? 101 : pick == 1 ? 116 : random.nextInt(TinyTokenizer.END_OF_TEXT);
                balance += ids[i][t] == 101 ? 1 : ids[i][t] == 116 ? -1 : 0;
            }
            labels[i] = balance > 0 ? 1 : 0;
        }
        return new Examples(ids, labels);
    }

    /**
     * The mean cross-entropy of the classifier over {@code sequences} in float64: each sequence
     * through {@link ReferenceGpt2} alone, its last position's residual through ln_f and score.
     *
     * @param weights canonical names as stored (Conv1D [in, out]) plus {@code score.weight} [K, C]
     */
    static double loss(TinyCheckpoint ckpt, Map<String, float[]> weights, int[][] sequences, int[] labels) {
        ReferenceGpt2 reference = new ReferenceGpt2(ckpt.nLayer(), ckpt.nHead(), ckpt.layerNormEpsilon(), weights);
        float[] score = weights.get("score.weight");
        int c = ckpt.nEmbd();
        int k = score.length / c;
        double total = 0;
        for (int s = 0; s < sequences.length; s++) {
            ReferenceGpt2.Result run = reference.run(sequences[s]);
            double[] h = run.afterLayer()[ckpt.nLayer()][sequences[s].length - 1];
            double[] logits = classLogits(weights, h, ckpt.layerNormEpsilon(), k);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : logits) {
                sum += Math.exp(v - max);
            }
            total += Math.log(sum) + max - logits[labels[s]];
        }
        return total / sequences.length;
    }

    /** score · ln_f(h) in float64. */
    static double[] classLogits(Map<String, float[]> weights, double[] h, double eps, int k) {
        double[] normed = ReferenceGpt2.layerNorm(h, doubles(weights.get("ln_f.weight")), doubles(weights.get("ln_f.bias")), eps);
        float[] score = weights.get("score.weight");
        int c = h.length;
        double[] logits = new double[k];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < c; i++) {
                logits[j] += score[j * c + i] * normed[i];
            }
        }
        return logits;
    }

    static double[] doubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
