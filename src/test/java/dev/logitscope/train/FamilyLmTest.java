package dev.logitscope.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.ModelFamilies;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.ResidualListener;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The causal-LM objective for GPT-Neo (GPTNeoForCausalLM) and OPT (OPTForCausalLM): autograd
 * gradients equal central finite differences of the next-token loss computed in float64 by the
 * reference models (each sequence alone, lm_head(final norm(h[t−1])) against token t); a run with the
 * last block trainable leaves every frozen weight bit-identical, trains the head side (an untied
 * lm_head too); the result is saved as {@code save_pretrained} saves the CausalLM class (a tied head
 * not written) and reloads through the normal family loader with the in-memory model's logit-lens
 * numbers on every layer, which are the float64 reference's.
 */
class FamilyLmTest {

    @TempDir
    Path dir;

    /** Longer and shorter than GPT-Neo's window (4). */
    private static final int[][] SEQUENCES = {{101, 116, 40, 7, 9, 33, 101}, {5, 101, 9}, {116, 116, 3, 9, 101, 250, 17, 60, 2, 44}};

    /** Per-layer float64 lens logits [layer][position][V] of one sequence under some weights (canonical names). */
    private interface Reference extends BiFunction<Map<String, float[]>, int[], double[][][]> {}

    @Test
    void gptNeoGradientsMatchFiniteDifferencesOfAFloat64LmLoss() throws Exception {
        TinyGptNeoCheckpoint ckpt = TinyGptNeoCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(16)
                .windowSize(4).projectionStd(0.2).seed(7).write(dir.resolve("neo"));
        check(root -> GptNeoTrainable.load(new ModelFolder(ckpt.folder()), null, -1, 3, root), "transformer.", List.of(
                new Object[] {"h.1.attn.attention.q_proj.weight", 5 * 16 + 3},
                new Object[] {"h.0.attn.attention.v_proj.weight", 2 * 16 + 11},
                new Object[] {"h.0.mlp.c_fc.weight", 33 * 16 + 4},
                new Object[] {"h.1.ln_2.weight", 3},
                new Object[] {"wte.weight", 101 * 16 + 2}, // read as input and as the tied head
                new Object[] {"wte.weight", 250 * 16 + 5}, // a token that is only predicted
                new Object[] {"wpe.weight", 8 * 16 + 9},
                new Object[] {"ln_f.bias", 6}), neo(ckpt));
    }

    @Test
    void optGradientsMatchFiniteDifferencesOfAFloat64LmLossThroughProjectInAndOut() throws Exception {
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(24).maxPositions(16)
                .wordEmbedProjDim(12).seed(9).write(dir.resolve("opt"));
        check(root -> OptTrainable.load(new ModelFolder(ckpt.folder()), null, -1, 3, root), "model.decoder.", List.of(
                new Object[] {"layers.0.self_attn.q_proj.weight", 5 * 16 + 3},
                new Object[] {"layers.1.fc1.weight", 20 * 16 + 4},
                new Object[] {"layers.1.final_layer_norm.bias", 2},
                new Object[] {"final_layer_norm.weight", 6},
                new Object[] {"project_out.weight", 4 * 16 + 2},
                new Object[] {"project_in.weight", 9 * 12 + 5},
                new Object[] {"embed_tokens.weight", 101 * 12 + 2}, // input and tied head
                new Object[] {"embed_tokens.weight", 250 * 12 + 5},
                new Object[] {"embed_positions.weight", (8 + 2) * 16 + 9}), opt(ckpt));
    }

    @Test
    void optWithItsOwnLmHeadTrainsThatHead() throws Exception {
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(24).maxPositions(16)
                .lmHead(TinyOptCheckpoint.LmHead.UNTIED).seed(10).write(dir.resolve("opt-untied"));
        check(root -> OptTrainable.load(new ModelFolder(ckpt.folder()), null, -1, 3, root), "model.decoder.", List.of(
                new Object[] {"lm_head.weight", 250 * 16 + 5},
                new Object[] {"lm_head.weight", 40 * 16 + 1},
                new Object[] {"embed_tokens.weight", 101 * 16 + 2}), opt(ckpt));
    }

