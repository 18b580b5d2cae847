package dev.logitscope.model.opt;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.ModelException;
import java.math.BigDecimal;

/**
 * The shape of an OPT model, read as transformers' {@code OPTConfig} reads config.json: a key that
 * is absent takes OPTConfig's default (so a config that leaves one out means what it means to
 * transformers). The one place where OPT's config names are mapped to ours.
 *
 * @param hiddenSize                 width of the residual stream ({@code hidden_size})
 * @param numHiddenLayers            decoder layers (L)
 * @param numAttentionHeads          attention heads per layer
 * @param ffnDim                     width of the MLP ({@code fc1} output)
 * @param maxPositionEmbeddings      context length; the position table has 2 more rows
 * @param vocabSize                  rows of {@code embed_tokens} (50272 in the released models, padded)
 * @param wordEmbedProjDim           width of the token embeddings; when it differs from hidden_size,
 *                                   {@code project_in} / {@code project_out} map between them (opt-350m)
 * @param doLayerNormBefore          pre-LN layers (true), or post-LN (false: opt-350m)
 * @param removeFinalLayerNorm       {@code _remove_final_layer_norm}: checkpoints fine-tuned before
 *                                   transformers 4.20.1 have no final LayerNorm
 * @param enableBias                 whether the linear layers have biases
 * @param layerNormElementwiseAffine whether the LayerNorms have a gain and a bias
 * @param activation                 {@code activation_function} of the MLP
 * @param tieWordEmbeddings          the unembedding is {@code embed_tokens} (true) or {@code lm_head.weight}
 */
