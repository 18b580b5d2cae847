package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.safetensors.SafetensorsFile;
import dev.logitscope.safetensors.SafetensorsWriter;
import dev.logitscope.tensors.DType;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.ReferenceGptNeo;
import dev.logitscope.testing.ReferenceOpt;
import dev.logitscope.testing.TinyGptNeoCheckpoint;
import dev.logitscope.testing.TinyOptCheckpoint;
import dev.logitscope.tokenize.Token;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier-head lens of GPTNeoForSequenceClassification and OPTForSequenceClassification
 * checkpoints (written here as transformers saves them: the base model's tensors under
 * {@code transformer.} / {@code model.decoder.}, {@code score.weight} at the top level, id2label in
 * config.json) equals softmax(score · final_norm(h_l)) computed in float64 on every layer — for
 * OPT the decoder's tail as the model has it: final_layer_norm if any, project_out if any.
 */
class FamilyClassifierLensTest {
    private static final List<String> LABELS = List.of("negative", "neutral", "positive");
    private static final String TEXT = "a tender, funny film";

    @TempDir
    Path dir;

    @Test
    void gptNeoReadsEveryLayerThroughLnFThenScore() throws Exception {
        TinyGptNeoCheckpoint ckpt = TinyGptNeoCheckpoint.builder().nLayer(4).nEmbd(16).nHead(2).nPositions(32)
                .windowSize(3).seed(21).write(dir.resolve("neo"));
        float[] score = random(3 * 16, 4);
        Path folder = classifier(ckpt.folder(), "transformer.", "GPTNeoForSequenceClassification", score, 16);
        ReferenceGptNeo reference = new ReferenceGptNeo(ckpt);
        check(folder, ids -> reference.run(ids).afterLayer(), h -> times(score,
                ReferenceGpt2.layerNorm(h, doubles(ckpt.weights().get("ln_f.weight")), doubles(ckpt.weights().get("ln_f.bias")),
                        ckpt.layerNormEpsilon())), 5);
    }

    @Test
    void optPreLnReadsEveryLayerThroughFinalLayerNormThenScore() throws Exception {
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().nLayer(3).hidden(16).nHead(2).ffnDim(24).maxPositions(32)
                .seed(22).write(dir.resolve("opt"));
        float[] score = random(3 * 16, 5);
        Path folder = classifier(ckpt.folder(), "model.decoder.", "OPTForSequenceClassification", score, 16);
        ReferenceOpt reference = new ReferenceOpt(ckpt);
        check(folder, ids -> reference.run(ids).afterLayer(), h -> times(score, reference.decoderOutput(h)), 4);
    }

    @Test
    void optPostLnWithProjectionsReadsEveryLayerThroughProjectOutThenScore() throws Exception {
        // opt-350m's shape: post-LN layers, no final LayerNorm, word_embed_proj_dim ≠ hidden_size.
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(24).maxPositions(32)
                .doLayerNormBefore(false).wordEmbedProjDim(12).seed(23).write(dir.resolve("opt350"));
        float[] score = random(3 * 12, 6);
        Path folder = classifier(ckpt.folder(), "model.decoder.", "OPTForSequenceClassification", score, 12);
        ReferenceOpt reference = new ReferenceOpt(ckpt);
        check(folder, ids -> reference.run(ids).afterLayer(), h -> times(score, reference.decoderOutput(h)), 3);
    }

    private static void check(Path folder, Function<int[], double[][][]> layers, Function<double[], double[]> head,
            int expectedLayers) throws Exception {
        try (LensEngine engine = LensEngine.open(folder, "classifier")) {
            assertThat(engine.classLabels()).get().extracting(l -> l.names()).isEqualTo(LABELS);
            int[] ids = engine.tokenize(TEXT).stream().mapToInt(Token::id).toArray();
            double[][][] taps = layers.apply(ids);
            List<ClassReading> readings = engine.classifierLens(TEXT);
            assertThat(readings).hasSize(expectedLayers);
            for (ClassReading reading : readings) {
                double[] expected = ReferenceGpt2.softmax(head.apply(taps[reading.layer()][ids.length - 1]));
                assertThat(reading.labels()).containsExactlyElementsOf(LABELS);
                assertThat(reading.probabilities()).as("layer %d", reading.layer())
                        .containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    /**
     * A copy of {@code base} as a sequence classifier: its tensors (prefixed as the
     * ForSequenceClassification model names them), score.weight [3, width] and a config.json with
     * the architecture and the three labels.
     */
    private Path classifier(Path base, String prefix, String architecture, float[] score, int width) throws Exception {
        Path folder = dir.resolve(architecture + "-" + base.getFileName());
        Files.createDirectories(folder);
        Files.copy(base.resolve("tokenizer.json"), folder.resolve("tokenizer.json"));
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        try (SafetensorsFile file = SafetensorsFile.open(base.resolve("model.safetensors"))) {
            for (String name : file.names()) {
                String bare = name.startsWith("transformer.") ? name.substring("transformer.".length())
                        : name.startsWith("model.decoder.") ? name.substring("model.decoder.".length()) : name;
                writer.add(prefix + bare, DType.F32, file.require(name).shape(), file.readFloats(name));
            }
        }
        writer.add("score.weight", DType.F32, new long[] {3, width}, score);
        writer.write(folder.resolve("model.safetensors"));
        JsonObject config = JsonParser.parseString(Files.readString(base.resolve("config.json"))).getAsJsonObject();
        JsonArray architectures = new JsonArray();
        architectures.add(architecture);
        config.add("architectures", architectures);
        JsonObject id2label = new JsonObject();
        JsonObject label2id = new JsonObject();
        for (int i = 0; i < LABELS.size(); i++) {
            id2label.addProperty(String.valueOf(i), LABELS.get(i));
            label2id.addProperty(LABELS.get(i), i);
        }
        config.add("id2label", id2label);
        config.add("label2id", label2id);
        Files.writeString(folder.resolve("config.json"), config.toString(), StandardCharsets.UTF_8);
        return folder;
    }

    private static float[] random(int n, long seed) {
        Random random = new Random(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static double[] times(float[] w, double[] x) {
        double[] y = new double[w.length / x.length];
        for (int k = 0; k < y.length; k++) {
            for (int i = 0; i < x.length; i++) {
                y[k] += w[k * x.length + i] * x[i];
            }
        }
        return y;
    }

    private static double[] doubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