    @Test
    void gptNeoLastBlockSavedAsGptNeoForCausalLm() throws Exception {
        TinyGptNeoCheckpoint ckpt = TinyGptNeoCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(32)
                .windowSize(4).seed(13).write(dir.resolve("neo"));
        trainSaveReload(ckpt.folder(), ckpt.weights(), "transformer.", "GPTNeoForCausalLM",
                (folder, root) -> GptNeoTrainable.load(folder, null, 1, 5, root),
                name -> name.startsWith("h.1.") || name.startsWith("ln_f."), false, neo(ckpt));
    }

    @Test
    void gptNeoWithItsOwnLmHeadSavesThatHead() throws Exception {
        TinyGptNeoCheckpoint ckpt = TinyGptNeoCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(32)
                .windowSize(4).head(TinyGptNeoCheckpoint.Head.UNTIED).seed(15).write(dir.resolve("neo-untied"));
        trainSaveReload(ckpt.folder(), ckpt.weights(), "transformer.", "GPTNeoForCausalLM",
                (folder, root) -> GptNeoTrainable.load(folder, null, 1, 5, root),
                name -> name.startsWith("h.1.") || name.startsWith("ln_f.") || name.equals("lm_head.weight"), true, neo(ckpt));
    }

    @Test
    void optLastLayerSavedAsOptForCausalLm() throws Exception {
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(24).maxPositions(32)
                .wordEmbedProjDim(12).seed(14).write(dir.resolve("opt"));
        trainSaveReload(ckpt.folder(), ckpt.weights(), "model.decoder.", "OPTForCausalLM",
                (folder, root) -> OptTrainable.load(folder, null, 1, 5, root),
                name -> name.startsWith("layers.1.") || name.startsWith("final_layer_norm.") || name.equals("project_out.weight"),
                false, opt(ckpt));
    }

    @Test
    void optWithItsOwnLmHeadSavesThatHead() throws Exception {
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(24).maxPositions(32)
                .lmHead(TinyOptCheckpoint.LmHead.UNTIED).seed(16).write(dir.resolve("opt-untied"));
        trainSaveReload(ckpt.folder(), ckpt.weights(), "model.decoder.", "OPTForCausalLM",
                (folder, root) -> OptTrainable.load(folder, null, 1, 5, root),
                name -> name.startsWith("layers.1.") || name.startsWith("final_layer_norm.") || name.equals("lm_head.weight"),
                true, opt(ckpt));
    }

    private static Reference neo(TinyGptNeoCheckpoint ckpt) {
        return (w, ids) -> {
            ReferenceGptNeo reference = new ReferenceGptNeo(ckpt.nHead(), ckpt.layerNormEpsilon(), ckpt.windowSize(),
                    ckpt.attentionLayers(), w);
            return lens(reference.run(ids).afterLayer(), reference::lensLogits);
        };
    }

    private static Reference opt(TinyOptCheckpoint ckpt) {
        return (w, ids) -> {
            ReferenceOpt reference = new ReferenceOpt(ckpt, w);
            return lens(reference.run(ids).afterLayer(), reference::lensLogits);
        };
    }

    private static double[][][] lens(double[][][] layers, Function<double[], double[]> head) {
        double[][][] out = new double[layers.length][][];
        for (int l = 0; l < layers.length; l++) {
            out[l] = new double[layers[l].length][];
            for (int t = 0; t < layers[l].length; t++) {
                out[l][t] = head.apply(layers[l][t]);
            }
        }
        return out;
    }

    /** transformers' causal-LM loss in float64: mean over every t ≥ 1 of −log softmax(lens_L(h[t−1]))[ids[t]]. */
    private static double loss(Reference reference, Map<String, float[]> weights) {
        double total = 0;
        int count = 0;
        for (int[] ids : SEQUENCES) {
            double[][][] layers = reference.apply(weights, ids);
            double[][] last = layers[layers.length - 1];
            for (int t = 1; t < ids.length; t++) {
                double[] p = ReferenceGpt2.softmax(last[t - 1]);
                total -= Math.log(p[ids[t]]);
                count++;
            }
        }
        return total / count;
    }

    @FunctionalInterface
    private interface Loader {
        TrainableModel load(NDManager root) throws Exception;
    }

