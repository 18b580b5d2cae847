package dev.logitscope.testing;

import java.util.Map;

/**
 * An independent, deliberately plain float64 GPT-2 forward pass (arrays and loops, no DJL), written
 * from the GPT-2 definition (nanoGPT / transformers' GPT2Model), to check the real model and the
 * lens against.
 *
 * <p>Layer numbering as everywhere in Logitscope: {@code afterLayer[0]} = embeddings, {@code
 * afterLayer[i]} = residual stream after block i; {@code midBlock[i]} = inside block i+1, after its
 * attention residual add and before its MLP (the UI's layer i+0.5).
 */
public final class ReferenceGpt2 {

    /** Taps of one forward pass. */
    public record Result(
            double[][][] afterLayer, // [L+1][T][C]
            double[][][] midBlock,   // [L][T][C]
            double[][] logits) {     // [T][V]

        public int nLayer() {
            return midBlock.length;
        }

        public int length() {
            return logits.length;
        }
    }

    private final int nLayer;
    private final int nHead;
    private final int nEmbd;
    private final int nPositions;
    private final int vocabSize;
    private final double eps;
    private final double[][] wte;     // [V][C]
    private final double[][] wpe;     // [P][C]
    private final double[][] unembed; // [V][C]: lm_head.weight if present, else wte
    private final Block[] h;
    private final double[] lnFWeight; // [C]
    private final double[] lnFBias;   // [C]

    /** One transformer block, Conv1D weights as [in][out]. */
    private record Block(
            double[] ln1Weight, double[] ln1Bias,       // [C]
            double[][] cAttnWeight, double[] cAttnBias, // [C][3C], [3C]
            double[][] cProjWeight, double[] cProjBias, // [C][C], [C]
            double[] ln2Weight, double[] ln2Bias,       // [C]
            double[][] cFcWeight, double[] cFcBias,     // [C][inner], [inner]
            double[][] mlpProjWeight, double[] mlpProjBias) {} // [inner][C], [C]

    public ReferenceGpt2(TinyCheckpoint ckpt) {
        this(ckpt.nLayer(), ckpt.nHead(), ckpt.layerNormEpsilon(), ckpt.weights());
    }

