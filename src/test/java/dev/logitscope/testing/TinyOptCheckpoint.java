package dev.logitscope.testing;

import com.google.gson.GsonBuilder;
import dev.logitscope.safetensors.SafetensorsWriter;
import dev.logitscope.tensors.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny random OPT checkpoint written as a Hugging Face model folder ({@code config.json} as
 * {@code OPTConfig} writes it, {@code model.safetensors} with {@code OPTForCausalLM}'s tensor names
 * and shapes, and the tests' {@link TinyTokenizer}), with the weights exactly as stored (after
 * F16/BF16 rounding), to compare the model against {@link ReferenceOpt}.
 *
 * <p>The vocabulary is by default 8 rows larger than the tokenizer's 300 ids, as the released
 * models pad theirs (50272 rows for 50265 ids): rows no token reaches, which the lens still ranks.
 * {@link #weights()} is keyed by canonical names without prefix ({@code embed_tokens.weight},
 * {@code layers.0.fc1.weight}, …, and {@code lm_head.weight} when one is stored).
 */
public final class TinyOptCheckpoint {

    /** How the unembedding is stored. */
    public enum LmHead {
        /** Tied, not stored (save_pretrained drops tied copies). */
        TIED_ABSENT,
        /** Tied, but a different random {@code lm_head.weight} is stored: transformers ties it to embed_tokens anyway. */
        TIED_STORED,
        /** {@code tie_word_embeddings: false} and its own {@code lm_head.weight}. */
        UNTIED
    }

    private final Builder b;
    private final Path folder;
    private final int wordEmbedProjDim;
    private final Map<String, float[]> weights;

