package dev.logitscope.testing;

import java.util.Map;

/**
 * An independent, deliberately plain float64 OPT forward pass (arrays and loops, no DJL), written
 * from transformers' {@code modeling_opt.py} ({@code OPTForCausalLM} without padding), to check the
 * real model and the lens against. Shares no code with the model.
 *
 * <p>Layer numbering as everywhere in Logitscope: {@code afterLayer[0]} = the hidden states the
 * first decoder layer receives, {@code afterLayer[i]} = the output of decoder layer i;
 * {@code midBlock[i]} = inside layer i+1, where its MLP half starts (pre-LN: after the attention's
 * residual add; post-LN: after self_attn_layer_norm).
 */
public final class ReferenceOpt {

    /** Taps of one forward pass. */
    public record Result(
            double[][][] afterLayer, // [L+1][T][C]
            double[][][] midBlock,   // [L][T][C]
            double[][] logits) {}    // [T][V]

    private static final double EPS = 1e-5; // nn.LayerNorm's default
    private static final int OFFSET = 2;    // OPTLearnedPositionalEmbedding.offset

    private final int nLayer;
    private final int nHead;
    private final int hidden;
    private final int maxPositions;
    private final boolean doLayerNormBefore;
    private final String activation;
    private final double[][] embedTokens;    // [V][proj]
    private final double[][] embedPositions; // [P + 2][C]
    private final double[][] projectIn;      // [C][proj] or null
    private final double[][] projectOut;     // [proj][C] or null
    private final double[] finalNormWeight;  // [C] or null when the decoder has no final LayerNorm
    private final double[] finalNormBias;
    private final double[][] lmHead;         // [V][proj]
    private final Layer[] layers;

    /** One decoder layer; nn.Linear weights [out][in], biases null when enable_bias is false. */
    private record Layer(
            double[] attnNormWeight, double[] attnNormBias,
            double[][] qW, double[] qB, double[][] kW, double[] kB, double[][] vW, double[] vB,
            double[][] outW, double[] outB,
            double[] mlpNormWeight, double[] mlpNormBias,
            double[][] fc1W, double[] fc1B, double[][] fc2W, double[] fc2B) {}

    public ReferenceOpt(TinyOptCheckpoint ckpt) {
        this(ckpt, ckpt.weights());
    }

    /** {@code ckpt}'s shape with other weights (canonical names, as {@link TinyOptCheckpoint#weights()} keys them). */
    public ReferenceOpt(TinyOptCheckpoint ckpt, Map<String, float[]> w) {
        nLayer = ckpt.nLayer();
        nHead = ckpt.nHead();
        hidden = ckpt.hidden();
        maxPositions = ckpt.maxPositions();
        doLayerNormBefore = ckpt.doLayerNormBefore();
        activation = ckpt.activation();
        int proj = ckpt.wordEmbedProjDim();
        embedTokens = matrix(w, "embed_tokens.weight", proj);
        embedPositions = matrix(w, "embed_positions.weight", hidden);
        projectIn = proj != hidden ? matrix(w, "project_in.weight", proj) : null;
        projectOut = proj != hidden ? matrix(w, "project_out.weight", hidden) : null;
        boolean finalNorm = doLayerNormBefore && !ckpt.removeFinalLayerNorm();
        finalNormWeight = finalNorm ? normWeight(w, ckpt, "final_layer_norm") : null;
        finalNormBias = finalNorm ? normBias(w, ckpt, "final_layer_norm") : null;
        // tie_word_embeddings (the default): lm_head is embed_tokens, whatever lm_head.weight was stored.
        lmHead = ckpt.lmHead() == TinyOptCheckpoint.LmHead.UNTIED ? matrix(w, "lm_head.weight", proj) : embedTokens;
        layers = new Layer[nLayer];
        boolean bias = ckpt.enableBias();
        for (int i = 0; i < nLayer; i++) {
            String p = "layers." + i + ".";
            int ffn = ckpt.ffnDim();
            layers[i] = new Layer(
                    normWeight(w, ckpt, p + "self_attn_layer_norm"), normBias(w, ckpt, p + "self_attn_layer_norm"),
                    matrix(w, p + "self_attn.q_proj.weight", hidden), bias ? vector(w, p + "self_attn.q_proj.bias") : null,
                    matrix(w, p + "self_attn.k_proj.weight", hidden), bias ? vector(w, p + "self_attn.k_proj.bias") : null,
                    matrix(w, p + "self_attn.v_proj.weight", hidden), bias ? vector(w, p + "self_attn.v_proj.bias") : null,
                    matrix(w, p + "self_attn.out_proj.weight", hidden), bias ? vector(w, p + "self_attn.out_proj.bias") : null,
                    normWeight(w, ckpt, p + "final_layer_norm"), normBias(w, ckpt, p + "final_layer_norm"),
                    matrix(w, p + "fc1.weight", hidden), bias ? vector(w, p + "fc1.bias") : null,
                    matrix(w, p + "fc2.weight", ffn), bias ? vector(w, p + "fc2.bias") : null);
        }
    }