public record OptConfig(int hiddenSize, int numHiddenLayers, int numAttentionHeads, int ffnDim,
        int maxPositionEmbeddings, int vocabSize, int wordEmbedProjDim, boolean doLayerNormBefore,
        boolean removeFinalLayerNorm, boolean enableBias, boolean layerNormElementwiseAffine, OptActivation activation,
        boolean tieWordEmbeddings) {

    /** {@code OPTLearnedPositionalEmbedding.offset}: position p reads row p + 2 of the table. */
    public static final int POSITION_OFFSET = 2;
    /** OPT's LayerNorms are {@code nn.LayerNorm} with its default epsilon; config.json has no say. */
    public static final double LAYER_NORM_EPSILON = 1e-5;

    public OptConfig {
        require(numHiddenLayers >= 1 && numHiddenLayers <= 1000, "num_hidden_layers must be between 1 and 1000, got " + numHiddenLayers);
        require(hiddenSize >= 1 && hiddenSize <= 65536, "hidden_size must be between 1 and 65536, got " + hiddenSize);
        require(numAttentionHeads >= 1 && hiddenSize % numAttentionHeads == 0,
                "hidden_size (" + hiddenSize + ") must be a multiple of num_attention_heads (" + numAttentionHeads + ")");
        require(ffnDim >= 1 && ffnDim <= 1 << 20, "ffn_dim must be between 1 and 1048576, got " + ffnDim);
        require(maxPositionEmbeddings >= 1 && maxPositionEmbeddings <= 1 << 20,
                "max_position_embeddings must be between 1 and 1048576, got " + maxPositionEmbeddings);
        require(vocabSize >= 1 && vocabSize <= 1 << 24, "vocab_size must be between 1 and 16777216, got " + vocabSize);
        require(wordEmbedProjDim >= 1 && wordEmbedProjDim <= 65536,
                "word_embed_proj_dim must be between 1 and 65536, got " + wordEmbedProjDim);
        require(activation != null, "activation_function is missing");
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Whether {@code project_in} / {@code project_out} exist (word_embed_proj_dim ≠ hidden_size). */
    public boolean hasProjections() {
        return wordEmbedProjDim != hiddenSize;
    }

    /** As {@code OPTDecoder}: a final LayerNorm only for pre-LN models that were not saved without one. */
    public boolean hasFinalLayerNorm() {
        return doLayerNormBefore && !removeFinalLayerNorm;
    }

    /** What the lens applies to a tap before the softmax, as the app and the JSON name it. */
    public String readoutDescription() {
        if (!doLayerNormBefore) {
            return "post-LN, no final norm";
        }
        if (!hasFinalLayerNorm()) {
            return "pre-LN, no final norm";
        }
        return hasProjections() ? "final norm, project_out, then unembedding" : DecoderModel.STANDARD_READOUT;
    }

    /** Parameters including embeddings, counting a tied unembedding once (transformers' num_parameters). */
    public long parameterCount() {
        long h = hiddenSize;
        long bias = enableBias ? 1 : 0;
        long norm = layerNormElementwiseAffine ? 2 * h : 0;
        long perLayer = 4 * (h * h + bias * h) // q, k, v, out_proj
                + h * ffnDim + bias * ffnDim // fc1
                + (long) ffnDim * h + bias * h // fc2
                + 2 * norm; // self_attn_layer_norm, final_layer_norm
        long total = (long) vocabSize * wordEmbedProjDim
                + (long) (maxPositionEmbeddings + POSITION_OFFSET) * h
                + numHiddenLayers * perLayer
                + (hasFinalLayerNorm() ? norm : 0)
                + (hasProjections() ? 2L * wordEmbedProjDim * h : 0);
        return tieWordEmbeddings ? total : total + (long) vocabSize * wordEmbedProjDim;
    }

    /**
     * Floating-point operations (multiply-add = 2) of the decoder layers for {@code tokens} new
     * tokens that attend to {@code context} positions in all, excluding embeddings and unembedding.
     */
    public double blockFlops(int tokens, int context) {
        double h = hiddenSize;
        double matmuls = 2.0 * tokens * (4 * h * h + 2 * h * ffnDim);
        double attention = 2.0 * 2 * tokens * (double) context * h; // q·kᵀ and att·v
        return numHiddenLayers * (matmuls + attention);
    }

    /** Parses a config.json object; {@code source} names it in error messages. */
    public static OptConfig parse(JsonObject o, String source) throws ModelException {
        String activationName = string(o, "activation_function", "relu", source);
        OptActivation activation = OptActivation.named(activationName);
        if (activation == null) {
            throw new ModelException(source + ": activation_function '" + activationName + "' is not supported for OPT"
                    + " models (" + OptActivation.supported() + " are); released OPT checkpoints use relu.");
        }
        int hidden = integer(o, "hidden_size", 768, source);
        JsonElement proj = o.get("word_embed_proj_dim");
        int wordEmbedProjDim = proj == null || proj.isJsonNull() ? hidden : exactInt(proj, "word_embed_proj_dim", source);
        try {
            return new OptConfig(hidden,
                    integer(o, "num_hidden_layers", 12, source),
                    integer(o, "num_attention_heads", 12, source),
                    integer(o, "ffn_dim", 3072, source),
                    integer(o, "max_position_embeddings", 2048, source),
                    integer(o, "vocab_size", 50272, source),
                    wordEmbedProjDim,
                    flag(o, "do_layer_norm_before", true, source),
                    flag(o, "_remove_final_layer_norm", false, source),
                    flag(o, "enable_bias", true, source),
                    flag(o, "layer_norm_elementwise_affine", true, source),
                    activation,
                    flag(o, "tie_word_embeddings", true, source));
        } catch (IllegalArgumentException e) {
            throw new ModelException(source + ": " + e.getMessage());
        }
    }

    private static int integer(JsonObject o, String key, int fallback, String source) throws ModelException {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : exactInt(e, key, source);
    }

    /** A JSON number that is a whole 32-bit integer, never text that looks like one (transformers would not convert it). */
    private static int exactInt(JsonElement e, String key, String source) throws ModelException {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ModelException(source + ": " + key + ": " + e + " is not a number. Write it as a JSON number,"
                    + " without quotes.");
        }
        try {
            BigDecimal value = e.getAsBigDecimal();
            return value.intValueExact();
        } catch (NumberFormatException | ArithmeticException ex) {
            throw new ModelException(source + ": " + key + ": " + e + " is not an integer (a whole number that fits 32 bits).");
        }
    }

    /** Absent or null: the default; else a JSON boolean (not "false", which Python would read as true). */
    private static boolean flag(JsonObject o, String key, boolean fallback, String source) throws ModelException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
            return e.getAsBoolean();
        }
        throw new ModelException(source + ": " + key + ": " + e + " is not true or false.");
    }

    private static String string(JsonObject o, String key, String fallback, String source) throws ModelException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        throw new ModelException(source + ": " + key + ": " + e + " is not a string.");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