    private TinyOptCheckpoint(Builder b, Path folder, int wordEmbedProjDim, Map<String, float[]> weights) {
        this.b = b;
        this.folder = folder;
        this.wordEmbedProjDim = wordEmbedProjDim;
        this.weights = Collections.unmodifiableMap(weights);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path folder() { return folder; }
    public int nLayer() { return b.nLayer; }
    public int hidden() { return b.hidden; }
    public int nHead() { return b.nHead; }
    public int ffnDim() { return b.ffnDim; }
    public int maxPositions() { return b.maxPositions; }
    public int vocabSize() { return b.vocabSize; }
    public int wordEmbedProjDim() { return wordEmbedProjDim; }
    public boolean doLayerNormBefore() { return b.doLayerNormBefore; }
    public boolean removeFinalLayerNorm() { return b.removeFinalLayerNorm; }
    public boolean enableBias() { return b.enableBias; }
    public boolean layerNormAffine() { return b.layerNormAffine; }
    public String activation() { return b.activation; }
    public LmHead lmHead() { return b.lmHead; }

    /** Parameters as stored, by canonical name. Read-only map; don't change the arrays. */
    public Map<String, float[]> weights() { return weights; }

    public static final class Builder {
        private int nLayer = 2;
        private int hidden = 16;
        private int nHead = 2;
        private int ffnDim = 40;
        private int maxPositions = 64;
        private int vocabSize = TinyTokenizer.VOCAB_SIZE + 8;
        private Integer wordEmbedProjDim = null;
        private boolean doLayerNormBefore = true;
        private boolean removeFinalLayerNorm = false;
        private boolean enableBias = true;
        private boolean layerNormAffine = true;
        private String activation = "relu";
        private String prefix = "model.decoder.";
        private LmHead lmHead = LmHead.TIED_ABSENT;
        private DType dtype = DType.F32;
        private long seed = 42;
        private double projectionStd = 0.3;

        private Builder() {}

        public Builder nLayer(int v) { nLayer = v; return this; }
        public Builder hidden(int v) { hidden = v; return this; }
        public Builder nHead(int v) { nHead = v; return this; }
        public Builder ffnDim(int v) { ffnDim = v; return this; }
        public Builder maxPositions(int v) { maxPositions = v; return this; }
        /** Rows of embed_tokens; at least the tokenizer's 300. */
        public Builder vocabSize(int v) { vocabSize = v; return this; }
        /** word_embed_proj_dim; a value other than hidden adds project_in / project_out (opt-350m). */
        public Builder wordEmbedProjDim(int v) { wordEmbedProjDim = v; return this; }
        /** false: post-LN layers and no final LayerNorm (opt-350m). */
        public Builder doLayerNormBefore(boolean v) { doLayerNormBefore = v; return this; }
        /** {@code _remove_final_layer_norm}: no final LayerNorm even though pre-LN. */
        public Builder removeFinalLayerNorm(boolean v) { removeFinalLayerNorm = v; return this; }
        public Builder enableBias(boolean v) { enableBias = v; return this; }
        public Builder layerNormAffine(boolean v) { layerNormAffine = v; return this; }
        public Builder activation(String v) { activation = v; return this; }
        /** {@code model.decoder.} (save_pretrained, the default) or {@code decoder.} (the facebook/opt-* files). */
        public Builder prefix(String v) { prefix = v; return this; }
        public Builder lmHead(LmHead v) { lmHead = v; return this; }
        public Builder dtype(DType v) { dtype = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        /** Std of the linear layers' weights (default 0.3). */
        public Builder projectionStd(double v) { projectionStd = v; return this; }

        /** Writes config.json, model.safetensors and tokenizer.json into {@code folder}. */
        public TinyOptCheckpoint write(Path folder) throws IOException {
            Files.createDirectories(folder);
            TinyTokenizer.writeTo(folder);
            int proj = wordEmbedProjDim == null ? hidden : wordEmbedProjDim;
            Map<String, long[]> shapes = shapes(proj);
            Random random = new Random(seed);
            Map<String, float[]> weights = new LinkedHashMap<>();
            SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                String name = e.getKey();
                float[] values = random(random, name, e.getValue());
                for (int k = 0; k < values.length; k++) {
                    values[k] = TinyCheckpoint.roundTo(dtype, values[k]);
                }
                weights.put(name, values);
                writer.add(name.equals("lm_head.weight") ? name : prefix + name, dtype, e.getValue(), values);
            }
            writer.write(folder.resolve("model.safetensors"));
            Files.writeString(folder.resolve("config.json"), configJson(proj), StandardCharsets.UTF_8);
            return new TinyOptCheckpoint(this, folder, proj, weights);
        }

        /** Canonical names → OPTForCausalLM's shapes (nn.Linear weights [out, in]). */
        private Map<String, long[]> shapes(int proj) {
            long c = hidden;
            Map<String, long[]> s = new LinkedHashMap<>();
            s.put("embed_tokens.weight", new long[] {vocabSize, proj});
            s.put("embed_positions.weight", new long[] {maxPositions + 2, c});
            if (proj != hidden) {
                s.put("project_out.weight", new long[] {proj, c});
                s.put("project_in.weight", new long[] {c, proj});
            }
            if (doLayerNormBefore && !removeFinalLayerNorm && layerNormAffine) {
                s.put("final_layer_norm.weight", new long[] {c});
                s.put("final_layer_norm.bias", new long[] {c});
            }
            for (int i = 0; i < nLayer; i++) {
                String p = "layers." + i + ".";
                for (String m : List.of("k_proj", "v_proj", "q_proj", "out_proj")) {
                    s.put(p + "self_attn." + m + ".weight", new long[] {c, c});
                    if (enableBias) {
                        s.put(p + "self_attn." + m + ".bias", new long[] {c});
                    }
                }
                if (layerNormAffine) {
                    s.put(p + "self_attn_layer_norm.weight", new long[] {c});
                    s.put(p + "self_attn_layer_norm.bias", new long[] {c});
                }
                s.put(p + "fc1.weight", new long[] {ffnDim, c});
                if (enableBias) {
                    s.put(p + "fc1.bias", new long[] {ffnDim});
                }
                s.put(p + "fc2.weight", new long[] {c, ffnDim});
                if (enableBias) {
                    s.put(p + "fc2.bias", new long[] {c});
                }
                if (layerNormAffine) {
                    s.put(p + "final_layer_norm.weight", new long[] {c});
                    s.put(p + "final_layer_norm.bias", new long[] {c});
                }
            }
            if (lmHead != LmHead.TIED_ABSENT) {
                s.put("lm_head.weight", new long[] {vocabSize, proj});
            }
            return s;
        }

        private float[] random(Random random, String name, long[] shape) {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            float[] values = new float[Math.toIntExact(n)];
            double mean = 0;
            double std;
            if (name.startsWith("embed_") || name.startsWith("lm_head")) {
                std = name.startsWith("embed_positions") ? 0.5 : 1.0;
            } else if (name.contains("layer_norm") && name.endsWith(".weight")) {
                mean = 1;
                std = 0.2;
            } else if (name.endsWith(".bias")) {
                std = 0.1;
            } else {
                std = projectionStd;
            }
            for (int k = 0; k < values.length; k++) {
                values[k] = (float) (mean + std * random.nextGaussian());
            }
            return values;
        }

        /** config.json as OPTConfig.to_json_string writes it for OPTForCausalLM. */
        private String configJson(int proj) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("_name_or_path", "tiny-random-opt");
            c.put("_remove_final_layer_norm", removeFinalLayerNorm);
            c.put("activation_dropout", 0.0);
            c.put("activation_function", activation);
            c.put("architectures", List.of("OPTForCausalLM"));
            c.put("attention_dropout", 0.0);
            c.put("bos_token_id", 2);
            c.put("do_layer_norm_before", doLayerNormBefore);
            c.put("dropout", 0.1);
            c.put("enable_bias", enableBias);
            c.put("eos_token_id", 2);
            c.put("ffn_dim", ffnDim);
            c.put("hidden_size", hidden);
            c.put("init_std", 0.02);
            c.put("layer_norm_elementwise_affine", layerNormAffine);
            c.put("layerdrop", 0.0);
            c.put("max_position_embeddings", maxPositions);
            c.put("model_type", "opt");
            c.put("num_attention_heads", nHead);
            c.put("num_hidden_layers", nLayer);
            c.put("pad_token_id", 1);
            c.put("prefix", "</s>");
            if (lmHead == LmHead.UNTIED) {
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
            c.put("word_embed_proj_dim", proj);
            return new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(c) + "\n";
        }
    }
}
