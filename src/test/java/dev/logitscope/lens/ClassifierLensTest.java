package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.GsonBuilder;
import dev.logitscope.model.ModelException;
import dev.logitscope.safetensors.SafetensorsWriter;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.tensors.DType;
import dev.logitscope.tokenize.Token;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier-head lens of a GPT2ForSequenceClassification checkpoint (written here as
 * transformers saves one) equals softmax(score · ln_f(h_l)) computed in float64 on every layer.
 */
class ClassifierLensTest {

    @TempDir
    Path dir;

    @Test
    void everyLayerEqualsAFloat64ReferenceOfScoreThroughLnF() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(32).seed(21)
                .write(dir.resolve("base"));
        Path folder = dir.resolve("classifier");
        Files.createDirectories(folder);
        Files.copy(ckpt.tokenizerFile(), folder.resolve("tokenizer.json"));
        float[] score = new float[3 * 16];
        Random random = new Random(4);
        for (int i = 0; i < score.length; i++) {
            score[i] = (float) random.nextGaussian();
        }
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        ckpt.weights().forEach((name, values) -> writer.add("transformer." + name, DType.F32, ckpt.shape(name), values));
        writer.add("score.weight", DType.F32, new long[] {3, 16}, score);
        writer.write(folder.resolve("model.safetensors"));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architectures", List.of("GPT2ForSequenceClassification"));
        config.put("id2label", Map.of("0", "negative", "1", "neutral", "2", "positive"));
        config.put("label2id", Map.of("negative", 0, "neutral", 1, "positive", 2));
        config.put("layer_norm_epsilon", 1e-5);
        config.put("model_type", "gpt2");
        config.put("n_embd", 16);
        config.put("n_head", 2);
        config.put("n_inner", null);
        config.put("n_layer", 3);
        config.put("n_positions", 32);
        config.put("pad_token_id", ckpt.vocabSize() - 1);
        config.put("vocab_size", ckpt.vocabSize());
        Files.writeString(folder.resolve("config.json"), new GsonBuilder().serializeNulls().create().toJson(config),
                StandardCharsets.UTF_8);

        String text = "a tender, funny film";
        Map<String, float[]> weights = new LinkedHashMap<>(ckpt.weights());
        weights.put("score.weight", score);
        try (LensEngine engine = LensEngine.open(folder, "classifier")) {
            assertThat(engine.classLabels()).get().extracting(l -> l.names()).isEqualTo(List.of("negative", "neutral", "positive"));
            int[] ids = engine.tokenize(text).stream().mapToInt(Token::id).toArray();
            List<ClassReading> layers = engine.classifierLens(text);
            ReferenceGpt2.Result reference = new ReferenceGpt2(ckpt).run(ids);
            assertThat(layers).hasSize(4);
            for (ClassReading layer : layers) {
                double[] h = reference.afterLayer()[layer.layer()][ids.length - 1];
                double[] expected = softmax(scoreOfLnF(weights, h));
                assertThat(layer.labels()).containsExactly("negative", "neutral", "positive");
                for (int j = 0; j < 3; j++) {
                    assertThat(layer.probabilities()[j]).as("layer %d class %d", layer.layer(), j)
                            .isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
    }

    @Test
    void aModelWithoutAHeadIsRefusedWithAMessage() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().write(dir.resolve("lm"));
        try (LensEngine engine = LensEngine.open(ckpt.folder(), "lm")) {
            assertThat(engine.classLabels()).isEmpty();
            assertThatThrownBy(() -> engine.classifierLens("hello")).isInstanceOf(ModelException.class)
                    .hasMessageContaining("no classification head");
        }
    }

    /** score · ln_f(h), written out in float64. */
    private static double[] scoreOfLnF(Map<String, float[]> w, double[] h) {
        double[] gain = doubles(w.get("ln_f.weight"));
        double[] bias = doubles(w.get("ln_f.bias"));
        double mean = 0;
        for (double v : h) {
            mean += v;
        }
        mean /= h.length;
        double var = 0;
        for (double v : h) {
            var += (v - mean) * (v - mean);
        }
        var /= h.length;
        double[] normed = new double[h.length];
        for (int i = 0; i < h.length; i++) {
            normed[i] = (h[i] - mean) / Math.sqrt(var + 1e-5) * gain[i] + bias[i];
        }
        float[] score = w.get("score.weight");
        int k = score.length / h.length;
        double[] logits = new double[k];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < h.length; i++) {
                logits[j] += score[j * h.length + i] * normed[i];
            }
        }
        return logits;
    }

    private static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static double[] doubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
