package dev.logitscope.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.lens.ClassReading;
import dev.logitscope.lens.ClassifierLens;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.TrainableModel;
import dev.logitscope.model.TrainableParameter;
import dev.logitscope.model.gptneo.GptNeoTrainable;
import dev.logitscope.model.opt.OptTrainable;
import dev.logitscope.safetensors.SafetensorsFile;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.ReferenceGptNeo;
import dev.logitscope.testing.ReferenceOpt;
import dev.logitscope.testing.TinyGptNeoCheckpoint;
import dev.logitscope.testing.TinyOptCheckpoint;
import dev.logitscope.tokenize.Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning GPT-Neo and OPT with the last block trainable: frozen weights stay bit-identical and
 * get no gradient or optimizer state; the result is saved as transformers saves
 * GPTNeoForSequenceClassification / OPTForSequenceClassification, reloads through the normal
 * family loader with the in-memory model's classifier-lens numbers, and those numbers are
 * softmax(score · final_norm(h_l)) computed in float64 on every layer.
 */
class FamilyFineTuneTest {

    @TempDir
    Path dir;

    private final Examples train = TinyClassifier.examples(24, 3);
    private final TrainingRecipe recipe = new TrainingRecipe(1, 2, 8, 1e-2, 0.01, 0.1, 1.0, 5);
    private static final String TEXT = "the film was fine";

    /** What differs between the families in this test. */
    private record Family(Path base, Map<String, float[]> weights, String prefix, String architecture, int pad,
            Predicate<String> trained, long[] scoreShape, Loader loader,
            BiFunction<Map<String, float[]>, int[], double[][]> referenceLogitsPerLayer) {}

    @FunctionalInterface
    private interface Loader {
        TrainableModel load(ModelFolder folder, dev.logitscope.model.ClassLabels labels, int blocks, long seed,
                ai.djl.ndarray.NDManager root) throws Exception;
    }

    @Test
    void gptNeo() throws Exception {
        TinyGptNeoCheckpoint ckpt = TinyGptNeoCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(32)
                .windowSize(2).seed(13).write(dir.resolve("neo"));
        run(new Family(ckpt.folder(), ckpt.weights(), "transformer.", "GPTNeoForSequenceClassification",
                ckpt.weights().get("wte.weight").length / 16 - 1,
                name -> name.startsWith("h.1.") || name.startsWith("ln_f.") || name.equals("score.weight"),
                new long[] {2, 16}, GptNeoTrainable::load, (w, ids) -> {
                    ReferenceGptNeo reference = new ReferenceGptNeo(ckpt.nHead(), ckpt.layerNormEpsilon(),
                            ckpt.windowSize(), ckpt.attentionLayers(), w);
                    double[][][] layers = reference.run(ids).afterLayer();
                    double[][] out = new double[layers.length][];
                    for (int l = 0; l < layers.length; l++) {
                        out[l] = FamilyReference.gptNeoHead(w, layers[l][ids.length - 1], ckpt.layerNormEpsilon());
                    }
                    return out;
                }));
    }

    @Test
    void opt() throws Exception {
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(24).maxPositions(32)
                .wordEmbedProjDim(12).seed(14).write(dir.resolve("opt"));
        run(new Family(ckpt.folder(), ckpt.weights(), "model.decoder.", "OPTForSequenceClassification", 1,
                name -> name.startsWith("layers.1.") || name.startsWith("final_layer_norm.")
                        || name.equals("project_out.weight") || name.equals("score.weight"),
                new long[] {2, 12}, OptTrainable::load, (w, ids) -> {
                    ReferenceOpt reference = new ReferenceOpt(ckpt, w);
                    double[][][] layers = reference.run(ids).afterLayer();
                    double[][] out = new double[layers.length][];
                    for (int l = 0; l < layers.length; l++) {
                        out[l] = FamilyReference.times(w.get("score.weight"), reference.decoderOutput(layers[l][ids.length - 1]));
                    }
                    return out;
                }));
    }

