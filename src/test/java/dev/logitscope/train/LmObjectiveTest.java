package dev.logitscope.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.ModelFamilies;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.ResidualListener;
import dev.logitscope.model.TrainableParameter;
import dev.logitscope.model.gpt2.Gpt2Trainable;
import dev.logitscope.safetensors.SafetensorsFile;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The causal-LM objective: its gradients, its saved GPT2LMHeadModel folder, and that it learns. */
class LmObjectiveTest {

    @TempDir
    Path dir;

    private static final int[][] SEQUENCES = {{101, 116, 40, 7, 101}, {5, 101, 9}, {116, 116, 3, 9, 101, 250}};

    @Test
    void autogradMatchesFiniteDifferencesOfAFloat64LmLossOnAllTokensAndOnLabelTokens() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(16)
                .embeddingStd(0.5).projectionStd(0.2).seed(7).write(dir.resolve("tiny"));
        boolean[][] all = new boolean[SEQUENCES.length][];
        boolean[][] label = new boolean[SEQUENCES.length][];
        for (int s = 0; s < SEQUENCES.length; s++) {
            all[s] = new boolean[SEQUENCES[s].length];
            label[s] = new boolean[SEQUENCES[s].length];
            java.util.Arrays.fill(all[s], 1, all[s].length, true);
            label[s][SEQUENCES[s].length - 1] = true; // the last token of each, as a label would be
        }
        List<Object[]> probes = List.of(
                new Object[] {"h.0.attn.c_attn.weight", 5 * 48 + 20},
                new Object[] {"h.1.mlp.c_proj.weight", 33 * 16 + 4},
                new Object[] {"h.0.ln_1.weight", 3},
                new Object[] {"wte.weight", 101 * 16 + 2},   // input row and output row (tied)
                new Object[] {"wte.weight", 250 * 16 + 5},   // a token that is predicted
                new Object[] {"wpe.weight", 1 * 16 + 9},
                new Object[] {"ln_f.bias", 6});
        for (boolean[][] targets : List.of(all, label)) {
            Map<String, Float> autograd = new HashMap<>();
            Map<String, float[]> stored;
            try (ModelThread thread = new ModelThread()) {
                stored = thread.call(root -> {
                    try (Gpt2Trainable model = Gpt2Trainable.load(new ModelFolder(ckpt.folder()), null, -1, 3, root);
                            NDManager scratch = root.newSubManager()) {
                        LmObjective objective = new LmObjective(new LmData(SEQUENCES, targets, SEQUENCES, new int[] {1, 1, 1},
                                new int[] {0, 0, 0}, new int[] {1, 2}));
                        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                            collector.backward(objective.loss(model, List.of(0, 1, 2), scratch));
                        }
                        for (Object[] probe : probes) {
                            String name = (String) probe[0];
                            TrainableParameter p = model.parameters().stream().filter(q -> q.name().equals("transformer." + name))
                                    .findFirst().orElseThrow();
                            NDArray gradient = p.array().getGradient();
                            float[] values = (name.endsWith("c_attn.weight") || name.endsWith("c_proj.weight")
                                    ? gradient.transpose() : gradient).toFloatArray(); // stored layout
                            autograd.put(name + "#" + probe[1], values[(int) probe[1]]);
                        }
                        assertThat(model.parameters()).noneMatch(q -> q.name().equals("score.weight"));
                        return model.storedValues();
                    }
                });
            }
            for (Object[] probe : probes) {
                String name = (String) probe[0];
                int index = (int) probe[1];
                float w = stored.get(name)[index];
                float up = (float) (w + 1e-2);
                float down = (float) (w - 1e-2);
                double fd = (loss(ckpt, with(stored, name, index, up), targets) - loss(ckpt, with(stored, name, index, down), targets))
                        / ((double) up - (double) down);
                assertThat(fd).as("%s[%d] has a gradient worth checking", name, index).isNotCloseTo(0.0, offset(1e-5));
                assertThat((double) autograd.get(name + "#" + index)).as("d lm loss / d %s[%d]", name, index)
                        .isCloseTo(fd, offset(1e-3 * Math.abs(fd) + 1e-6));
            }
        }
    }

    /** transformers' causal-LM loss in float64: mean over targets t ≥ 1 of −log softmax(lm_head(ln_f(h[t−1])))[ids[t]]. */
    private static double loss(TinyCheckpoint ckpt, Map<String, float[]> weights, boolean[][] targets) {
        ReferenceGpt2 reference = new ReferenceGpt2(ckpt.nLayer(), ckpt.nHead(), ckpt.layerNormEpsilon(), weights);
        double total = 0;
        int count = 0;
        for (int s = 0; s < SEQUENCES.length; s++) {
            double[][] h = reference.run(SEQUENCES[s]).afterLayer()[ckpt.nLayer()];
            for (int t = 1; t < SEQUENCES[s].length; t++) {
                if (!targets[s][t]) {
                    continue;
                }
                double[] logits = reference.lensLogits(h[t - 1]);
                double max = Double.NEGATIVE_INFINITY;
                for (double v : logits) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (double v : logits) {
                    sum += Math.exp(v - max);
                }
                total += Math.log(sum) + max - logits[SEQUENCES[s][t]];
                count++;
            }
        }
        return total / count;
    }

    private static Map<String, float[]> with(Map<String, float[]> weights, String name, int index, float value) {
        Map<String, float[]> copy = new HashMap<>(weights);
        float[] changed = weights.get(name).clone();
        changed[index] = value;
        copy.put(name, changed);
        return copy;
    }

    @Test
    void aSavedLmReloadsAsGpt2LmHeadModelWithTheSameLogitsAndTheLensReadsIt() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(64).embeddingStd(0.5)
                .projectionStd(0.2).seed(13).write(dir.resolve("base"));
        Path out = dir.resolve("out");
        LmData data = data(ckpt, List.of("a tender film", "dull and long", "the best film", "a waste"), new int[] {1, 0, 1, 0},
                new LmFormat(LmFormat.SEED_TEMPLATE, 8, LmFormat.LossOn.ALL));
        TrainingRecipe recipe = new TrainingRecipe(-1, 1, 2, 1e-2, 0.01, 0.1, 1.0, 5);
        int[] ids = data.examples()[0];
        float[] inMemory;
        try (ModelThread thread = new ModelThread()) {
            inMemory = thread.call(root -> {
                try (Gpt2Trainable model = Gpt2Trainable.load(new ModelFolder(ckpt.folder()), null, -1, 5, root);
                        AdamW optimizer = new AdamW(root)) {
                    TrainingRecord record = new TrainingRecord("tiny", List.of("negative", "positive"),
                            new LmFormat(LmFormat.SEED_TEMPLATE, 8, LmFormat.LossOn.ALL), new DataSummary("train", 1, 1), null,
                            recipe, 0, 0, TrainingState.START, false);
                    new Trainer(model, recipe, new LmObjective(data), null, root).run(TrainingState.START, optimizer, () -> false,
                            TrainingListener.NONE, (state, adam) -> FineTuneFolder.write(out, model, ckpt.folder(),
                                    record.with(state, true), adam));
                    return finalLogits(model.inference(), ids, root);
                }
            });
            float[] reloaded = thread.call(root -> {
                try (DecoderModel model = ModelFamilies.load(new ModelFolder(out), root)) {
                    return finalLogits(model, ids, root);
                }
            });
            assertThat(reloaded).as("the reloaded model's logits").containsExactly(inMemory, offset(1e-5f));
            assertThat(java.util.Arrays.equals(inMemory, thread.call(root -> {
                try (DecoderModel model = ModelFamilies.load(new ModelFolder(ckpt.folder()), root)) {
                    return finalLogits(model, ids, root);
                }
            }))).as("training changed the model").isFalse();
        }
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertThat(config.getAsJsonArray("architectures").get(0).getAsString()).isEqualTo("GPT2LMHeadModel");
        assertThat(config.has("id2label") || config.has("pad_token_id")).isFalse();
        try (SafetensorsFile weights = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            // save_pretrained drops lm_head.weight when it is tied to transformer.wte.weight
            assertThat(weights.names()).contains("transformer.wte.weight").doesNotContain("lm_head.weight", "score.weight")
                    .allMatch(n -> n.startsWith("transformer."));
        }
        TrainingRecord record = FineTuneFolder.readRecord(out);
        assertThat(record.lm()).isEqualTo(new LmFormat(LmFormat.SEED_TEMPLATE, 8, LmFormat.LossOn.ALL));
        try (LensEngine lens = LensEngine.open(out, "lm")) {
            assertThat(lens.classLabels()).isEmpty();
            assertThat(lens.inspect("Text: a tender film\nSentiment:", lens.track(List.of(" positive")), 3,
                    LensRequest.Positions.LAST, false).layers()).as("the logit lens reads every layer").hasSize(3);
        }
    }

    /** The last layer's residual of {@code ids} through the model's own readout: [T, V] flattened. */
    private static float[] finalLogits(DecoderModel model, int[] ids, NDManager root) throws Exception {
        float[][] out = new float[1][];
        int last = model.shape().nLayer();
        model.forward(ids, null, (ResidualListener) (tap, first, residual) -> {
            if (!tap.midBlock() && tap.layer() == last) {
                out[0] = model.readout(residual).toFloatArray();
            }
        });
        return out[0];
    }

    @Test
    void aTinyModelTrainedOnARepeatedTextLowersItsLoss() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(64).seed(21)
                .write(dir.resolve("base"));
        List<String> reviews = new ArrayList<>();
        int[] labels = new int[16];
        for (int i = 0; i < 16; i++) {
            reviews.add("the film was good");
            labels[i] = 1;
        }
        LmData data = data(ckpt, reviews, labels, new LmFormat(LmFormat.SEED_TEMPLATE, 16, LmFormat.LossOn.ALL));
        TrainingRecipe recipe = new TrainingRecipe(-1, 8, 2, 1e-2, 0.0, 0.0, 1.0, 1);
        List<Double> losses = new ArrayList<>();
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (Gpt2Trainable model = Gpt2Trainable.load(new ModelFolder(ckpt.folder()), null, -1, 1, root);
                        AdamW optimizer = new AdamW(root)) {
                    new Trainer(model, recipe, new LmObjective(data), new LmObjective(data), root).run(TrainingState.START,
                            optimizer, () -> false, new TrainingListener() {
                                @Override
                                public void onProgress(TrainingProgress progress) {}

                                @Override
                                public void onEpoch(EpochMetrics metrics) {
                                    losses.add(metrics.devLoss());
                                }
                            }, (state, adam) -> { });
                    return null;
                }
            });
        }
        assertThat(losses).hasSize(8);
        assertThat(losses.get(7)).as("loss after 8 epochs vs after 1: %s", losses).isLessThan(0.5 * losses.get(0));
    }

    private static LmData data(TinyCheckpoint ckpt, List<String> reviews, int[] labels, LmFormat format) {
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(ckpt.tokenizerFile())) {
            return LmData.of(reviews, labels, List.of("negative", "positive"), format, tokenizer::encodeIds);
        }
    }
}
