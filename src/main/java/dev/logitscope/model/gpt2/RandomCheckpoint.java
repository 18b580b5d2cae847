package dev.logitscope.model.gpt2;

import dev.logitscope.model.ModelFolder;
import dev.logitscope.tensors.DType;
import dev.logitscope.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a GPT-2 checkpoint of a real shape with random weights (config.json + model.safetensors),
 * so the benchmark runs the real loading path — memory mapping included — without a download.
 * The numbers it produces mean nothing; only their cost does.
 */
public final class RandomCheckpoint {
    private RandomCheckpoint() {}

    /**
     * The shape of a released GPT-2 of {@code layers} blocks of width {@code width} and
     * {@code heads} heads: GPT-2's vocabulary and context, a 4·C MLP and ε = 1e-5 (the sizes
     * themselves are the hub catalog's).
     */
    public static Gpt2Config releasedShape(int layers, int width, int heads) {
        return new Gpt2Config(layers, width, heads, 1024, 50257, 4 * width, 1e-5);
    }

    /** Writes {@code config.json} and {@code model.safetensors} (F32) into {@code folder}. */
    public static void write(Gpt2Config config, Path folder, long seed) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(ModelFolder.CONFIG), String.format(java.util.Locale.ROOT,
                "{\"model_type\": \"gpt2\", \"n_layer\": %d, \"n_embd\": %d, \"n_head\": %d, \"n_positions\": %d,"
                        + " \"vocab_size\": %d, \"n_inner\": %d, \"layer_norm_epsilon\": %s, \"activation_function\": \"gelu_new\"}",
                config.nLayer(), config.nEmbd(), config.nHead(), config.nPositions(), config.vocabSize(), config.nInner(),
                config.layerNormEpsilon()), StandardCharsets.UTF_8);
        long c = config.nEmbd();
        long inner = config.nInner();
        SafetensorsWriter writer = new SafetensorsWriter();
        SplittableRandom random = new SplittableRandom(seed);
        writer.add("wte.weight", DType.F32, new long[] {config.vocabSize(), c}, () -> uniform(random, config.vocabSize() * c, 0.1f));
        writer.add("wpe.weight", DType.F32, new long[] {config.nPositions(), c}, () -> uniform(random, config.nPositions() * c, 0.02f));
        for (int i = 0; i < config.nLayer(); i++) {
            String p = "h." + i + ".";
            writer.add(p + "ln_1.weight", DType.F32, new long[] {c}, () -> constant(c, 1f));
            writer.add(p + "ln_1.bias", DType.F32, new long[] {c}, () -> constant(c, 0f));
            writer.add(p + "attn.c_attn.weight", DType.F32, new long[] {c, 3 * c}, () -> uniform(random, 3 * c * c, 0.03f));
            writer.add(p + "attn.c_attn.bias", DType.F32, new long[] {3 * c}, () -> constant(3 * c, 0f));
            writer.add(p + "attn.c_proj.weight", DType.F32, new long[] {c, c}, () -> uniform(random, c * c, 0.03f));
            writer.add(p + "attn.c_proj.bias", DType.F32, new long[] {c}, () -> constant(c, 0f));
            writer.add(p + "ln_2.weight", DType.F32, new long[] {c}, () -> constant(c, 1f));
            writer.add(p + "ln_2.bias", DType.F32, new long[] {c}, () -> constant(c, 0f));
            writer.add(p + "mlp.c_fc.weight", DType.F32, new long[] {c, inner}, () -> uniform(random, c * inner, 0.03f));
            writer.add(p + "mlp.c_fc.bias", DType.F32, new long[] {inner}, () -> constant(inner, 0f));
            writer.add(p + "mlp.c_proj.weight", DType.F32, new long[] {inner, c}, () -> uniform(random, inner * c, 0.03f));
            writer.add(p + "mlp.c_proj.bias", DType.F32, new long[] {c}, () -> constant(c, 0f));
        }
        writer.add("ln_f.weight", DType.F32, new long[] {c}, () -> constant(c, 1f));
        writer.add("ln_f.bias", DType.F32, new long[] {c}, () -> constant(c, 0f));
        writer.write(folder.resolve(ModelFolder.WEIGHTS));
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
        java.util.Arrays.fill(values, value);
        return values;
    }
}
