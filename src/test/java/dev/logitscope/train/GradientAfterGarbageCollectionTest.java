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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root cause of the flaky stop-and-resume test: a scalar operand of the forward pass (DJL's
 * {@code x.mul(Number)}) lived in a Java direct buffer that DJL released as soon as the op
 * returned, while autograd kept it for the backward pass; a garbage collection between forward and
 * backward freed it, and the gradients were read from freed memory (1e30s or NaN; a slightly wrong
 * step after clipping). Gradients must not depend on when the JVM collects garbage.
 */
class GradientAfterGarbageCollectionTest {

    @TempDir
    Path dir;

    private final int[][] sequences = {{101, 116, 40, 7}, {5, 101}, {116, 116, 3, 9, 101, 250}};

    @Test
    void classifierGradientsAreTheSameWithAGarbageCollectionBetweenForwardAndBackward() throws Exception {
        TinyCheckpoint ckpt = tiny();
        Map<String, float[]> quiet = gradients(ckpt, false, false);
        Map<String, float[]> collected = gradients(ckpt, true, false);
        assertSame(quiet, collected);
    }

    @Test
    void lmGradientsAreTheSameWithAGarbageCollectionBetweenForwardAndBackward() throws Exception {
        TinyCheckpoint ckpt = tiny();
        Map<String, float[]> quiet = gradients(ckpt, false, true);
        Map<String, float[]> collected = gradients(ckpt, true, true);
        assertSame(quiet, collected);
    }

    private TinyCheckpoint tiny() throws Exception {
        return TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(16).embeddingStd(0.5).projectionStd(0.2)
                .seed(7).write(dir.resolve("tiny"));
    }

    private static void assertSame(Map<String, float[]> quiet, Map<String, float[]> collected) {
        assertThat(collected.keySet()).isEqualTo(quiet.keySet());
        quiet.forEach((name, values) -> {
            for (float v : values) {
                assertThat(Float.isFinite(v)).as("%s is finite", name).isTrue();
            }
            assertThat(collected.get(name)).as("d loss / d %s after a garbage collection", name).containsExactly(values);
        });
    }

    /** Every trainable parameter's gradient of one loss; {@code collect}: free the JVM's garbage between forward and backward. */
    private Map<String, float[]> gradients(TinyCheckpoint ckpt, boolean collect, boolean lm) throws Exception {
        try (ModelThread thread = new ModelThread()) {
            return thread.call(root -> {
                try (Gpt2Trainable model = Gpt2Trainable.load(new ModelFolder(ckpt.folder()), lm ? null : TinyClassifier.LABELS,
                        -1, 3, root); NDManager scratch = root.newSubManager()) {
                    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray loss = lm
                                ? new LmObjective(lmData()).loss(model, List.of(0, 1, 2), scratch)
                                : Trainer.crossEntropy(model.classifierLogits(sequences, scratch), new int[] {1, 0, 0}, scratch);
                        if (collect) {
                            for (int i = 0; i < 5; i++) { // the Cleaner frees direct buffers after a collection
                                System.gc();
                                Thread.sleep(20);
                            }
                        }
                        collector.backward(loss);
                    }
                    Map<String, float[]> out = new LinkedHashMap<>();
                    for (TrainableParameter p : model.parameters()) {
                        out.put(p.name(), p.array().getGradient().toFloatArray());
                    }
                    return out;
                }
            });
        }
    }

    private LmData lmData() {
        boolean[][] targets = new boolean[sequences.length][];
        for (int s = 0; s < sequences.length; s++) {
            targets[s] = new boolean[sequences[s].length];
            java.util.Arrays.fill(targets[s], 1, sequences[s].length, true);
        }
        return new LmData(sequences, targets, sequences, new int[] {1, 1, 1}, new int[] {0, 0, 0}, new int[] {1, 2});
    }
}