    /** The forward pass over {@code ids} (positions 0..T-1, no padding). */
    public Result run(int[] ids) {
        int t = ids.length;
        if (t == 0 || t > maxPositions) {
            throw new IllegalArgumentException("need 1.." + maxPositions + " tokens, got " + t);
        }
        double[][] x = new double[t][];
        for (int pos = 0; pos < t; pos++) {
            double[] token = embedTokens[ids[pos]].clone();
            if (projectIn != null) {
                token = linear(token, projectIn, null);
            }
            // position_ids = cumsum(attention_mask) * attention_mask - 1 = pos; the table row is pos + 2
            double[] place = embedPositions[pos + OFFSET];
            x[pos] = new double[hidden];
            for (int c = 0; c < hidden; c++) {
                x[pos][c] = token[c] + place[c];
            }
        }
        double[][][] afterLayer = new double[nLayer + 1][][];
        double[][][] midBlock = new double[nLayer][][];
        afterLayer[0] = copy(x);
        for (int i = 0; i < nLayer; i++) {
            Layer l = layers[i];
            // Self attention
            double[][] residual = x;
            double[][] h = doLayerNormBefore ? layerNorm(x, l.attnNormWeight, l.attnNormBias) : x;
            h = attention(l, h);
            h = add(residual, h);
            if (!doLayerNormBefore) {
                h = layerNorm(h, l.attnNormWeight, l.attnNormBias);
            }
            midBlock[i] = copy(h);
            // Fully connected
            residual = h;
            if (doLayerNormBefore) {
                h = layerNorm(h, l.mlpNormWeight, l.mlpNormBias);
            }
            double[][] mlp = new double[t][];
            for (int pos = 0; pos < t; pos++) {
                double[] inner = linear(h[pos], l.fc1W, l.fc1B);
                for (int k = 0; k < inner.length; k++) {
                    inner[k] = activate(inner[k]);
                }
                mlp[pos] = linear(inner, l.fc2W, l.fc2B);
            }
            h = add(residual, mlp);
            if (!doLayerNormBefore) {
                h = layerNorm(h, l.mlpNormWeight, l.mlpNormBias);
            }
            x = h;
            afterLayer[i + 1] = copy(x);
        }
        double[][] logits = new double[t][];
        for (int pos = 0; pos < t; pos++) {
            logits[pos] = lensLogits(x[pos]);
        }
        return new Result(afterLayer, midBlock, logits);
    }

    /** OPTDecoder's tail and lm_head on one row: final_layer_norm if any, project_out if any, lm_head. [V] */
    public double[] lensLogits(double[] residual) {
        return linear(decoderOutput(residual), lmHead, null);
    }

    /** OPTDecoder's tail on one row, what lm_head and OPTForSequenceClassification's score read: final_layer_norm if any, project_out if any. */
    public double[] decoderOutput(double[] residual) {
        double[] h = finalNormWeight == null ? residual : layerNorm(residual, finalNormWeight, finalNormBias);
        if (projectOut != null) {
            h = linear(h, projectOut, null);
        }
        return h;
    }

    public double[] lensProbabilities(double[] residual) {
        return ReferenceGpt2.softmax(lensLogits(residual));
    }

