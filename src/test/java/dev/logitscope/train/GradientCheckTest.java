package dev.logitscope.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.TrainableParameter;
import dev.logitscope.model.gpt2.Gpt2Trainable;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gradients DJL's autograd computes through the shared forward pass equal central finite
 * differences of the classifier loss computed separately in float64.
 */
class GradientCheckTest {

    @TempDir
    Path dir;

    @Test
    void autogradMatchesFiniteDifferencesOfAFloat64Loss() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(16)
                .embeddingStd(0.5).projectionStd(0.2).seed(7).write(dir.resolve("tiny"));
        int[][] sequences = {{101, 116, 40, 7}, {5, 101}, {116, 116, 3, 9, 101, 250}};
        int[] labels = {1, 0, 0};
        // canonical name, flat index into the stored (Conv1D [in, out]) layout
        List<Object[]> probes = List.of(
                new Object[] {"h.0.attn.c_attn.weight", 5 * 48 + 20},   // a key weight of block 0
                new Object[] {"h.1.mlp.c_proj.weight", 33 * 16 + 4},
                new Object[] {"h.0.ln_1.weight", 3},
                new Object[] {"h.1.attn.c_proj.bias", 11},
                new Object[] {"wte.weight", 101 * 16 + 2},               // an embedding row that is used
                new Object[] {"wpe.weight", 1 * 16 + 9},
                new Object[] {"ln_f.bias", 6},
                new Object[] {"score.weight", 1 * 16 + 13});
        Map<String, Float> autograd = new HashMap<>();
        Map<String, float[]> stored;
        try (ModelThread thread = new ModelThread()) {
            stored = thread.call(root -> {
                try (Gpt2Trainable model = Gpt2Trainable.load(new ModelFolder(ckpt.folder()), TinyClassifier.LABELS, -1, 3, root);
                        NDManager scratch = root.newSubManager()) {
                    // A head of unit scale (a new one is drawn at 0.02), so every gradient is large enough to check.
                    NDArray score = model.parameters().get(model.parameters().size() - 1).array();
                    java.util.Random random = new java.util.Random(11);
                    float[] head = new float[(int) score.size()];
                    for (int i = 0; i < head.length; i++) {
                        head[i] = (float) random.nextGaussian();
                    }
                    score.set(head);
                    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray loss = Trainer.crossEntropy(model.classifierLogits(sequences, scratch), labels, scratch);
                        collector.backward(loss);
                    }
                    for (Object[] probe : probes) {
                        String name = (String) probe[0];
                        int index = (int) probe[1];
                        TrainableParameter p = model.parameters().stream()
                                .filter(q -> q.name().equals(name.equals("score.weight") ? name : "transformer." + name))
                                .findFirst().orElseThrow();
                        NDArray gradient = p.array().getGradient();
                        boolean conv = name.endsWith("c_attn.weight") || name.endsWith("c_proj.weight") || name.endsWith("c_fc.weight");
                        float[] values = (conv ? gradient.transpose() : gradient).toFloatArray(); // stored layout
                        autograd.put(name + "#" + index, values[index]);
                    }
                    return model.storedValues();
                }
            });
        }
        for (Object[] probe : probes) {
            String name = (String) probe[0];
            int index = (int) probe[1];
            double fd = finiteDifference(ckpt, stored, name, index, sequences, labels);
            float ag = autograd.get(name + "#" + index);
            assertThat(fd).as("%s[%d] must have a gradient worth checking", name, index).isNotCloseTo(0.0,
                    org.assertj.core.data.Offset.offset(1e-5));
            assertThat((double) ag).as("d loss / d %s[%d] (finite difference %s)", name, index, fd)
                    .isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-3 * Math.abs(fd) + 1e-6));
        }
    }

    /** (L(w + δ₊) − L(w − δ₋)) / (δ₊ + δ₋), δ as actually stored in float32. */
    private static double finiteDifference(TinyCheckpoint ckpt, Map<String, float[]> stored, String name, int index,
            int[][] sequences, int[] labels) {
        float w = stored.get(name)[index];
        double step = 1e-2;
        float up = (float) (w + step);
        float down = (float) (w - step);
        double plus = TinyClassifier.loss(ckpt, with(stored, name, index, up), sequences, labels);
        double minus = TinyClassifier.loss(ckpt, with(stored, name, index, down), sequences, labels);
        return (plus - minus) / ((double) up - (double) down);
    }

    private static Map<String, float[]> with(Map<String, float[]> weights, String name, int index, float value) {
        Map<String, float[]> copy = new HashMap<>(weights);
        float[] changed = weights.get(name).clone();
        changed[index] = value;
        copy.put(name, changed);
        return copy;
    }
}