    private static void check(Loader loader, String prefix, List<Object[]> probes, Reference reference) throws Exception {
        boolean[][] targets = new boolean[SEQUENCES.length][];
        for (int s = 0; s < SEQUENCES.length; s++) {
            targets[s] = new boolean[SEQUENCES[s].length];
            Arrays.fill(targets[s], 1, targets[s].length, true);
        }
        Map<String, Float> autograd = new HashMap<>();
        Map<String, float[]> canonical = new HashMap<>();
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (TrainableModel model = loader.load(root); NDManager scratch = root.newSubManager()) {
                    LmObjective objective = new LmObjective(new LmData(SEQUENCES, targets, SEQUENCES, new int[] {1, 1, 1},
                            new int[] {0, 0, 0}, new int[] {1, 2}));
                    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                        collector.backward(objective.loss(model, List.of(0, 1, 2), scratch));
                    }
                    assertThat(model.parameters()).noneMatch(q -> q.name().equals("score.weight"));
                    for (TrainableParameter p : model.parameters()) {
                        String name = canonical(p.name(), prefix);
                        canonical.put(name, p.array().toFloatArray());
                        for (Object[] probe : probes) {
                            if (probe[0].equals(name)) {
                                autograd.put(name + "#" + probe[1], p.array().getGradient().toFloatArray()[(int) probe[1]]);
                            }
                        }
                    }
                    return null;
                }
            });
        }
        for (Object[] probe : probes) {
            String name = (String) probe[0];
            int index = (int) probe[1];
            float w = canonical.get(name)[index];
            float up = (float) (w + 1e-3);
            float down = (float) (w - 1e-3);
            double fd = (loss(reference, with(canonical, name, index, up)) - loss(reference, with(canonical, name, index, down)))
                    / ((double) up - (double) down);
            assertThat(Math.abs(fd)).as("%s[%d] has a gradient worth checking", name, index).isGreaterThan(1e-5);
            assertThat(autograd).as("a gradient for %s[%d]", name, index).containsKey(name + "#" + index);
            assertThat((double) autograd.get(name + "#" + index)).as("d lm loss / d %s[%d] (finite difference %s)", name, index, fd)
                    .isCloseTo(fd, offset(1e-3 * Math.abs(fd) + 1e-6));
        }
    }

    @FunctionalInterface
    private interface FolderLoader {
        TrainableModel load(ModelFolder folder, NDManager root) throws Exception;
    }

    private void trainSaveReload(Path base, Map<String, float[]> before, String prefix, String architecture, FolderLoader loader,
            Predicate<String> trained, boolean ownHead, Reference reference) throws Exception {
        Path out = dir.resolve("out-" + base.getFileName());
        LmData data = new LmData(SEQUENCES, targets(), SEQUENCES, new int[] {1, 1, 1}, new int[] {0, 0, 0}, new int[] {1, 2});
        TrainingRecipe recipe = new TrainingRecipe(1, 2, 2, 1e-2, 0.01, 0.1, 1.0, 5);
        int[] ids = SEQUENCES[2];
        Map<String, float[]> after = new HashMap<>();
        List<String> withGradient = new ArrayList<>();
        int[] stateful = new int[1];
        float[][] inMemory;
        try (ModelThread thread = new ModelThread()) {
            inMemory = thread.call(root -> {
                try (TrainableModel model = loader.load(new ModelFolder(base), root); AdamW optimizer = new AdamW(root)) {
                    TrainingRecord record = new TrainingRecord("tiny", List.of("negative", "positive"),
                            new LmFormat(LmFormat.SEED_TEMPLATE, 8, LmFormat.LossOn.ALL), new DataSummary("train", 3, 20), null,
                            recipe, 0, 0, TrainingState.START, false);
                    new Trainer(model, recipe, new LmObjective(data), null, root).run(TrainingState.START, optimizer, () -> false,
                            TrainingListener.NONE, (state, adam) -> FineTuneFolder.write(out, model, base, record.with(state, true), adam));
                    for (TrainableParameter p : model.parameters()) {
                        after.put(canonical(p.name(), prefix), p.array().toFloatArray());
                        if (p.array().hasGradient()) {
                            withGradient.add(canonical(p.name(), prefix));
                        }
                    }
                    stateful[0] = optimizer.statefulParameters();
                    return lensPerLayer(model.inference(), ids);
                }
            });
            float[][] reloaded = thread.call(root -> {
                try (DecoderModel model = ModelFamilies.load(new ModelFolder(out), root)) {
                    return lensPerLayer(model, ids);
                }
            });
            double[][][] expected = reference.apply(after, ids);
            assertThat(reloaded.length).isEqualTo(inMemory.length).isEqualTo(3);
            for (int l = 0; l < inMemory.length; l++) {
                assertThat(reloaded[l]).as("layer %d reloaded vs in memory", l).containsExactly(inMemory[l], offset(1e-5f));
                int vocab = expected[l][0].length;
                for (int t = 0; t < ids.length; t++) {
                    for (int v = 0; v < vocab; v += 7) {
                        assertThat((double) reloaded[l][t * vocab + v]).as("layer %d position %d token %d vs float64", l, t, v)
                                .isCloseTo(expected[l][t][v], offset(1e-4));
                    }
                }
            }
        }
        // Frozen: bit-identical, no gradient, no optimizer state; trained: changed.
        assertThat(after.keySet()).as("the checkpoint's weights are the parameters, no score")
                .containsExactlyInAnyOrderElementsOf(canonicalWeights(before));
        int trainedCount = 0;
        for (Map.Entry<String, float[]> e : after.entrySet()) {
            boolean isTrained = trained.test(e.getKey());
            trainedCount += isTrained ? 1 : 0;
            assertThat(Arrays.equals(e.getValue(), before.get(e.getKey()))).as("%s is %s", e.getKey(),
                    isTrained ? "trained" : "frozen").isEqualTo(!isTrained);
        }
        assertThat(stateful[0]).as("optimizer state only for the trained parameters").isEqualTo(trainedCount);
        assertThat(withGradient).hasSize(trainedCount).allMatch(trained);

        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertThat(config.getAsJsonArray("architectures")).hasSize(1);
        assertThat(config.getAsJsonArray("architectures").get(0).getAsString()).isEqualTo(architecture);
        assertThat(config.has("id2label") || config.has("label2id") || config.has("_name_or_path")).isFalse();
        assertThat(config.get("torch_dtype").getAsString()).isEqualTo("float32");
        assertThat(new ArrayList<>(config.keySet())).isSorted();
        try (SafetensorsFile weights = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            List<String> expectedNames = new ArrayList<>();
            after.keySet().forEach(n -> expectedNames.add(n.equals("lm_head.weight") ? n : prefix + n));
            // save_pretrained drops a tied lm_head.weight (the token embedding keeps the one copy).
            assertThat(weights.names()).containsExactlyInAnyOrderElementsOf(expectedNames).doesNotContain("score.weight");
            assertThat(weights.names().contains("lm_head.weight")).isEqualTo(ownHead);
            for (String name : after.keySet()) {
                assertThat(weights.readFloats(name.equals("lm_head.weight") ? name : prefix + name)).as(name)
                        .containsExactly(after.get(name));
            }
        }
    }

    /** The stored checkpoint's names as the trainables key them (TinyGptNeoCheckpoint may store the tied head as lm_head). */
    private static List<String> canonicalWeights(Map<String, float[]> before) {
        return new ArrayList<>(before.keySet());
    }

    private static boolean[][] targets() {
        boolean[][] targets = new boolean[SEQUENCES.length][];
        for (int s = 0; s < SEQUENCES.length; s++) {
            targets[s] = new boolean[SEQUENCES[s].length];
            Arrays.fill(targets[s], 1, targets[s].length, true);
        }
        return targets;
    }

    /** Every layer's residual of {@code ids} through the model's own readout: [layer][T·V]. */
    private static float[][] lensPerLayer(DecoderModel model, int[] ids) throws Exception {
        float[][] out = new float[model.shape().nLayer() + 1][];
        model.forward(ids, null, (ResidualListener) (tap, first, residual) -> {
            if (!tap.midBlock()) {
                out[tap.layer()] = model.readout(residual).toFloatArray();
            }
        });
        return out;
    }

    private static String canonical(String stored, String prefix) {
        return stored.startsWith(prefix) ? stored.substring(prefix.length()) : stored;
    }

    private static Map<String, float[]> with(Map<String, float[]> weights, String name, int index, float value) {
        Map<String, float[]> copy = new HashMap<>(weights);
        float[] changed = weights.get(name).clone();
        changed[index] = value;
        copy.put(name, changed);
        return copy;
    }
}