    /** OPTAttention with the causal mask: q scaled by head_dim^-0.5 after q_proj; out_proj. [T][C] → [T][C] */
    private double[][] attention(Layer l, double[][] x) {
        int t = x.length;
        int headDim = hidden / nHead;
        double scaling = Math.pow(headDim, -0.5);
        double[][] q = new double[t][];
        double[][] k = new double[t][];
        double[][] v = new double[t][];
        for (int pos = 0; pos < t; pos++) {
            q[pos] = linear(x[pos], l.qW, l.qB);
            for (int c = 0; c < hidden; c++) {
                q[pos][c] *= scaling;
            }
            k[pos] = linear(x[pos], l.kW, l.kB);
            v[pos] = linear(x[pos], l.vW, l.vB);
        }
        double[][] merged = new double[t][hidden];
        for (int head = 0; head < nHead; head++) {
            int off = head * headDim;
            for (int query = 0; query < t; query++) {
                double[] scores = new double[query + 1];
                for (int key = 0; key <= query; key++) {
                    double s = 0;
                    for (int d = 0; d < headDim; d++) {
                        s += q[query][off + d] * k[key][off + d];
                    }
                    scores[key] = s;
                }
                double[] p = ReferenceGpt2.softmax(scores);
                for (int key = 0; key <= query; key++) {
                    for (int d = 0; d < headDim; d++) {
                        merged[query][off + d] += p[key] * v[key][off + d];
                    }
                }
            }
        }
        double[][] out = new double[t][];
        for (int pos = 0; pos < t; pos++) {
            out[pos] = linear(merged[pos], l.outW, l.outB);
        }
        return out;
    }

    /** ACT2FN[activation_function] for the activations the tests use. */
    private double activate(double x) {
        return switch (activation) {
            case "relu" -> Math.max(0, x);
            case "gelu" -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case "gelu_new", "gelu_pytorch_tanh" -> ReferenceGpt2.geluNew(x);
            case "silu", "swish" -> x / (1 + Math.exp(-x));
            default -> throw new IllegalArgumentException("activation " + activation);
        };
    }

    /** erf to ~1e-13 by its Taylor series (|x| small) or continued fraction complement (|x| large). */
    static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < 3) {
            double term = a;
            double sum = a;
            for (int n = 1; n < 200; n++) {
                term *= -a * a / n;
                sum += term / (2 * n + 1);
                if (Math.abs(term) < 1e-17) {
                    break;
                }
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc(a) = exp(-a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + …))))
            double f = a;
            for (int n = 60; n >= 1; n--) {
                f = a + (n / 2.0) / f;
            }
            r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }

    /** y = W·x + b with W as [out][in]. */
    private static double[] linear(double[] x, double[][] w, double[] bias) {
        double[] y = new double[w.length];
        for (int o = 0; o < w.length; o++) {
            double s = bias == null ? 0 : bias[o];
            for (int i = 0; i < x.length; i++) {
                s += w[o][i] * x[i];
            }
            y[o] = s;
        }
        return y;
    }

    private static double[][] layerNorm(double[][] x, double[] gain, double[] bias) {
        double[][] y = new double[x.length][];
        for (int row = 0; row < x.length; row++) {
            y[row] = layerNorm(x[row], gain, bias);
        }
        return y;
    }

    /** (x − mean) / sqrt(biased variance + eps) · gain + bias. */
    private static double[] layerNorm(double[] x, double[] gain, double[] bias) {
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
        double inv = 1.0 / Math.sqrt(variance + EPS);
        double[] y = new double[x.length];
        for (int c = 0; c < x.length; c++) {
            y[c] = (x[c] - mean) * inv * gain[c] + bias[c];
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][];
        for (int row = 0; row < a.length; row++) {
            y[row] = new double[a[row].length];
            for (int c = 0; c < a[row].length; c++) {
                y[row][c] = a[row][c] + b[row][c];
            }
        }
        return y;
    }

    private static double[][] copy(double[][] x) {
        double[][] y = new double[x.length][];
        for (int row = 0; row < x.length; row++) {
            y[row] = x[row].clone();
        }
        return y;
    }

    /** A LayerNorm's gain: stored, or ones without elementwise affine parameters. */
    private double[] normWeight(Map<String, float[]> w, TinyOptCheckpoint ckpt, String name) {
        return ckpt.layerNormAffine() ? vector(w, name + ".weight") : filled(hidden, 1);
    }

    private double[] normBias(Map<String, float[]> w, TinyOptCheckpoint ckpt, String name) {
        return ckpt.layerNormAffine() ? vector(w, name + ".bias") : filled(hidden, 0);
    }

    private static double[] filled(int n, double value) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, value);
        return out;
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

    /** A row-major [rows][cols] matrix. */
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