    /**
     * From parameters keyed by canonical names ({@code wte.weight}, {@code h.0.ln_1.weight}, ...,
     * optional {@code lm_head.weight}); n_embd, vocab, positions and n_inner follow from the shapes.
     */
    public ReferenceGpt2(int nLayer, int nHead, double layerNormEpsilon, Map<String, float[]> weights) {
        this.nLayer = nLayer;
        this.nHead = nHead;
        this.eps = layerNormEpsilon;
        this.lnFWeight = vector(weights, "ln_f.weight");
        this.lnFBias = vector(weights, "ln_f.bias");
        this.nEmbd = lnFWeight.length;
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException("n_embd " + nEmbd + " is not a multiple of n_head " + nHead);
        }
        this.wte = matrix(weights, "wte.weight", nEmbd);
        this.wpe = matrix(weights, "wpe.weight", nEmbd);
        this.vocabSize = wte.length;
        this.nPositions = wpe.length;
        this.unembed = weights.containsKey("lm_head.weight") ? matrix(weights, "lm_head.weight", nEmbd) : wte;
        this.h = new Block[nLayer];
        for (int i = 0; i < nLayer; i++) {
            String p = "h." + i + ".";
            int inner = weights.get(p + "mlp.c_fc.bias").length;
            h[i] = new Block(
                    vector(weights, p + "ln_1.weight"), vector(weights, p + "ln_1.bias"),
                    matrix(weights, p + "attn.c_attn.weight", 3 * nEmbd), vector(weights, p + "attn.c_attn.bias"),
                    matrix(weights, p + "attn.c_proj.weight", nEmbd), vector(weights, p + "attn.c_proj.bias"),
                    vector(weights, p + "ln_2.weight"), vector(weights, p + "ln_2.bias"),
                    matrix(weights, p + "mlp.c_fc.weight", inner), vector(weights, p + "mlp.c_fc.bias"),
                    matrix(weights, p + "mlp.c_proj.weight", nEmbd), vector(weights, p + "mlp.c_proj.bias"));
        }
    }

    /**
     * Dropout masks for a training-mode pass, as multipliers (0, or 1/(1−p) for a kept value): on the
     * summed embeddings, the attention probabilities, and the attention and MLP outputs before each
     * residual add (GPT2Model's drop, GPT2Attention's attn_dropout and resid_dropout, GPT2MLP's dropout).
     */
    public interface Masks {
        double embeddings(int position, int channel);

        double attention(int layer, int head, int query, int key);

        double attentionOutput(int layer, int position, int channel);

        double mlpOutput(int layer, int position, int channel);

        /** Evaluation mode: every multiplier 1. */
        Masks NONE = new Masks() {
            @Override public double embeddings(int position, int channel) { return 1; }
            @Override public double attention(int layer, int head, int query, int key) { return 1; }
            @Override public double attentionOutput(int layer, int position, int channel) { return 1; }
            @Override public double mlpOutput(int layer, int position, int channel) { return 1; }
        };
    }

    public int nLayer() { return nLayer; }
    public int nEmbd() { return nEmbd; }
    public int vocabSize() { return vocabSize; }
    public int nPositions() { return nPositions; }

    /** The forward pass over {@code ids} (positions 0..T-1). */
    public Result run(int[] ids) {
        return run(ids, Masks.NONE);
    }

    /** The forward pass over {@code ids} in training mode with the dropout {@code masks}. */
    public Result run(int[] ids, Masks masks) {
        int t = ids.length;
        if (t == 0 || t > nPositions) {
            throw new IllegalArgumentException("need 1.." + nPositions + " tokens, got " + t);
        }
        double[][][] afterLayer = new double[nLayer + 1][][];
        double[][][] midBlock = new double[nLayer][][];
        double[][] x = new double[t][nEmbd]; // [T][C]
        for (int pos = 0; pos < t; pos++) {
            if (ids[pos] < 0 || ids[pos] >= vocabSize) {
                throw new IllegalArgumentException("token id " + ids[pos] + " outside 0.." + (vocabSize - 1));
            }
            for (int c = 0; c < nEmbd; c++) {
                x[pos][c] = (wte[ids[pos]][c] + wpe[pos][c]) * masks.embeddings(pos, c);
            }
        }
        afterLayer[0] = copy(x);
        for (int i = 0; i < nLayer; i++) {
            Block b = h[i];
            double[][] attn = attention(b, layerNorm(x, b.ln1Weight, b.ln1Bias), i, masks); // [T][C]
            for (int pos = 0; pos < t; pos++) {
                for (int c = 0; c < nEmbd; c++) {
                    attn[pos][c] *= masks.attentionOutput(i, pos, c);
                }
            }
            add(x, attn);
            midBlock[i] = copy(x);
            double[][] mlp = mlp(b, layerNorm(x, b.ln2Weight, b.ln2Bias)); // [T][C]
            for (int pos = 0; pos < t; pos++) {
                for (int c = 0; c < nEmbd; c++) {
                    mlp[pos][c] *= masks.mlpOutput(i, pos, c);
                }
            }
            add(x, mlp);
            afterLayer[i + 1] = copy(x);
        }
        double[][] logits = new double[t][]; // [T][V]
        for (int pos = 0; pos < t; pos++) {
            logits[pos] = lensLogits(x[pos]);
        }
        return new Result(afterLayer, midBlock, logits);
    }

    /** ln_f(residual) · Wᵀ, ln_f with this residual's own mean and variance. [V] */
    public double[] lensLogits(double[] residual) {
        double[] normed = layerNorm(residual, lnFWeight, lnFBias, eps); // [C]
        double[] logits = new double[vocabSize];
        for (int v = 0; v < vocabSize; v++) {
            double s = 0;
            for (int c = 0; c < nEmbd; c++) {
                s += normed[c] * unembed[v][c];
            }
            logits[v] = s;
        }
        return logits;
    }

    /** softmax(ln_f(residual) · Wᵀ) over the vocabulary. [V] */
    public double[] lensProbabilities(double[] residual) {
        return softmax(lensLogits(residual));
    }

    /** Causal multi-head self-attention followed by c_proj. hIn: [T][C] → [T][C]. */
    private double[][] attention(Block b, double[][] hIn, int layer, Masks masks) {
        int t = hIn.length;
        int headDim = nEmbd / nHead;
        double[][] qkv = linear(hIn, b.cAttnWeight, b.cAttnBias); // [T][3C] = q | k | v
        double scale = 1.0 / Math.sqrt(headDim);
        double[][] merged = new double[t][nEmbd]; // [T][C], heads side by side
        for (int head = 0; head < nHead; head++) {
            int qOff = head * headDim;
            int kOff = nEmbd + head * headDim;
            int vOff = 2 * nEmbd + head * headDim;
            for (int query = 0; query < t; query++) {
                double[] scores = new double[query + 1]; // keys 0..query only (causal)
                for (int key = 0; key <= query; key++) {
                    double s = 0;
                    for (int d = 0; d < headDim; d++) {
                        s += qkv[query][qOff + d] * qkv[key][kOff + d];
                    }
                    scores[key] = s * scale;
                }
                double[] weights = softmax(scores);
                for (int key = 0; key <= query; key++) {
                    for (int d = 0; d < headDim; d++) {
                        merged[query][qOff + d] += weights[key] * masks.attention(layer, head, query, key) * qkv[key][vOff + d];
                    }
                }
            }
        }
        return linear(merged, b.cProjWeight, b.cProjBias);
    }

    /** c_proj(gelu_new(c_fc(hIn))). [T][C] → [T][C] */
    private static double[][] mlp(Block b, double[][] hIn) {
        double[][] hidden = linear(hIn, b.cFcWeight, b.cFcBias); // [T][inner]
        for (double[] row : hidden) {
            for (int k = 0; k < row.length; k++) {
                row[k] = geluNew(row[k]);
            }
        }
        return linear(hidden, b.mlpProjWeight, b.mlpProjBias);
    }

    /** Conv1D: y = x · W + b with W as [in][out]. */
    private static double[][] linear(double[][] x, double[][] w, double[] bias) {
        int in = w.length;
        int out = bias.length;
        double[][] y = new double[x.length][out];
        for (int row = 0; row < x.length; row++) {
            for (int o = 0; o < out; o++) {
                double s = bias[o];
                for (int i = 0; i < in; i++) {
                    s += x[row][i] * w[i][o];
                }
                y[row][o] = s;
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, double[] gain, double[] bias) {
        double[][] y = new double[x.length][];
        for (int row = 0; row < x.length; row++) {
            y[row] = layerNorm(x[row], gain, bias, eps);
        }
        return y;
    }

    /** (x − mean) / sqrt(biased variance + eps) · gain + bias. */
    public static double[] layerNorm(double[] x, double[] gain, double[] bias, double eps) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double variance = 0;
        for (double v : x) {
            variance += (v - mean) * (v - mean);
        }
        variance /= x.length;
        double inv = 1.0 / Math.sqrt(variance + eps);
        double[] y = new double[x.length];
        for (int c = 0; c < x.length; c++) {
            y[c] = (x[c] - mean) * inv * gain[c] + bias[c];
        }
        return y;
    }

    /** GPT-2's gelu_new: 0.5·x·(1 + tanh(sqrt(2/π)·(x + 0.044715·x³))). */
    public static double geluNew(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    /** Numerically stable softmax. */
    public static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int k = 0; k < logits.length; k++) {
            p[k] = Math.exp(logits[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** Entropy in nats, −Σ p·ln p (0·ln 0 = 0). */
    public static double entropy(double[] p) {
        double h = 0;
        for (double v : p) {
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return h;
    }

    /** KL(p ‖ q) = Σ p·(ln p − ln q) in nats (terms with p = 0 are 0). */
    public static double klDivergence(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("lengths differ: " + p.length + " vs " + q.length);
        }
        double kl = 0;
        for (int k = 0; k < p.length; k++) {
            if (p[k] > 0) {
                kl += p[k] * (Math.log(p[k]) - Math.log(q[k]));
            }
        }
        return kl;
    }

    private static void add(double[][] x, double[][] delta) {
        for (int row = 0; row < x.length; row++) {
            for (int c = 0; c < x[row].length; c++) {
                x[row][c] += delta[row][c];
            }
        }
    }

    private static double[][] copy(double[][] x) {
        double[][] y = new double[x.length][];
        for (int row = 0; row < x.length; row++) {
            y[row] = x[row].clone();
        }
        return y;
    }

    private static double[] vector(Map<String, float[]> weights, String name) {
        float[] w = weights.get(name);
        if (w == null) {
            throw new IllegalArgumentException("missing parameter " + name);
        }
        double[] out = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            out[k] = w[k];
        }
        return out;
    }

    /** A row-major [rows][cols] matrix; rows = length / cols. */
    private static double[][] matrix(Map<String, float[]> weights, String name, int cols) {
        double[] flat = vector(weights, name);
        if (flat.length % cols != 0) {
            throw new IllegalArgumentException(name + " has " + flat.length + " values, not a multiple of " + cols);
        }
        double[][] m = new double[flat.length / cols][cols];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(flat, r * cols, m[r], 0, cols);
        }
        return m;
    }
}
