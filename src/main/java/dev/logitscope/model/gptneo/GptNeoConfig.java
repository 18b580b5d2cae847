package dev.logitscope.model.gptneo;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.logitscope.model.ModelException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a GPT-Neo model, read from config.json as transformers' {@code GPTNeoConfig} reads
 * it. This is the one place where its config names ({@code hidden_size}, {@code num_layers},
 * {@code attention_types}, ...) are mapped to ours.
 *
 * @param nLayer           number of blocks (L), {@code num_layers}
 * @param nEmbd            width of the residual stream (C), {@code hidden_size}
 * @param nHead            attention heads per block, {@code num_heads}
 * @param nPositions       context length (learned positions), {@code max_position_embeddings}
 * @param vocabSize        vocabulary size (V)
 * @param nInner           MLP width, {@code intermediate_size} (4·C when null)
 * @param layerNormEpsilon epsilon of every LayerNorm
 * @param windowSize       how many positions a local layer's query sees, its own included
 * @param attentionLayers  the type of each block's attention, {@code nLayer} entries
 * @param tiedEmbeddings   whether the unembedding is {@code wte} ({@code tie_word_embeddings}, true by default)
 */
public record GptNeoConfig(int nLayer, int nEmbd, int nHead, int nPositions, int vocabSize, int nInner,
        double layerNormEpsilon, int windowSize, List<AttentionType> attentionLayers, boolean tiedEmbeddings) {

    public GptNeoConfig {
        require(nLayer >= 1 && nLayer <= 1000, "num_layers must be between 1 and 1000, got " + nLayer);
        require(nEmbd >= 1 && nEmbd <= 65536, "hidden_size must be between 1 and 65536, got " + nEmbd);
        require(nHead >= 1 && nEmbd % nHead == 0, "hidden_size (" + nEmbd + ") must be a multiple of num_heads (" + nHead + ")");
        require(nPositions >= 1 && nPositions <= 1 << 20, "max_position_embeddings must be between 1 and 2^20, got " + nPositions);
        require(vocabSize >= 1 && vocabSize <= 1 << 24, "vocab_size must be between 1 and 2^24, got " + vocabSize);
        require(nInner >= 1 && nInner <= 1 << 20, "intermediate_size must be between 1 and 2^20, got " + nInner);
        require(layerNormEpsilon > 0 && layerNormEpsilon < 1, "layer_norm_epsilon must be in (0, 1), got " + layerNormEpsilon);
        // A window of 0 would hide every key, even the query's own (transformers would then average
        // over masked scores): no trained model has one.
        require(windowSize >= 1, "window_size must be at least 1, got " + windowSize);
        attentionLayers = List.copyOf(attentionLayers);
        require(attentionLayers.size() == nLayer, "the attention types name " + attentionLayers.size()
                + " layers but num_layers is " + nLayer + "; attention_types must expand to one type per layer");
    }

    public int headDim() {
        return nEmbd / nHead;
    }

    /** Parameters including embeddings, counting a tied unembedding once. */
    public long parameterCount() {
        long c = nEmbd;
        long perBlock = 2 * 2 * c // ln_1, ln_2
                + 3 * c * c // q_proj, k_proj, v_proj (no bias)
                + c * c + c // out_proj
                + c * nInner + nInner // c_fc
                + (long) nInner * c + c; // c_proj
        long head = tiedEmbeddings ? 0 : (long) vocabSize * c;
        return (long) vocabSize * c + (long) nPositions * c + nLayer * perBlock + 2 * c + head;
    }

    /**
     * Floating-point operations (multiply-add = 2) of the blocks for {@code tokens} new tokens
     * that attend to {@code context} positions in all (cached + new), excluding the unembedding.
     * Local layers compute every score and mask those outside the window, so they count the whole
     * context like global ones: the work done, which the benchmark compares with the machine's peak.
     */
    public double blockFlops(int tokens, int context) {
        double c = nEmbd;
        double matmuls = 2.0 * tokens * (4 * c * c + 2 * c * nInner);
        double attention = 2.0 * 2 * tokens * (double) context * c; // q·kᵀ and att·v
        return nLayer * (matmuls + attention);
    }

    /** Parses a config.json object; {@code source} names it in error messages. */
    public static GptNeoConfig parse(JsonObject o, String source) throws ModelException {
        ConfigReader r = new ConfigReader(o, source);
        String type = r.string("model_type", "gpt_neo");
        if (!type.equals("gpt_neo")) {
            throw new ModelException(source + " describes a '" + type + "' model, not a GPT-Neo (model_type \"gpt_neo\").");
        }
        String activation = r.string("activation_function", "gelu_new");
        if (!activation.equals("gelu_new") && !activation.equals("gelu_pytorch_tanh")) {
            throw new ModelException(source + ": activation_function '" + activation
                    + "' is not supported; GPT-Neo checkpoints use gelu_new.");
        }
        int nEmbd = r.requiredInt("hidden_size");
        // transformers' attribute_map: num_hidden_layers / num_attention_heads are other names for these.
        int nLayer = r.requiredIntOrAlias("num_layers", "num_hidden_layers");
        int nHead = r.requiredIntOrAlias("num_heads", "num_attention_heads");
        int nPositions = r.requiredInt("max_position_embeddings");
        int vocabSize = r.requiredInt("vocab_size");
        Integer inner = r.optionalInt("intermediate_size");
        Integer window = r.optionalInt("window_size");
        double epsilon = r.number("layer_norm_epsilon", 1e-5);
        boolean tied = r.flag("tie_word_embeddings", true);
        List<AttentionType> layers = attentionLayers(o, nLayer, source);
        try {
            return new GptNeoConfig(nLayer, nEmbd, nHead, nPositions, vocabSize, inner == null ? 4 * nEmbd : inner,
                    epsilon, window == null ? 256 : window, layers, tied);
        } catch (IllegalArgumentException e) {
            throw new ModelException(source + ": " + e.getMessage() + ".");
        }
    }

    /**
     * The type of each layer. As in {@code GPTNeoConfig.__init__}: {@code attention_types}
     * (default {@code [[["global", "local"], 12]]}) is expanded — each [pattern, n] repeats the
     * pattern n times — and must give one type per layer; an {@code attention_layers} list in the
     * file (save_pretrained writes it beside attention_types) is then set over it, so it decides.
     */
    static List<AttentionType> attentionLayers(JsonObject o, int nLayer, String source) throws ModelException {
        JsonElement types = o.get("attention_types");
        boolean defaulted = types == null || types.isJsonNull();
        List<AttentionType> expanded = defaulted
                ? expand(List.of(List.of(AttentionType.GLOBAL, AttentionType.LOCAL)), List.of(12))
                : expandTypes(types, source);
        if (expanded.size() != nLayer) {
            throw new ModelException(source + ": attention_types " + (defaulted ? "(the default [[[\"global\", \"local\"], 12]])" : types)
                    + " expands to " + expanded.size() + " layers but num_layers is " + nLayer
                    + ". Write one [[types...], repeats] entry per run of layers so that they add up to num_layers.");
        }
        JsonElement listed = o.get("attention_layers");
        if (listed == null || listed.isJsonNull()) {
            return expanded;
        }
        if (!listed.isJsonArray()) {
            throw new ModelException(source + ": attention_layers: " + listed + " is not a list of \"global\"/\"local\".");
        }
        List<AttentionType> layers = new ArrayList<>();
        for (JsonElement e : listed.getAsJsonArray()) {
            layers.add(type(e, "attention_layers", source));
        }
        if (layers.size() != nLayer) {
            throw new ModelException(source + ": attention_layers names " + layers.size() + " layers but num_layers is "
                    + nLayer + ". Remove attention_layers (attention_types defines it) or give one type per layer.");
        }
        return layers;
    }

    private static List<AttentionType> expandTypes(JsonElement types, String source) throws ModelException {
        String shape = "Write it as [[[\"global\", \"local\"], 6]]: a list of [list of types, repeats].";
        if (!types.isJsonArray()) {
            throw new ModelException(source + ": attention_types: " + types + " is not a list. " + shape);
        }
        List<List<AttentionType>> patterns = new ArrayList<>();
        List<Integer> repeats = new ArrayList<>();
        for (JsonElement item : types.getAsJsonArray()) {
            JsonArray pair = item.isJsonArray() ? item.getAsJsonArray() : null;
            if (pair == null || pair.size() != 2 || !pair.get(0).isJsonArray()) {
                throw new ModelException(source + ": attention_types: " + item + " is not a [list of types, repeats] pair. " + shape);
            }
            List<AttentionType> pattern = new ArrayList<>();
            for (JsonElement e : pair.get(0).getAsJsonArray()) {
                pattern.add(type(e, "attention_types", source));
            }
            int n = ConfigReader.exactInt(pair.get(1), "attention_types", source);
            if (n < 0 || n > 1000) {
                throw new ModelException(source + ": attention_types: " + item + " repeats its pattern " + n
                        + " times; give a count between 0 and 1000.");
            }
            patterns.add(pattern);
            repeats.add(n);
        }
        return expand(patterns, repeats);
    }

    private static List<AttentionType> expand(List<List<AttentionType>> patterns, List<Integer> repeats) {
        List<AttentionType> layers = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            for (int n = 0; n < repeats.get(i); n++) {
                layers.addAll(patterns.get(i));
            }
        }
        return layers;
    }

    private static AttentionType type(JsonElement e, String key, String source) throws ModelException {
        String name = e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
        if (name == null) {
            throw new ModelException(source + ": " + key + ": " + e + " is not \"global\" or \"local\".");
        }
        return AttentionType.of(name).orElseThrow(() -> new ModelException(source + ": " + key + ": attention type '"
                + name + "' does not exist; GPT-Neo layers are \"global\" or \"local\"."));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Typed reads of config.json values, each failure one message naming the key. */
    private record ConfigReader(JsonObject o, String source) {

        int requiredInt(String key) throws ModelException {
            Integer value = optionalInt(key);
            if (value == null) {
                throw new ModelException(source + " has no \"" + key + "\"; is it a GPT-Neo config.json?");
            }
            return value;
        }

        /** {@code key}, else its alias; both given and different is ambiguous. */
        int requiredIntOrAlias(String key, String alias) throws ModelException {
            Integer value = optionalInt(key);
            Integer other = optionalInt(alias);
            if (value != null && other != null && !value.equals(other)) {
                throw new ModelException(source + " gives both \"" + key + "\": " + value + " and \"" + alias + "\": "
                        + other + ", two names of the same setting. Keep one of them.");
            }
            if (value == null && other == null) {
                throw new ModelException(source + " has no \"" + key + "\"; is it a GPT-Neo config.json?");
            }
            return value != null ? value : other;
        }

        /** The integer at {@code key}, or null when absent or JSON null. */
        Integer optionalInt(String key) throws ModelException {
            JsonElement e = o.get(key);
            return e == null || e.isJsonNull() ? null : exactInt(e, key, source);
        }

        double number(String key, double fallback) throws ModelException {
            JsonElement e = o.get(key);
            return e == null || e.isJsonNull() ? fallback : decimal(e, key, source).doubleValue();
        }

        String string(String key, String fallback) throws ModelException {
            JsonElement e = o.get(key);
            if (e == null || e.isJsonNull()) {
                return fallback;
            }
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
                return e.getAsString();
            }
            throw new ModelException(source + ": " + key + ": " + e + " is not a string.");
        }

        /** Absent: the default; else a JSON boolean (not "false", which Python would read as true). */
        boolean flag(String key, boolean fallback) throws ModelException {
            JsonElement e = o.get(key);
            if (e == null) {
                return fallback;
            }
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
                return e.getAsBoolean();
            }
            throw new ModelException(source + ": " + key + ": " + e + " is not true or false.");
        }

        static int exactInt(JsonElement e, String key, String source) throws ModelException {
            try {
                return decimal(e, key, source).intValueExact();
            } catch (ArithmeticException ex) {
                throw new ModelException(source + ": " + key + ": " + e + " is not an integer (a whole number that fits 32 bits).");
            }
        }

        /** A JSON number, never text that looks like one (transformers would not read "12" as 12 either). */
        static BigDecimal decimal(JsonElement e, String key, String source) throws ModelException {
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
    }
}
