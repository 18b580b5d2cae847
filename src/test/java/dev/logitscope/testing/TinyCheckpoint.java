package dev.logitscope.testing;

import com.google.gson.GsonBuilder;
import dev.logitscope.tensors.DType;
import dev.logitscope.tensors.HalfFloats;
import dev.logitscope.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny random GPT-2 checkpoint written as a Hugging Face model folder ({@code config.json},
 * {@code model.safetensors}, {@code tokenizer.json}), together with the weights exactly as stored
 * (after F16/BF16 rounding), so tests can compare a model against {@link ReferenceGpt2}.
 *
 * <pre>{@code
 * TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).write(tempDir);
 * }</pre>
 *
 * <p>{@link #weights()} is keyed by canonical names without prefix ({@code wte.weight},
 * {@code h.0.ln_1.weight}, ..., {@code lm_head.weight} only when untied); it holds parameters only,
 * never the {@code attn.bias}/{@code attn.masked_bias} mask buffers. Values are random but large
 * enough that layers, heads and positions differ clearly.
 */
public final class TinyCheckpoint {

    private final Path folder;
    private final int nLayer;
    private final int nEmbd;
    private final int nHead;
    private final int nPositions;
    private final int vocabSize;
    private final int nInner;
    private final double layerNormEpsilon;
    private final DType dtype;
    private final boolean untiedLmHead;
    private final boolean transformerPrefix;
    private final boolean maskBuffers;
    private final Map<String, float[]> weights;
    private final Map<String, long[]> shapes;

    private TinyCheckpoint(Builder b, Path folder, int vocabSize, int nInner,
            Map<String, float[]> weights, Map<String, long[]> shapes) {
        this.folder = folder;
        this.nLayer = b.nLayer;
        this.nEmbd = b.nEmbd;
        this.nHead = b.nHead;
        this.nPositions = b.nPositions;
        this.vocabSize = vocabSize;
        this.nInner = nInner;
        this.layerNormEpsilon = LAYER_NORM_EPSILON;
        this.dtype = b.dtype;
        this.untiedLmHead = b.untiedLmHead;
        this.transformerPrefix = b.transformerPrefix;
        this.maskBuffers = b.maskBuffers;
        this.weights = Collections.unmodifiableMap(weights);
        this.shapes = Collections.unmodifiableMap(shapes);
    }

    /** GPT-2's {@code layer_norm_epsilon}, written to config.json. */
    public static final double LAYER_NORM_EPSILON = 1e-5;

    public static Builder builder() {
        return new Builder();
    }

    public Path folder() { return folder; }
    public Path configFile() { return folder.resolve("config.json"); }
    public Path modelFile() { return folder.resolve("model.safetensors"); }
    public Path tokenizerFile() { return folder.resolve("tokenizer.json"); }
    public int nLayer() { return nLayer; }
    public int nEmbd() { return nEmbd; }
    public int nHead() { return nHead; }
    public int headDim() { return nEmbd / nHead; }
    public int nPositions() { return nPositions; }
    public int vocabSize() { return vocabSize; }
    /** The MLP width actually used (4·nEmbd when config.json says {@code "n_inner": null}). */
    public int nInner() { return nInner; }
    public double layerNormEpsilon() { return layerNormEpsilon; }
    public DType dtype() { return dtype; }
    public boolean untiedLmHead() { return untiedLmHead; }
    public boolean transformerPrefix() { return transformerPrefix; }
    public boolean maskBuffers() { return maskBuffers; }

    /** Parameters as stored, by canonical name (no {@code transformer.} prefix). Read-only map; don't change the arrays. */
    public Map<String, float[]> weights() { return weights; }

    /** One parameter as stored, e.g. {@code weight("h.0.attn.c_attn.weight")} ([C][3C] row-major). */
    public float[] weight(String canonicalName) {
        float[] w = weights.get(canonicalName);
        if (w == null) {
            throw new IllegalArgumentException("no parameter " + canonicalName + " in " + weights.keySet());
        }
        return w;
    }

