package dev.logitscope.model.gpt2;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFolder;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The shape of a GPT-2 model. This is the one place where Hugging Face's config names
 * ({@code n_layer}, {@code n_embd}, ...) are mapped to ours.
 *
 * @param nLayer           number of transformer blocks (L)
 * @param nEmbd            width of the residual stream (C)
 * @param nHead            attention heads per block
 * @param nPositions       context length (learned position embeddings)
 * @param vocabSize        vocabulary size (V)
 * @param nInner           MLP hidden width (4·C when the config says null)
 * @param layerNormEpsilon epsilon of every LayerNorm
 */
public record Gpt2Config(int nLayer, int nEmbd, int nHead, int nPositions, int vocabSize, int nInner,
        double layerNormEpsilon) {

    public Gpt2Config {
        require(nLayer >= 1 && nLayer <= 1000, "n_layer must be between 1 and 1000, got " + nLayer);
        require(nEmbd >= 1 && nEmbd <= 65536, "n_embd must be between 1 and 65536, got " + nEmbd);
        require(nHead >= 1 && nEmbd % nHead == 0, "n_embd (" + nEmbd + ") must be a multiple of n_head (" + nHead + ")");
        require(nPositions >= 1 && nPositions <= 1 << 20, "n_positions must be positive, got " + nPositions);
        require(vocabSize >= 1 && vocabSize <= 1 << 24, "vocab_size must be positive, got " + vocabSize);
        require(nInner >= 1 && nInner <= 1 << 20, "n_inner must be positive, got " + nInner);
        require(layerNormEpsilon > 0 && layerNormEpsilon < 1, "layer_norm_epsilon must be in (0, 1), got " + layerNormEpsilon);
    }

    public int headDim() {
        return nEmbd / nHead;
    }

    /** Parameters including embeddings, counting a tied unembedding once. */
    public long parameterCount() {
        long c = nEmbd;
        long perBlock = 2 * 2 * c // ln_1, ln_2
                + c * 3 * c + 3 * c // c_attn
                + c * c + c // attn.c_proj
                + c * nInner + nInner // c_fc
                + (long) nInner * c + c; // mlp.c_proj
        return (long) vocabSize * c + (long) nPositions * c + nLayer * perBlock + 2 * c;
    }

    /**
     * Floating-point operations (multiply-add = 2) of the blocks for {@code tokens} new tokens
     * that attend to {@code context} positions in all (cached + new), excluding the unembedding.
     */
    public double blockFlops(int tokens, int context) {
        double c = nEmbd;
        double matmuls = 2.0 * tokens * (c * 3 * c + c * c + 2 * c * nInner);
        double attention = 2.0 * 2 * tokens * (double) context * c; // q·kᵀ and att·v
        return nLayer * (matmuls + attention);
    }

    /** Reads a Hugging Face {@code config.json}. */
    public static Gpt2Config read(Path file) throws ModelException {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelException("No config.json in " + file.getParent()
                    + ". A model folder needs " + ModelFolder.NEEDS + ".");
        } catch (AccessDeniedException e) {
            throw new ModelException("Cannot read " + file + ": permission denied. Make the file readable"
                    + " (chmod a+r) or run as a user who may read it.");
        } catch (CharacterCodingException e) {
            throw new ModelException("Cannot read " + file + ": it is not UTF-8 text. A config.json is JSON written"
                    + " by save_pretrained.");
        } catch (IOException e) {
            throw new ModelException("Cannot read " + file + ": " + e.getMessage());
        }
        return parse(json, file.toString());
    }

    /** Parses a config; {@code source} names it in error messages. */
    public static Gpt2Config parse(String json, String source) throws ModelException {
        JsonObject o;
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonObject()) {
                throw new ModelException(source + " is not a JSON object.");
            }
            o = root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ModelException(source + " is not valid JSON: " + e.getMessage());
        }
        String type = optString(o, "model_type", "gpt2", source);
        if (!type.equals("gpt2")) {
            throw new ModelException(source + " describes a '" + type + "' model; Logitscope runs GPT-2 models (model_type \"gpt2\").");
        }
        String activation = optString(o, "activation_function", "gelu_new", source);
        if (!activation.equals("gelu_new") && !activation.equals("gelu_pytorch_tanh")) {
            throw new ModelException(source + ": activation_function '" + activation
                    + "' is not supported; GPT-2 checkpoints use gelu_new.");
        }
        // Variants of GPT-2 attention that this forward pass does not implement: refuse them rather
        // than compute every layer after the first wrongly (stanford-crfm checkpoints use the first).
        if (flag(o, "scale_attn_by_inverse_layer_idx", false, source)) {
            throw new ModelException(source + " sets scale_attn_by_inverse_layer_idx, a GPT-2 attention variant Logitscope"
                    + " does not implement; this checkpoint cannot be analysed correctly.");
        }
        if (!flag(o, "scale_attn_weights", true, source)) {
            throw new ModelException(source + " sets scale_attn_weights to false, a GPT-2 attention variant Logitscope"
                    + " does not implement; this checkpoint cannot be analysed correctly.");
        }
        int nEmbd = requiredInt(o, "n_embd", source);
        JsonElement inner = o.get("n_inner");
        int nInner = inner == null || inner.isJsonNull() ? 4 * nEmbd : exactInt(inner, "n_inner", source);
        int nLayer = requiredInt(o, "n_layer", source);
        int nHead = requiredInt(o, "n_head", source);
        int nPositions = requiredInt(o, "n_positions", source);
        int vocabSize = requiredInt(o, "vocab_size", source);
        JsonElement epsilon = o.get("layer_norm_epsilon");
        double layerNormEpsilon = epsilon == null ? 1e-5 : number(epsilon, "layer_norm_epsilon", source).doubleValue();
        try {
            return new Gpt2Config(nLayer, nEmbd, nHead, nPositions, vocabSize, nInner, layerNormEpsilon);
        } catch (IllegalArgumentException e) {
            throw new ModelException(source + ": " + e.getMessage());
        }
    }

    private static int requiredInt(JsonObject o, String key, String source) throws ModelException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new ModelException(source + " has no \"" + key + "\"; is it a GPT-2 config.json?");
        }
        return exactInt(e, key, source);
    }

    private static int exactInt(JsonElement e, String key, String source) throws ModelException {
        try {
            return number(e, key, source).intValueExact();
        } catch (ArithmeticException ex) {
            throw new ModelException(source + ": " + key + ": " + e + " is not an integer (a whole number that fits 32 bits).");
        }
    }

    /**
     * A JSON number, never text that looks like one: transformers would not turn "12" into 12
     * either, so accepting it would analyse a model that does not load anywhere else.
     */
    private static BigDecimal number(JsonElement e, String key, String source) throws ModelException {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            try {
                return e.getAsBigDecimal();
            } catch (NumberFormatException ex) { // NaN or Infinity, which the lenient parser lets through
                throw new ModelException(source + ": " + key + ": " + e + " is not a finite number.");
            }
        }
        throw new ModelException(source + ": " + key + ": " + e + " is not a number. Write it as a JSON number,"
                + " without quotes.");
    }

    /** Absent: the default; else a JSON boolean (not "false", which Python would read as true). */
    private static boolean flag(JsonObject o, String key, boolean fallback, String source) throws ModelException {
        JsonElement e = o.get(key);
        if (e == null) {
            return fallback;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
            return e.getAsBoolean();
        }
        throw new ModelException(source + ": " + key + ": " + e + " is not true or false.");
    }

    private static String optString(JsonObject o, String key, String fallback, String source) throws ModelException {
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
