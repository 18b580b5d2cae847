package dev.logitscope.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.TrainableModel;
import dev.logitscope.model.TrainableParameter;
import dev.logitscope.model.gptneo.GptNeoTrainable;
import dev.logitscope.model.opt.OptTrainable;
import dev.logitscope.testing.ReferenceGptNeo;
import dev.logitscope.testing.TinyGptNeoCheckpoint;
import dev.logitscope.testing.TinyOptCheckpoint;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPT-Neo and OPT fine-tune through the shared forward pass: DJL's autograd gradients of the
 * classifier loss equal central finite differences of the loss computed separately in float64
 * ({@link FamilyReference}), and GPT-Neo's sequences longer than the local window get the logits
 * the windowed forward pass says, each sequence windowed from its own start when they run side by side.
 */
class FamilyGradientCheckTest {

    @TempDir
    Path dir;

    /** One sequence longer than the window (4), one shorter, one much longer. */
    private static final int[][] SEQUENCES = {{101, 116, 40, 7, 9, 33, 101}, {5, 101}, {116, 116, 3, 9, 101, 250, 17, 60, 2, 44}};
    private static final int[] LABELS = {1, 0, 0};

    @Test
    void gptNeoGradientsMatchFiniteDifferencesOfAFloat64Loss() throws Exception {
        TinyGptNeoCheckpoint ckpt = TinyGptNeoCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(16)
                .windowSize(4).seed(7).write(dir.resolve("neo"));
        List<Object[]> probes = List.of(
                new Object[] {"h.1.attn.attention.q_proj.weight", 5 * 16 + 3}, // a local layer
                new Object[] {"h.0.attn.attention.k_proj.weight", 2 * 16 + 11}, // a global one
                new Object[] {"h.1.attn.attention.out_proj.bias", 4},
                new Object[] {"h.0.mlp.c_fc.weight", 33 * 16 + 4},
                new Object[] {"h.0.ln_1.weight", 3},
                new Object[] {"wte.weight", 101 * 16 + 2},
                new Object[] {"wpe.weight", 8 * 16 + 9}, // position 8: only the longest sequence reaches it
                new Object[] {"ln_f.bias", 6},
                new Object[] {"score.weight", 16 + 13});
        check(root -> GptNeoTrainable.load(new ModelFolder(ckpt.folder()), TinyClassifier.LABELS, -1, 3, root),
                name -> name.equals("score.weight") ? name : "transformer." + name, probes,
                w -> FamilyReference.loss(ids -> FamilyReference.gptNeo(ckpt, w, ids), SEQUENCES, LABELS));
    }

    @Test
    void optGradientsMatchFiniteDifferencesOfAFloat64Loss() throws Exception {
        // word_embed_proj_dim ≠ hidden_size: project_in and project_out (opt-350m's) are on the path too.
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(24).maxPositions(16)
                .wordEmbedProjDim(12).seed(9).write(dir.resolve("opt"));
        List<Object[]> probes = List.of(
                new Object[] {"layers.0.self_attn.q_proj.weight", 5 * 16 + 3},
                new Object[] {"layers.1.self_attn.v_proj.bias", 7}, // (a key bias has no gradient: softmax ignores a shift shared by all keys)
                new Object[] {"layers.1.fc1.weight", 20 * 16 + 4},
                new Object[] {"layers.0.self_attn_layer_norm.weight", 3},
                new Object[] {"final_layer_norm.bias", 6},
                new Object[] {"project_out.weight", 4 * 16 + 2},
                new Object[] {"project_in.weight", 9 * 12 + 5},
                new Object[] {"embed_tokens.weight", 101 * 12 + 2},
                new Object[] {"embed_positions.weight", (8 + 2) * 16 + 9}, // position 8 is row 10
                new Object[] {"score.weight", 12 + 7});
        check(root -> OptTrainable.load(new ModelFolder(ckpt.folder()), TinyClassifier.LABELS, -1, 3, root),
                name -> name.equals("score.weight") ? name : "model.decoder." + name, probes,
                w -> FamilyReference.loss(ids -> FamilyReference.opt(ckpt, w, ids), SEQUENCES, LABELS));
    }

