package dev.logitscope.testing;

import com.google.gson.GsonBuilder;
import dev.logitscope.safetensors.SafetensorsWriter;
import dev.logitscope.tensors.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A GPT2ForSequenceClassification folder written as transformers' save_pretrained writes one: a
 * tiny GPT-2's weights under {@code transformer.}, a random {@code score.weight} [K, C] and
 * config.json with {@code id2label}/{@code label2id}.
 *
 * @param folder  the classifier's folder
 * @param base    the GPT-2 it is built on (its float64 reference reads the same residuals)
 * @param weights the base's weights plus {@code score.weight}
 */
public record TinyClassifier(Path folder, TinyCheckpoint base, Map<String, float[]> weights) {

    /** Writes a classifier with classes {@code names} (id2label order) on {@code base}, score drawn from {@code seed}. */
    public static TinyClassifier write(Path folder, TinyCheckpoint base, List<String> names, long seed) throws IOException {
        Files.createDirectories(folder);
        Files.copy(base.tokenizerFile(), folder.resolve("tokenizer.json"));
        int k = names.size();
        int c = base.nEmbd();
        float[] score = new float[k * c];
        Random random = new Random(seed);
        for (int i = 0; i < score.length; i++) {
            score[i] = (float) random.nextGaussian();
        }
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        base.weights().forEach((name, values) -> writer.add("transformer." + name, DType.F32, base.shape(name), values));
        writer.add("score.weight", DType.F32, new long[] {k, c}, score);
        writer.write(folder.resolve("model.safetensors"));
        Map<String, Object> id2label = new LinkedHashMap<>();
        Map<String, Object> label2id = new LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            id2label.put(String.valueOf(i), names.get(i));
            label2id.put(names.get(i), i);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architectures", List.of("GPT2ForSequenceClassification"));
        config.put("id2label", id2label);
        config.put("label2id", label2id);
        config.put("layer_norm_epsilon", 1e-5);
        config.put("model_type", "gpt2");
        config.put("n_embd", c);
        config.put("n_head", base.nHead());
        config.put("n_inner", null);
        config.put("n_layer", base.nLayer());
        config.put("n_positions", base.nPositions());
        config.put("pad_token_id", base.vocabSize() - 1);
        config.put("vocab_size", base.vocabSize());
        Files.writeString(folder.resolve("config.json"), new GsonBuilder().serializeNulls().create().toJson(config),
                StandardCharsets.UTF_8);
        Map<String, float[]> weights = new LinkedHashMap<>(base.weights());
        weights.put("score.weight", score);
        return new TinyClassifier(folder, base, weights);
    }

    /** softmax(score · ln_f(h)) of one residual row, in float64: the classifier-head lens's definition. */
    public double[] classProbabilities(double[] h) {
        double[] normed = ReferenceGpt2.layerNorm(h, doubles(weights.get("ln_f.weight")),
                doubles(weights.get("ln_f.bias")), 1e-5); // [C]
        float[] score = weights.get("score.weight");
        int k = score.length / h.length;
        double[] logits = new double[k];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < h.length; i++) {
                logits[j] += score[j * h.length + i] * normed[i];
            }
        }
        return ReferenceGpt2.softmax(logits);
    }

    private static double[] doubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
