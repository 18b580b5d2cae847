package dev.logitscope.testing;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An independent, deliberately plain float64 GPT-Neo forward pass (arrays and loops, no DJL),
 * written from transformers' {@code modeling_gpt_neo.py}, to check the real model and the lens
 * against. The attention follows {@code GPTNeoSelfAttention._attn} literally: unscaled q·kᵀ, the
 * causal buffer {@code bias = tril(ones)}, for a local layer {@code bias ^ tril(bias, -window_size)},
 * masked scores replaced (here: dropped), softmax, ·v.
 *
 * <p>Layer numbering as everywhere in Logitscope: {@code afterLayer[0]} = embeddings,
 * {@code afterLayer[i]} = residual stream after block i; {@code midBlock[i]} = inside block i+1,
 * after its attention residual add and before its MLP.
 */
public final class ReferenceGptNeo {
    private final int nLayer;
    private final int nHead;
    private final int nEmbd;
    private final int vocabSize;
    private final double eps;
    private final int windowSize;
    private final boolean[] local;   // per layer
    private final Map<String, float[]> w;
    private final double[][] wte;     // [V][C]
    private final double[][] wpe;     // [P][C]
    private final double[][] lmHead;  // [V][C]

    public ReferenceGptNeo(TinyGptNeoCheckpoint ckpt) {
        this(ckpt.nHead(), ckpt.layerNormEpsilon(), ckpt.windowSize(), ckpt.attentionLayers(), ckpt.weights());
    }

    /**
     * @param attentionLayers "global" / "local" per layer
     * @param weights         canonical names ({@code wte.weight}, {@code h.0.attn.attention.q_proj.weight}, ...,
     *                        optional {@code lm_head.weight}); Linear weights [out, in]
     */
    public ReferenceGptNeo(int nHead, double eps, int windowSize, List<String> attentionLayers, Map<String, float[]> weights) {
        this.nLayer = attentionLayers.size();
        this.nHead = nHead;
        this.eps = eps;
        this.windowSize = windowSize;
        this.w = weights;
        this.local = new boolean[nLayer];
        for (int i = 0; i < nLayer; i++) {
            local[i] = attentionLayers.get(i).equals("local");
        }
        this.nEmbd = weights.get("ln_f.weight").length;
        this.wte = matrix("wte.weight", nEmbd);
        this.wpe = matrix("wpe.weight", nEmbd);
        this.vocabSize = wte.length;
        this.lmHead = weights.containsKey("lm_head.weight") ? matrix("lm_head.weight", nEmbd) : wte; // tied
    }

    /** The same weights with every layer global: what a model that ignored the window would compute. */
    public ReferenceGptNeo allGlobal() {
        return new ReferenceGptNeo(nHead, eps, windowSize, Collections.nCopies(nLayer, "global"), w);
    }

    /** The forward pass over {@code ids} (positions 0..T-1). */
    public ReferenceGpt2.Result run(int[] ids) {
        int t = ids.length;
        double[][] hidden = new double[t][nEmbd]; // wte(input_ids) + wpe(position_ids)
        for (int i = 0; i < t; i++) {
            for (int c = 0; c < nEmbd; c++) {
                hidden[i][c] = wte[ids[i]][c] + wpe[i][c];
            }
        }
        double[][][] afterLayer = new double[nLayer + 1][][];
        double[][][] midBlock = new double[nLayer][][];
        afterLayer[0] = copy(hidden);
        for (int layer = 0; layer < nLayer; layer++) {
            String p = "h." + layer + ".";
            // GPTNeoBlock.forward
            double[][] attnOutput = attention(layer, layerNorm(hidden, p + "ln_1"));
            hidden = add(attnOutput, hidden);
            midBlock[layer] = copy(hidden);
            double[][] feedForward = mlp(p, layerNorm(hidden, p + "ln_2"));
            hidden = add(hidden, feedForward);
            afterLayer[layer + 1] = copy(hidden);
        }
        double[][] logits = new double[t][];
        for (int i = 0; i < t; i++) {
            logits[i] = lensLogits(hidden[i]);
        }
        return new ReferenceGpt2.Result(afterLayer, midBlock, logits);
    }

    /** lm_head(ln_f(residual)), ln_f with the residual's own statistics. [V] */
    public double[] lensLogits(double[] residual) {
        double[] normed = ReferenceGpt2.layerNorm(residual, vector("ln_f.weight"), vector("ln_f.bias"), eps);
        double[] logits = new double[vocabSize];
        for (int v = 0; v < vocabSize; v++) {
            double s = 0;
            for (int c = 0; c < nEmbd; c++) {
                s += normed[c] * lmHead[v][c];
            }
            logits[v] = s;
        }
        return logits;
    }