    @Test
    void gptNeoSequencesLongerThanTheWindowGetTheWindowedLogitsSideBySide() throws Exception {
        TinyGptNeoCheckpoint ckpt = TinyGptNeoCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(16)
                .windowSize(3).seed(12).write(dir.resolve("window"));
        float[][] logits = new float[SEQUENCES.length][];
        Map<String, float[]> weights;
        try (ModelThread thread = new ModelThread()) {
            weights = thread.call(root -> {
                try (GptNeoTrainable model = GptNeoTrainable.load(new ModelFolder(ckpt.folder()), TinyClassifier.LABELS,
                        -1, 3, root); NDManager scratch = root.newSubManager()) {
                    unitHead(model);
                    float[] all = model.classifierLogits(SEQUENCES, scratch).toFloatArray(); // [3, 2]
                    for (int s = 0; s < SEQUENCES.length; s++) {
                        logits[s] = new float[] {all[2 * s], all[2 * s + 1]};
                    }
                    return model.storedValues();
                }
            });
        }
        ReferenceGptNeo global = new ReferenceGptNeo(ckpt.nHead(), ckpt.layerNormEpsilon(), ckpt.windowSize(),
                ckpt.attentionLayers(), weights).allGlobal();
        double largestWindowEffect = 0;
        for (int s = 0; s < SEQUENCES.length; s++) {
            double[] windowed = FamilyReference.gptNeo(ckpt, weights, SEQUENCES[s]);
            double[] unwindowed = FamilyReference.gptNeo(global, ckpt, weights, SEQUENCES[s]);
            for (int k = 0; k < 2; k++) {
                assertThat((double) logits[s][k]).as("sequence %d class %d", s, k)
                        .isCloseTo(windowed[k], org.assertj.core.data.Offset.offset(1e-4));
                largestWindowEffect = Math.max(largestWindowEffect, Math.abs(windowed[k] - unwindowed[k]));
            }
        }
        assertThat(largestWindowEffect).as("the window changes these logits, so the check has power").isGreaterThan(1e-2);
    }

    @FunctionalInterface
    private interface Loader {
        TrainableModel load(NDManager root) throws Exception;
    }

    /** Autograd at each probe vs (L(w + δ) − L(w − δ)) / 2δ of {@code loss} in float64 (δ as stored in float32). */
    private static void check(Loader loader, java.util.function.UnaryOperator<String> storedName, List<Object[]> probes,
            ToDoubleFunction<Map<String, float[]>> loss) throws Exception {
        Map<String, Float> autograd = new HashMap<>();
        Map<String, float[]> stored;
        try (ModelThread thread = new ModelThread()) {
            stored = thread.call(root -> {
                try (TrainableModel model = loader.load(root); NDManager scratch = root.newSubManager()) {
                    unitHead(model);
                    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                        collector.backward(Trainer.crossEntropy(model.classifierLogits(SEQUENCES, scratch), LABELS, scratch));
                    }
                    Map<String, float[]> values = new HashMap<>();
                    for (TrainableParameter p : model.parameters()) {
                        values.put(p.name(), p.array().toFloatArray());
                    }
                    for (Object[] probe : probes) {
                        String name = storedName.apply((String) probe[0]);
                        TrainableParameter p = model.parameters().stream().filter(q -> q.name().equals(name))
                                .findFirst().orElseThrow();
                        autograd.put((String) probe[0], p.array().getGradient().toFloatArray()[(int) probe[1]]);
                    }
                    return values;
                }
            });
        }
        Map<String, float[]> canonical = new HashMap<>();
        for (String name : canonicalNames(stored, storedName)) {
            canonical.put(name, stored.get(storedName.apply(name)));
        }
        for (Object[] probe : probes) {
            String name = (String) probe[0];
            int index = (int) probe[1];
            float w = canonical.get(name)[index];
            double step = 1e-3;
            float up = (float) (w + step);
            float down = (float) (w - step);
            double fd = (loss.applyAsDouble(with(canonical, name, index, up)) - loss.applyAsDouble(with(canonical, name, index, down)))
                    / ((double) up - (double) down);
            float ag = autograd.get(name);
            assertThat(Math.abs(fd)).as("%s[%d] must have a gradient worth checking", name, index).isGreaterThan(1e-5);
            assertThat((double) ag).as("d loss / d %s[%d] (finite difference %s)", name, index, fd)
                    .isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-3 * Math.abs(fd) + 1e-6));
        }
    }

    /** Every canonical name: the stored names with their prefix taken off. */
    private static List<String> canonicalNames(Map<String, float[]> stored, java.util.function.UnaryOperator<String> storedName) {
        String prefix = storedName.apply("x").substring(0, storedName.apply("x").length() - 1);
        return stored.keySet().stream().map(n -> n.startsWith(prefix) ? n.substring(prefix.length()) : n).toList();
    }

    /** A head of unit scale (a new one is drawn at 0.02), so every gradient is large enough to check. */
    private static void unitHead(TrainableModel model) {
        NDArray score = model.parameters().get(model.parameters().size() - 1).array();
        Random random = new Random(11);
        float[] head = new float[(int) score.size()];
        for (int i = 0; i < head.length; i++) {
            head[i] = (float) random.nextGaussian();
        }
        score.set(head);
    }

    private static Map<String, float[]> with(Map<String, float[]> weights, String name, int index, float value) {
        Map<String, float[]> copy = new HashMap<>(weights);
        float[] changed = weights.get(name).clone();
        changed[index] = value;
        copy.put(name, changed);
        return copy;
    }
}
