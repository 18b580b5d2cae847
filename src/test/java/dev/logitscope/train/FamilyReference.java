package dev.logitscope.train;

import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.ReferenceGptNeo;
import dev.logitscope.testing.ReferenceOpt;
import dev.logitscope.testing.TinyGptNeoCheckpoint;
import dev.logitscope.testing.TinyOptCheckpoint;
import java.util.Map;
import java.util.function.Function;

/**
 * Float64 classifier logits and losses of GPT-Neo and OPT, written from transformers'
 * GPTNeoForSequenceClassification / OPTForSequenceClassification: each sequence alone through the
 * plain reference model ({@link ReferenceGptNeo}, {@link ReferenceOpt}), its last position's output
 * through the decoder's tail (ln_f; OPT: final_layer_norm if any, project_out if any), then score.
 * Weights by canonical name, as the checkpoints and the trainables' {@code storedValues()} key them.
 */
final class FamilyReference {
    private FamilyReference() {}

    /** GPT-Neo: score · ln_f(h_L[last]), the local layers windowed as the config says. */
    static double[] gptNeo(TinyGptNeoCheckpoint ckpt, Map<String, float[]> w, int[] ids) {
        return gptNeo(new ReferenceGptNeo(ckpt.nHead(), ckpt.layerNormEpsilon(), ckpt.windowSize(), ckpt.attentionLayers(), w),
                ckpt, w, ids);
    }

    /** As {@link #gptNeo(TinyGptNeoCheckpoint, Map, int[])} through {@code reference} (e.g. one with every layer global). */
    static double[] gptNeo(ReferenceGptNeo reference, TinyGptNeoCheckpoint ckpt, Map<String, float[]> w, int[] ids) {
        double[] h = reference.run(ids).afterLayer()[ckpt.nLayer()][ids.length - 1];
        return gptNeoHead(w, h, ckpt.layerNormEpsilon());
    }

    /** score · ln_f(h) for any tap h. */
    static double[] gptNeoHead(Map<String, float[]> w, double[] h, double eps) {
        double[] normed = ReferenceGpt2.layerNorm(h, TinyClassifier.doubles(w.get("ln_f.weight")),
                TinyClassifier.doubles(w.get("ln_f.bias")), eps);
        return times(w.get("score.weight"), normed);
    }

    /** OPT: score · project_out(final_layer_norm(h_L[last])), each step where the model has it. */
    static double[] opt(TinyOptCheckpoint ckpt, Map<String, float[]> w, int[] ids) {
        ReferenceOpt reference = new ReferenceOpt(ckpt, w);
        double[] h = reference.run(ids).afterLayer()[ckpt.nLayer()][ids.length - 1];
        return times(w.get("score.weight"), reference.decoderOutput(h));
    }

    /** Mean cross-entropy of {@code logits} over the sequences against their labels. */
    static double loss(Function<int[], double[]> logits, int[][] sequences, int[] labels) {
        double total = 0;
        for (int s = 0; s < sequences.length; s++) {
            double[] z = logits.apply(sequences[s]);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            total += Math.log(sum) + max - z[labels[s]];
        }
        return total / sequences.length;
    }

    /** W·x with W [K, D] row-major. */
    static double[] times(float[] w, double[] x) {
        int d = x.length;
        double[] y = new double[w.length / d];
        for (int k = 0; k < y.length; k++) {
            for (int i = 0; i < d; i++) {
                y[k] += w[k * d + i] * x[i];
            }
        }
        return y;
    }
}