    public double[] lensProbabilities(double[] residual) {
        return ReferenceGpt2.softmax(lensLogits(residual));
    }

    /** GPTNeoSelfAttention.forward: [T][C] → [T][C]. */
    private double[][] attention(int layer, double[][] hiddenStates) {
        String a = "h." + layer + ".attn.attention.";
        double[][] query = linear(hiddenStates, a + "q_proj.weight", null);
        double[][] key = linear(hiddenStates, a + "k_proj.weight", null);
        double[][] value = linear(hiddenStates, a + "v_proj.weight", null);
        int t = hiddenStates.length;
        int headDim = nEmbd / nHead;
        double[][] merged = new double[t][nEmbd];
        for (int head = 0; head < nHead; head++) {
            int off = head * headDim;
            for (int i = 0; i < t; i++) {
                double[] scores = new double[t];
                boolean[] keep = new boolean[t];
                for (int j = 0; j < t; j++) {
                    // bias = tril(ones); local: bias ^ tril(bias, -window_size)
                    boolean bias = j <= i;
                    if (local[layer]) {
                        bias = bias ^ (bias && j <= i - windowSize);
                    }
                    keep[j] = bias;
                    double s = 0;
                    for (int d = 0; d < headDim; d++) {
                        s += query[i][off + d] * key[j][off + d]; // no 1/sqrt(head_dim)
                    }
                    scores[j] = s;
                }
                double[] probs = maskedSoftmax(scores, keep);
                for (int j = 0; j < t; j++) {
                    for (int d = 0; d < headDim; d++) {
                        merged[i][off + d] += probs[j] * value[j][off + d];
                    }
                }
            }
        }
        return linear(merged, a + "out_proj.weight", a + "out_proj.bias");
    }

    /** GPTNeoMLP: c_proj(gelu_new(c_fc(x))). */
    private double[][] mlp(String p, double[][] x) {
        double[][] h = linear(x, p + "mlp.c_fc.weight", p + "mlp.c_fc.bias");
        for (double[] row : h) {
            for (int k = 0; k < row.length; k++) {
                row[k] = ReferenceGpt2.geluNew(row[k]);
            }
        }
        return linear(h, p + "mlp.c_proj.weight", p + "mlp.c_proj.bias");
    }

    /** Softmax over the kept entries; a masked score (finfo.min in transformers) gets probability exactly 0. */
    private static double[] maskedSoftmax(double[] scores, boolean[] keep) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < scores.length; j++) {
            if (keep[j]) {
                max = Math.max(max, scores[j]);
            }
        }
        double sum = 0;
        double[] p = new double[scores.length];
        for (int j = 0; j < scores.length; j++) {
            p[j] = keep[j] ? Math.exp(scores[j] - max) : 0;
            sum += p[j];
        }
        for (int j = 0; j < p.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    /** nn.Linear: y = x · Wᵀ + b, W stored [out][in]. */
    private double[][] linear(double[][] x, String weight, String bias) {
        double[] b = bias == null ? null : vector(bias);
        int in = x[0].length;
        double[][] m = matrix(weight, in);
        double[][] y = new double[x.length][m.length];
        for (int r = 0; r < x.length; r++) {
            for (int o = 0; o < m.length; o++) {
                double s = b == null ? 0 : b[o];
                for (int k = 0; k < in; k++) {
                    s += x[r][k] * m[o][k];
                }
                y[r][o] = s;
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String prefix) {
        double[] gain = vector(prefix + ".weight");
        double[] bias = vector(prefix + ".bias");
        double[][] y = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            y[r] = ReferenceGpt2.layerNorm(x[r], gain, bias, eps);
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[r].length; c++) {
                y[r][c] = a[r][c] + b[r][c];
            }
        }
        return y;
    }

    private static double[][] copy(double[][] x) {
        double[][] y = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            y[r] = x[r].clone();
        }
        return y;
    }

    private double[] vector(String name) {
        float[] f = w.get(name);
        if (f == null) {
            throw new IllegalArgumentException("missing parameter " + name);
        }
        double[] d = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            d[k] = f[k];
        }
        return d;
    }

    private double[][] matrix(String name, int cols) {
        double[] flat = vector(name);
        double[][] m = new double[flat.length / cols][cols];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(flat, r * cols, m[r], 0, cols);
        }
        return m;
    }
}
