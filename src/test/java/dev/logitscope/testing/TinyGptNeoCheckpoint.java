package dev.logitscope.testing;

import com.google.gson.GsonBuilder;
import dev.logitscope.safetensors.SafetensorsWriter;
import dev.logitscope.tensors.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny random GPT-Neo checkpoint written as a Hugging Face model folder ({@code config.json} as
 * transformers writes it for {@code GPTNeoForCausalLM}, {@code model.safetensors},
 * {@code tokenizer.json}), with the weights exactly as stored (after F16/BF16 rounding) for
 * {@link ReferenceGptNeo}.
 *
 * <p>{@link #weights()} is keyed by canonical names without prefix ({@code wte.weight},
 * {@code h.0.attn.attention.q_proj.weight}, ...); {@code nn.Linear} weights are [out, in]. It holds
 * {@code wte.weight} whatever name the file stores the tied matrix under, and {@code lm_head.weight}
 * only when the head is untied.
 */
public final class TinyGptNeoCheckpoint {

    /** Where the unembedding lives in the file. */
    public enum Head {
        /** Tied: stored once, as wte.weight (GPTNeoForCausalLM's save_pretrained). */
        TIED_AS_WTE,
        /** Tied: stored once, as lm_head.weight (the other name of the same shared tensor). */
        TIED_AS_LM_HEAD,
        /** {@code tie_word_embeddings: false}: wte.weight and a different lm_head.weight. */
        UNTIED
    }

    public static final double LAYER_NORM_EPSILON = 1e-5;

    private final Path folder;
    private final int nLayer;
    private final int nHead;
    private final int windowSize;
    private final List<String> attentionLayers;
    private final Map<String, float[]> weights;