    @Test
    void theNativeArraysInUseStayTheSameOverBatchesAndEpochs() throws Exception {
        TinyGptNeoCheckpoint neo = TinyGptNeoCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(32)
                .windowSize(2).write(dir.resolve("neo-leak"));
        TinyOptCheckpoint opt = TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(24).maxPositions(32)
                .wordEmbedProjDim(12).write(dir.resolve("opt-leak"));
        TrainingRecipe all = new TrainingRecipe(-1, 3, 8, 1e-2, 0.01, 0.1, 1.0, 3);
        Examples dev = TinyClassifier.examples(8, 4);
        for (Object[] family : List.of(new Object[] {neo.folder(), (Loader) GptNeoTrainable::load},
                new Object[] {opt.folder(), (Loader) OptTrainable::load})) {
            List<Integer> perBatch = new ArrayList<>();
            List<Integer> perEpoch = new ArrayList<>();
            try (ModelThread thread = new ModelThread()) {
                thread.call(root -> {
                    try (TrainableModel model = ((Loader) family[1]).load(new ModelFolder((Path) family[0]),
                            TinyClassifier.LABELS, -1, 3, root); AdamW optimizer = new AdamW(root)) {
                        new Trainer(model, all, train, dev, root).run(TrainingState.START, optimizer, () -> false,
                                new TrainingListener() {
                                    @Override
                                    public void onProgress(TrainingProgress progress) {
                                        perBatch.add(root.getManagedArrays().size());
                                    }

                                    @Override
                                    public void onEpoch(EpochMetrics metrics) {
                                        perEpoch.add(root.getManagedArrays().size());
                                    }
                                }, (state, adam) -> { });
                        return null;
                    }
                });
            }
            assertThat(perEpoch).as("live arrays after each epoch, %s", family[0]).hasSize(3).containsOnly(perEpoch.get(0));
            assertThat(perBatch.subList(1, perBatch.size())).as("live arrays after each batch, %s", family[0])
                    .containsOnly(perBatch.get(1));
        }
    }