    /** Shape of a parameter by canonical name, as in the safetensors header. */
    public long[] shape(String canonicalName) {
        return shapes.get(canonicalName).clone();
    }

    /** The key under which a canonical parameter is stored in model.safetensors. */
    public String storedKey(String canonicalName) {
        return transformerPrefix && !canonicalName.startsWith("lm_head.") ? "transformer." + canonicalName : canonicalName;
    }

    /** The output embedding: lm_head.weight when untied, else wte.weight. [V][C] */
    public float[] unembedding() {
        return untiedLmHead ? weight("lm_head.weight") : weight("wte.weight");
    }

    /** Canonical parameter names of block i, in checkpoint order. */
    public static List<String> blockParameterNames(int i) {
        String h = "h." + i + ".";
        return List.of(h + "ln_1.weight", h + "ln_1.bias",
                h + "attn.c_attn.weight", h + "attn.c_attn.bias",
                h + "attn.c_proj.weight", h + "attn.c_proj.bias",
                h + "ln_2.weight", h + "ln_2.bias",
                h + "mlp.c_fc.weight", h + "mlp.c_fc.bias",
                h + "mlp.c_proj.weight", h + "mlp.c_proj.bias");
    }

    /** Rounds a float32 value as storing it in {@code dtype} does. */
    public static float roundTo(DType dtype, float value) {
        return switch (dtype) {
            case F32 -> value;
            case F16 -> HalfFloats.halfToFloat(HalfFloats.floatToHalf(value));
            case BF16 -> HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(value));
            default -> throw new IllegalArgumentException("weights are F32, F16 or BF16, not " + dtype);
        };
    }

    public static final class Builder {
        private int nLayer = 2;
        private int nEmbd = 16;
        private int nHead = 2;
        private int nPositions = 32;
        private Integer nInner = null;
        private DType dtype = DType.F32;
        private boolean transformerPrefix = false;
        private boolean maskBuffers = false;
        private boolean untiedLmHead = false;
        private Path realTokenizerFolder = null;
        private long seed = 42;
        private double embeddingStd = 1.0;
        private double projectionStd = 0.3;
        private final Map<String, float[]> overrides = new LinkedHashMap<>();

        private Builder() {}

        public Builder nLayer(int nLayer) { this.nLayer = positive(nLayer, "nLayer"); return this; }
        public Builder nEmbd(int nEmbd) { this.nEmbd = positive(nEmbd, "nEmbd"); return this; }
        public Builder nHead(int nHead) { this.nHead = positive(nHead, "nHead"); return this; }
        public Builder nPositions(int nPositions) { this.nPositions = positive(nPositions, "nPositions"); return this; }
        /** MLP width; null (the default) writes {@code "n_inner": null}, meaning 4·nEmbd. */
        public Builder nInner(Integer nInner) {
            this.nInner = nInner == null ? null : positive(nInner, "nInner");
            return this;
        }
        /** Storage type of every tensor: F32 (default), F16 or BF16. */
        public Builder dtype(DType dtype) {
            if (!dtype.isLoadableAsFloat()) {
                throw new IllegalArgumentException("F32, F16 or BF16, not " + dtype);
            }
            this.dtype = dtype;
            return this;
        }
        /** Store keys as {@code transformer.h.0...} (lm_head.weight stays unprefixed, as in GPT2LMHeadModel). */
        public Builder transformerPrefix(boolean on) { this.transformerPrefix = on; return this; }
        /** Also store the old {@code h.{i}.attn.bias} [1,1,P,P] and {@code h.{i}.attn.masked_bias} [] buffers. */
        public Builder maskBuffers(boolean on) { this.maskBuffers = on; return this; }
        /** Store a separate random {@code lm_head.weight} [V,C], different from wte. */
        public Builder untiedLmHead(boolean on) { this.untiedLmHead = on; return this; }
        /** Use the real GPT-2 tokenizer (copied from {@code folder/tokenizer.json}) and vocab 50257. Keep nEmbd small. */
        public Builder realTokenizer(Path folder) { this.realTokenizerFolder = folder; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        /** Std of wte/wpe/lm_head entries (default 1.0). */
        public Builder embeddingStd(double std) { this.embeddingStd = std; return this; }
        /** Std of c_attn/c_proj/c_fc weights (default 0.3). */
        public Builder projectionStd(double std) { this.projectionStd = std; return this; }
        /** Replaces one random parameter (canonical name) by given values (rounded to the dtype when written). */
        public Builder override(String canonicalName, float[] values) {
            overrides.put(canonicalName, values.clone());
            return this;
        }

        /** Writes config.json, model.safetensors and tokenizer.json into {@code folder} (created if needed). */
        public TinyCheckpoint write(Path folder) throws IOException {
            if (nEmbd % nHead != 0) {
                throw new IllegalArgumentException("nEmbd " + nEmbd + " is not a multiple of nHead " + nHead);
            }
            Files.createDirectories(folder);
            int vocabSize;
            if (realTokenizerFolder != null) {
                Files.copy(realTokenizerFolder.resolve("tokenizer.json"), folder.resolve("tokenizer.json"),
                        StandardCopyOption.REPLACE_EXISTING);
                vocabSize = 50257;
            } else {
                TinyTokenizer.writeTo(folder);
                vocabSize = TinyTokenizer.VOCAB_SIZE;
            }
            int inner = nInner == null ? 4 * nEmbd : nInner;

            Map<String, long[]> shapes = shapes(vocabSize, inner);
            Map<String, float[]> weights = randomWeights(shapes);
            applyOverrides(weights, shapes);
            weights.replaceAll((name, values) -> rounded(values));

            SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                String name = e.getKey();
                String key = transformerPrefix && !name.startsWith("lm_head.") ? "transformer." + name : name;
                writer.add(key, dtype, e.getValue(), weights.get(name));
                if (maskBuffers && name.endsWith(".attn.c_proj.bias")) {
                    String block = key.substring(0, key.length() - "c_proj.bias".length()); // ...h.{i}.attn.
                    writer.add(block + "bias", dtype, new long[] {1, 1, nPositions, nPositions}, causalMask());
                    writer.add(block + "masked_bias", dtype, new long[] {}, new float[] {-1e4f});
                }
            }
            writer.write(folder.resolve("model.safetensors"));
            Files.writeString(folder.resolve("config.json"), configJson(vocabSize), StandardCharsets.UTF_8);
            return new TinyCheckpoint(this, folder, vocabSize, inner, weights, shapes);
        }

        /** Canonical names → HF GPT-2 shapes, in the order GPT2LMHeadModel stores them. */
        private Map<String, long[]> shapes(int vocab, int inner) {
            long c = nEmbd;
            Map<String, long[]> s = new LinkedHashMap<>();
            s.put("wte.weight", new long[] {vocab, c});
            s.put("wpe.weight", new long[] {nPositions, c});
            for (int i = 0; i < nLayer; i++) {
                String h = "h." + i + ".";
                s.put(h + "ln_1.weight", new long[] {c});
                s.put(h + "ln_1.bias", new long[] {c});
                s.put(h + "attn.c_attn.weight", new long[] {c, 3 * c});
                s.put(h + "attn.c_attn.bias", new long[] {3 * c});
                s.put(h + "attn.c_proj.weight", new long[] {c, c});
                s.put(h + "attn.c_proj.bias", new long[] {c});
                s.put(h + "ln_2.weight", new long[] {c});
                s.put(h + "ln_2.bias", new long[] {c});
                s.put(h + "mlp.c_fc.weight", new long[] {c, inner});
                s.put(h + "mlp.c_fc.bias", new long[] {inner});
                s.put(h + "mlp.c_proj.weight", new long[] {inner, c});
                s.put(h + "mlp.c_proj.bias", new long[] {c});
            }
            s.put("ln_f.weight", new long[] {c});
            s.put("ln_f.bias", new long[] {c});
            if (untiedLmHead) {
                s.put("lm_head.weight", new long[] {vocab, c});
            }
            return s;
        }

        private Map<String, float[]> randomWeights(Map<String, long[]> shapes) {
            Random random = new Random(seed);
            Map<String, float[]> w = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                String name = e.getKey();
                float[] values = new float[Math.toIntExact(count(e.getValue()))];
                double mean = 0;
                double std;
                if (name.startsWith("wte.") || name.startsWith("wpe.") || name.startsWith("lm_head.")) {
                    std = embeddingStd;
                } else if (name.contains("ln_") && name.endsWith(".weight")) {
                    mean = 1;
                    std = 0.2; // LayerNorm gain 1 + N(0, 0.2)
                } else if (name.endsWith(".bias")) {
                    std = 0.1;
                } else {
                    std = projectionStd;
                }
                for (int k = 0; k < values.length; k++) {
                    values[k] = (float) (mean + std * random.nextGaussian());
                }
                w.put(name, values);
            }
            return w;
        }

        private void applyOverrides(Map<String, float[]> weights, Map<String, long[]> shapes) {
            for (Map.Entry<String, float[]> e : overrides.entrySet()) {
                long[] shape = shapes.get(e.getKey());
                if (shape == null) {
                    throw new IllegalArgumentException("no parameter " + e.getKey() + " to override");
                }
                if (count(shape) != e.getValue().length) {
                    throw new IllegalArgumentException(e.getKey() + " holds " + count(shape) + " values, override has "
                            + e.getValue().length);
                }
                weights.put(e.getKey(), e.getValue().clone());
            }
        }

        private float[] rounded(float[] values) {
            float[] out = new float[values.length];
            for (int k = 0; k < values.length; k++) {
                out[k] = roundTo(dtype, values[k]);
            }
            return out;
        }

        /** [1][1][P][P]: 1 on and below the diagonal. */
        private float[] causalMask() {
            float[] mask = new float[nPositions * nPositions];
            for (int row = 0; row < nPositions; row++) {
                for (int col = 0; col <= row; col++) {
                    mask[row * nPositions + col] = 1f;
                }
            }
            return mask;
        }

        /** config.json as transformers writes it for GPT2LMHeadModel. */
        private String configJson(int vocabSize) {
            int eos = vocabSize - 1;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("_name_or_path", "tiny-random-gpt2");
            c.put("activation_function", "gelu_new");
            c.put("architectures", List.of("GPT2LMHeadModel"));
            c.put("attn_pdrop", 0.1);
            c.put("bos_token_id", eos);
            c.put("embd_pdrop", 0.1);
            c.put("eos_token_id", eos);
            c.put("initializer_range", 0.02);
            c.put("layer_norm_epsilon", LAYER_NORM_EPSILON);
            c.put("model_type", "gpt2");
            c.put("n_ctx", nPositions);
            c.put("n_embd", nEmbd);
            c.put("n_head", nHead);
            c.put("n_inner", nInner);
            c.put("n_layer", nLayer);
            c.put("n_positions", nPositions);
            c.put("reorder_and_upcast_attn", false);
            c.put("resid_pdrop", 0.1);
            c.put("scale_attn_by_inverse_layer_idx", false);
            c.put("scale_attn_weights", true);
            if (untiedLmHead) {
                c.put("tie_word_embeddings", false);
            }
            c.put("torch_dtype", switch (dtype) {
                case F16 -> "float16";
                case BF16 -> "bfloat16";
                default -> "float32";
            });
            c.put("transformers_version", "4.46.3");
            c.put("use_cache", true);
            c.put("vocab_size", vocabSize);
            return new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(c) + "\n";
        }

        private static long count(long[] shape) {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
