package dev.logitscope.model.gptneo;

import com.google.gson.Gson;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.safetensors.SafetensorsWriter;
import dev.logitscope.tensors.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a GPT-Neo checkpoint of a real shape with random weights (config.json + model.safetensors),
 * so the benchmark runs the real loading path without a download. The numbers it produces mean
 * nothing; only their cost does.
 */
public final class RandomCheckpoint {
    private RandomCheckpoint() {}

    /**
     * The shape of a released GPT-Neo of {@code layers} blocks of width {@code width} and
     * {@code heads} heads: GPT-2's vocabulary, 2048 positions, a 4·C MLP, ε = 1e-5, and global and
     * local layers alternating with a window of 256 (gpt-neo-125m and 1.3B).
     */
    public static GptNeoConfig releasedShape(int layers, int width, int heads) {
        List<AttentionType> types = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            types.add(i % 2 == 0 ? AttentionType.GLOBAL : AttentionType.LOCAL);
        }
        return new GptNeoConfig(layers, width, heads, 2048, 50257, 4 * width, 1e-5, 256, types, true);
    }

    /** Writes {@code config.json} and {@code model.safetensors} (F32, tied head) into {@code folder}. */
    public static void write(GptNeoConfig config, Path folder, long seed) throws IOException {
        if (!config.tiedEmbeddings()) {
            throw new IllegalArgumentException("random checkpoints have a tied head");
        }
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(ModelFolder.CONFIG), configJson(config), StandardCharsets.UTF_8);
        long c = config.nEmbd();
        long inner = config.nInner();
        SafetensorsWriter writer = new SafetensorsWriter();
        SplittableRandom random = new SplittableRandom(seed);
        writer.add("transformer.wte.weight", DType.F32, new long[] {config.vocabSize(), c},
                () -> uniform(random, config.vocabSize() * c, 0.1f));
        writer.add("transformer.wpe.weight", DType.F32, new long[] {config.nPositions(), c},
                () -> uniform(random, config.nPositions() * c, 0.02f));
        for (int i = 0; i < config.nLayer(); i++) {
            String p = "transformer.h." + i + ".";
            String a = p + "attn.attention.";
            writer.add(p + "ln_1.weight", DType.F32, new long[] {c}, () -> constant(c, 1f));
            writer.add(p + "ln_1.bias", DType.F32, new long[] {c}, () -> constant(c, 0f));
            for (String projection : List.of("k_proj", "v_proj", "q_proj", "out_proj")) {
                writer.add(a + projection + ".weight", DType.F32, new long[] {c, c}, () -> uniform(random, c * c, 0.03f));
            }
            writer.add(a + "out_proj.bias", DType.F32, new long[] {c}, () -> constant(c, 0f));
            writer.add(p + "ln_2.weight", DType.F32, new long[] {c}, () -> constant(c, 1f));
            writer.add(p + "ln_2.bias", DType.F32, new long[] {c}, () -> constant(c, 0f));
            writer.add(p + "mlp.c_fc.weight", DType.F32, new long[] {inner, c}, () -> uniform(random, inner * c, 0.03f));
            writer.add(p + "mlp.c_fc.bias", DType.F32, new long[] {inner}, () -> constant(inner, 0f));
            writer.add(p + "mlp.c_proj.weight", DType.F32, new long[] {c, inner}, () -> uniform(random, inner * c, 0.03f));
            writer.add(p + "mlp.c_proj.bias", DType.F32, new long[] {c}, () -> constant(c, 0f));
        }
        writer.add("transformer.ln_f.weight", DType.F32, new long[] {c}, () -> constant(c, 1f));
        writer.add("transformer.ln_f.bias", DType.F32, new long[] {c}, () -> constant(c, 0f));
        writer.write(folder.resolve(ModelFolder.WEIGHTS));
    }

    /** config.json with the keys GPTNeoConfig reads; attention_types spells out each layer as [[type], 1]. */
    private static String configJson(GptNeoConfig config) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model_type", "gpt_neo");
        json.put("architectures", List.of("GPTNeoForCausalLM"));
        json.put("activation_function", "gelu_new");
        List<String> layers = config.attentionLayers().stream().map(AttentionType::configName).toList();
        json.put("attention_layers", layers);
        json.put("attention_types", layers.stream().map(type -> Arrays.asList(List.of(type), 1)).toList());
        json.put("hidden_size", config.nEmbd());
        json.put("intermediate_size", config.nInner());
        json.put("layer_norm_epsilon", config.layerNormEpsilon());
        json.put("max_position_embeddings", config.nPositions());
        json.put("num_heads", config.nHead());
        json.put("num_layers", config.nLayer());
        json.put("vocab_size", config.vocabSize());
        json.put("window_size", config.windowSize());
        return new Gson().toJson(Collections.unmodifiableMap(json));
    }

    private static float[] uniform(SplittableRandom random, long count, float limit) {
        float[] values = new float[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1) * limit;
        }
        return values;
    }

    private static float[] constant(long count, float value) {
        float[] values = new float[Math.toIntExact(count)];
        Arrays.fill(values, value);
        return values;
    }
}