    private void run(Family family) throws Exception {
        Path out = dir.resolve("out-" + family.architecture());
        int[] ids;
        try (LensEngine base = LensEngine.open(family.base(), "base")) {
            ids = base.tokenize(TEXT).stream().mapToInt(Token::id).toArray();
        }
        List<String> withGradient = new ArrayList<>();
        Object[] result;
        try (ModelThread thread = new ModelThread()) {
            result = thread.call(root -> {
                try (TrainableModel model = family.loader().load(new ModelFolder(family.base()), TinyClassifier.LABELS, 1, 5, root);
                        AdamW optimizer = new AdamW(root)) {
                    TrainingRecord record = new TrainingRecord("tiny", TinyClassifier.LABELS.names(), null,
                            new DataSummary("train", train.size(), train.tokens()), null, recipe, 0, 0, TrainingState.START, false);
                    new Trainer(model, recipe, train, null, root).run(TrainingState.START, optimizer, () -> false,
                            TrainingListener.NONE, (state, adam) -> FineTuneFolder.write(out, model, family.base(),
                                    record.with(state, true), adam));
                    for (TrainableParameter p : model.parameters()) {
                        if (p.array().hasGradient()) {
                            withGradient.add(p.name());
                        }
                    }
                    Map<String, float[]> values = new LinkedHashMap<>();
                    for (TrainableParameter p : model.parameters()) {
                        values.put(canonical(p.name(), family.prefix()), p.array().toFloatArray());
                    }
                    return new Object[] {values, optimizer.statefulParameters(), new ClassifierLens(model.inference()).read(ids, root)};
                }
            });
        }
        @SuppressWarnings("unchecked")
        Map<String, float[]> after = (Map<String, float[]>) result[0];
        @SuppressWarnings("unchecked")
        List<ClassReading> inMemory = (List<ClassReading>) result[2];

        // Frozen: bit-identical, no gradient, no optimizer state. Trained: changed.
        assertThat(after.keySet()).as("every checkpoint weight is a parameter, plus score")
                .containsAll(family.weights().keySet()).contains("score.weight").hasSize(family.weights().size() + 1);
        int trainedCount = 0;
        for (Map.Entry<String, float[]> e : family.weights().entrySet()) {
            boolean trained = family.trained().test(e.getKey());
            trainedCount += trained ? 1 : 0;
            assertThat(Arrays.equals(after.get(e.getKey()), e.getValue())).as("%s is %s", e.getKey(), trained ? "trained" : "frozen")
                    .isEqualTo(!trained);
        }
        assertThat((int) result[1]).as("optimizer state only for the trained parameters").isEqualTo(trainedCount + 1);
        assertThat(withGradient).hasSize(trainedCount + 1)
                .allMatch(n -> family.trained().test(canonical(n, family.prefix())));

        // Saved as transformers saves the ForSequenceClassification model.
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertThat(config.getAsJsonArray("architectures")).hasSize(1);
        assertThat(config.getAsJsonArray("architectures").get(0).getAsString()).isEqualTo(family.architecture());
        assertThat(config.getAsJsonObject("id2label").get("0").getAsString()).isEqualTo("negative");
        assertThat(config.getAsJsonObject("id2label").get("1").getAsString()).isEqualTo("positive");
        assertThat(config.getAsJsonObject("label2id").get("positive").getAsInt()).isEqualTo(1);
        assertThat(config.get("pad_token_id").getAsInt()).isEqualTo(family.pad());
        assertThat(config.get("torch_dtype").getAsString()).isEqualTo("float32");
        assertThat(config.has("_name_or_path")).isFalse();
        assertThat(new ArrayList<>(config.keySet())).isSorted();
        try (SafetensorsFile weights = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            List<String> expectedNames = new ArrayList<>();
            after.keySet().forEach(n -> expectedNames.add(n.equals("score.weight") ? n : family.prefix() + n));
            assertThat(weights.names()).containsExactlyInAnyOrderElementsOf(expectedNames);
            assertThat(weights.require("score.weight").shape()).containsExactly(family.scoreShape());
            assertThat(weights.metadata()).containsEntry("format", "pt");
            for (String name : after.keySet()) {
                String stored = name.equals("score.weight") ? name : family.prefix() + name;
                assertThat(weights.readFloats(stored)).as(stored).containsExactly(after.get(name));
            }
        }

        // Fine-tuned further (as --resume does): the saved head and body come back as they were saved.
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (TrainableModel again = family.loader().load(new ModelFolder(out), TinyClassifier.LABELS, 1, 99, root)) {
                    for (TrainableParameter p : again.parameters()) {
                        assertThat(p.array().toFloatArray()).as("%s read back for more training", p.name())
                                .containsExactly(after.get(canonical(p.name(), family.prefix())));
                    }
                    assertThat(again.parameters()).hasSize(after.size());
                }
                return null;
            });
        }

        // Reloaded through the normal family loader: the same numbers, and they are the float64 reference's.
        double[][] reference = family.referenceLogitsPerLayer().apply(after, ids);
        try (LensEngine reloaded = LensEngine.open(out, "fine-tuned")) {
            assertThat(reloaded.classLabels()).get().extracting(l -> l.names()).isEqualTo(List.of("negative", "positive"));
            List<ClassReading> fromFile = reloaded.classifierLens(TEXT);
            assertThat(fromFile).hasSameSizeAs(inMemory).hasSize(3);
            for (int l = 0; l < fromFile.size(); l++) {
                assertThat(fromFile.get(l).layer()).isEqualTo(l);
                assertThat(fromFile.get(l).probabilities()).as("layer %d, reloaded vs in memory", l)
                        .containsExactly(inMemory.get(l).probabilities(), org.assertj.core.data.Offset.offset(1e-6));
                double[] expected = ReferenceGpt2.softmax(reference[l]);
                assertThat(fromFile.get(l).probabilities()).as("layer %d vs float64", l)
                        .containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5));
            }
            assertThat(reloaded.inspect(TEXT, reloaded.track(List.of(" positive")), 3,
                    dev.logitscope.lens.LensRequest.Positions.LAST, false).layers()).as("the logit lens still reads it").hasSize(3);
        }
    }

    private static String canonical(String stored, String prefix) {
        return stored.startsWith(prefix) ? stored.substring(prefix.length()) : stored;
    }
}