    private TinyGptNeoCheckpoint(Path folder, int nLayer, int nHead, int windowSize, List<String> attentionLayers,
            Map<String, float[]> weights) {
        this.folder = folder;
        this.nLayer = nLayer;
        this.nHead = nHead;
        this.windowSize = windowSize;
        this.attentionLayers = List.copyOf(attentionLayers);
        this.weights = Collections.unmodifiableMap(weights);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path folder() { return folder; }
    public Path configFile() { return folder.resolve("config.json"); }
    public Path modelFile() { return folder.resolve("model.safetensors"); }
    public int nLayer() { return nLayer; }
    public int nHead() { return nHead; }
    public int windowSize() { return windowSize; }
    /** "global" / "local" per layer, as the writer expanded attention_types. */
    public List<String> attentionLayers() { return attentionLayers; }
    public double layerNormEpsilon() { return LAYER_NORM_EPSILON; }
    /** Parameters as stored, by canonical name. Read-only; don't change the arrays. */
    public Map<String, float[]> weights() { return weights; }

    public static final class Builder {
        private int nLayer = 4;
        private int nEmbd = 16;
        private int nHead = 2;
        private int nPositions = 64;
        private Integer nInner = null;
        private int windowSize = 4;
        private List<String> pattern = List.of("global", "local");
        private boolean writeAttentionLayers = true;
        private DType dtype = DType.F32;
        private boolean transformerPrefix = true;
        private boolean maskBuffers = false;
        private Head head = Head.TIED_AS_WTE;
        private Path realTokenizerFolder = null;
        private long seed = 42;
        private double projectionStd = 0.25;

        private Builder() {}

        public Builder nLayer(int n) { this.nLayer = n; return this; }
        public Builder nEmbd(int n) { this.nEmbd = n; return this; }
        public Builder nHead(int n) { this.nHead = n; return this; }
        public Builder nPositions(int n) { this.nPositions = n; return this; }
        /** MLP width; null (the default) writes {@code "intermediate_size": null}, meaning 4·nEmbd. */
        public Builder nInner(Integer n) { this.nInner = n; return this; }
        public Builder windowSize(int n) { this.windowSize = n; return this; }
        /** The attention pattern repeated over the layers: attention_types = [[pattern, nLayer / pattern.size()]]. */
        public Builder pattern(String... types) { this.pattern = List.of(types); return this; }
        /** Whether config.json also lists the expanded attention_layers, as save_pretrained does (default true). */
        public Builder writeAttentionLayers(boolean on) { this.writeAttentionLayers = on; return this; }
        public Builder dtype(DType dtype) { this.dtype = dtype; return this; }
        /** Store keys as {@code transformer.h.0...} (default; lm_head.weight stays unprefixed). */
        public Builder transformerPrefix(boolean on) { this.transformerPrefix = on; return this; }
        /** Also store each attention's {@code attn.attention.bias} [1,1,P,P] and {@code masked_bias} [] buffers. */
        public Builder maskBuffers(boolean on) { this.maskBuffers = on; return this; }
        public Builder head(Head head) { this.head = head; return this; }
        /** Use the real GPT-2 tokenizer (copied from {@code folder/tokenizer.json}) and vocab 50257. Keep nEmbd small. */
        public Builder realTokenizer(Path folder) { this.realTokenizerFolder = folder; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        /** Std of the q/k/v/out and MLP weights (default 0.25). */
        public Builder projectionStd(double std) { this.projectionStd = std; return this; }

        public TinyGptNeoCheckpoint write(Path folder) throws IOException {
            if (nLayer % pattern.size() != 0) {
                throw new IllegalArgumentException(nLayer + " layers are not a whole number of patterns " + pattern);
            }
            Files.createDirectories(folder);
            int vocab;
            if (realTokenizerFolder != null) {
                Files.copy(realTokenizerFolder.resolve("tokenizer.json"), folder.resolve("tokenizer.json"),
                        StandardCopyOption.REPLACE_EXISTING);
                vocab = 50257;
            } else {
                TinyTokenizer.writeTo(folder);
                vocab = TinyTokenizer.VOCAB_SIZE;
            }
            int inner = nInner == null ? 4 * nEmbd : nInner;
            List<String> layers = new ArrayList<>();
            for (int r = 0; r < nLayer / pattern.size(); r++) {
                layers.addAll(pattern);
            }
            Map<String, long[]> shapes = shapes(vocab, inner);
            Map<String, float[]> weights = randomWeights(shapes);

            SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                String name = e.getKey();
                String stored = name.equals("wte.weight") && head == Head.TIED_AS_LM_HEAD ? "lm_head.weight" : name;
                String key = transformerPrefix && !stored.startsWith("lm_head.") ? "transformer." + stored : stored;
                writer.add(key, dtype, e.getValue(), weights.get(name));
                if (maskBuffers && name.endsWith(".attn.attention.out_proj.bias")) {
                    int layer = Integer.parseInt(name.split("\\.")[1]);
                    String attention = key.substring(0, key.length() - "out_proj.bias".length()); // ...h.{i}.attn.attention.
                    writer.add(attention + "bias", dtype, new long[] {1, 1, nPositions, nPositions},
                            maskBuffer(layers.get(layer).equals("local")));
                    writer.add(attention + "masked_bias", dtype, new long[] {}, new float[] {-1e9f});
                }
            }
            writer.write(folder.resolve("model.safetensors"));
            Files.writeString(folder.resolve("config.json"), configJson(vocab, layers), StandardCharsets.UTF_8);
            return new TinyGptNeoCheckpoint(folder, nLayer, nHead, windowSize, layers, weights);
        }

        /** Canonical names → GPTNeoModel shapes (nn.Linear: [out, in]), in state_dict order. */
        private Map<String, long[]> shapes(int vocab, int inner) {
            long c = nEmbd;
            Map<String, long[]> s = new LinkedHashMap<>();
            s.put("wte.weight", new long[] {vocab, c});
            s.put("wpe.weight", new long[] {nPositions, c});
            for (int i = 0; i < nLayer; i++) {
                String h = "h." + i + ".";
                String a = h + "attn.attention.";
                s.put(h + "ln_1.weight", new long[] {c});
                s.put(h + "ln_1.bias", new long[] {c});
                s.put(a + "k_proj.weight", new long[] {c, c});
                s.put(a + "v_proj.weight", new long[] {c, c});
                s.put(a + "q_proj.weight", new long[] {c, c});
                s.put(a + "out_proj.weight", new long[] {c, c});
                s.put(a + "out_proj.bias", new long[] {c});
                s.put(h + "ln_2.weight", new long[] {c});
                s.put(h + "ln_2.bias", new long[] {c});
                s.put(h + "mlp.c_fc.weight", new long[] {inner, c});
                s.put(h + "mlp.c_fc.bias", new long[] {inner});
                s.put(h + "mlp.c_proj.weight", new long[] {c, inner});
                s.put(h + "mlp.c_proj.bias", new long[] {c});
            }
            s.put("ln_f.weight", new long[] {c});
            s.put("ln_f.bias", new long[] {c});
            if (head == Head.UNTIED) {
                s.put("lm_head.weight", new long[] {vocab, c});
            }
            return s;
        }

        private Map<String, float[]> randomWeights(Map<String, long[]> shapes) {
            Random random = new Random(seed);
            Map<String, float[]> w = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                String name = e.getKey();
                float[] values = new float[Math.toIntExact(Arrays.stream(e.getValue()).reduce(1, Math::multiplyExact))];
                double mean = 0;
                double std;
                if (name.startsWith("wte.") || name.startsWith("lm_head.")) {
                    std = 1.0;
                } else if (name.startsWith("wpe.")) {
                    std = 0.5;
                } else if (name.contains("ln_") && name.endsWith(".weight")) {
                    mean = 1;
                    std = 0.2; // LayerNorm gain 1 + N(0, 0.2)
                } else if (name.endsWith(".bias")) {
                    std = 0.1;
                } else {
                    std = projectionStd;
                }
                for (int k = 0; k < values.length; k++) {
                    values[k] = TinyCheckpoint.roundTo(dtype, (float) (mean + std * random.nextGaussian()));
                }
                w.put(name, values);
            }
            return w;
        }

        /** transformers' buffer: tril(ones) [1,1,P,P], and for a local layer bias ^ tril(bias, -window_size). */
        private float[] maskBuffer(boolean local) {
            float[] mask = new float[nPositions * nPositions];
            for (int row = 0; row < nPositions; row++) {
                for (int col = 0; col <= row; col++) {
                    mask[row * nPositions + col] = local && col <= row - windowSize ? 0f : 1f;
                }
            }
            return mask;
        }

        /** config.json as transformers writes it for GPTNeoForCausalLM. */
        private String configJson(int vocab, List<String> layers) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("_name_or_path", "tiny-random-gpt-neo");
            c.put("activation_function", "gelu_new");
            c.put("architectures", List.of("GPTNeoForCausalLM"));
            c.put("attention_dropout", 0);
            if (writeAttentionLayers) {
                c.put("attention_layers", layers);
            }
            c.put("attention_types", List.of(List.of(pattern, nLayer / pattern.size())));
            c.put("bos_token_id", vocab - 1);
            c.put("embed_dropout", 0);
            c.put("eos_token_id", vocab - 1);
            c.put("hidden_size", nEmbd);
            c.put("initializer_range", 0.02);
            c.put("intermediate_size", nInner);
            c.put("layer_norm_epsilon", LAYER_NORM_EPSILON);
            c.put("max_position_embeddings", nPositions);
            c.put("model_type", "gpt_neo");
            c.put("num_heads", nHead);
            c.put("num_layers", nLayer);
            c.put("resid_dropout", 0);
            if (head == Head.UNTIED) {
                c.put("tie_word_embeddings", false);
            }
            c.put("torch_dtype", switch (dtype) {
                case F16 -> "float16";
                case BF16 -> "bfloat16";
                default -> "float32";
            });
            c.put("transformers_version", "4.46.3");
            c.put("use_cache", true);
            c.put("vocab_size", vocab);
            c.put("window_size", windowSize);
            return new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(c) + "\n";
        }
    }
}
