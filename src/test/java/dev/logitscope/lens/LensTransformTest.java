package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.TapPoint;
import dev.logitscope.model.gpt2.Gpt2Model;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a layer is the lens transform of its residual, then the model's own final norm and
 * unembedding; taps the transform does not cover are refused, never read plainly.
 */
class LensTransformTest {
    private static final int[] IDS = {5, 3, 9, 2, 7, 1};
    private static final int[] TRACKED = {4, 11};

    @TempDir
    Path dir;

    /** A stand-in for a learned lens: adds a fixed vector to block 1's residual, covers the layers it is told to. */
    private record Shift(List<TapPoint> covered, float amount) implements LensTransform {
        @Override
        public boolean covers(TapPoint tap) {
            return covered.contains(tap);
        }

        @Override
        public NDArray apply(TapPoint tap, NDArray residual) {
            if (!tap.equals(TapPoint.afterBlock(1))) {
                return residual;
            }
            float[] shift = new float[(int) residual.getShape().get(1)];
            for (int c = 0; c < shift.length; c++) {
                shift[c] = c % 2 == 0 ? amount : -amount;
            }
            return residual.add(residual.getManager().create(shift));
        }

        @Override
        public String name() {
            return "shift lens";
        }
    }

    @Test
    void eachTapIsTransformedThenReadThroughTheModelsOwnReadout() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(32).write(dir.resolve("m"));
        ReferenceGpt2 reference = new ReferenceGpt2(ckpt);
        ReferenceGpt2.Result r = reference.run(IDS);
        List<TapPoint> all = List.of(TapPoint.embeddings(), TapPoint.afterBlock(1), TapPoint.afterBlock(2));
        try (ModelThread thread = new ModelThread()) {
            List<LayerReading> layers = thread.call(root -> {
                try (Gpt2Model model = Gpt2Model.load(ckpt.folder(), root)) {
                    return new LogitLens(model, id -> "", new Shift(all, 0.75f))
                            .read(IDS, null, LensRequest.lastPosition(TRACKED, 3), root);
                }
            });
            for (int layer = 0; layer <= 2; layer++) {
                double[] residual = r.afterLayer()[layer][IDS.length - 1].clone();
                for (int c = 0; layer == 1 && c < residual.length; c++) {
                    residual[c] += c % 2 == 0 ? 0.75 : -0.75;
                }
                double[] p = reference.lensProbabilities(residual);
                for (int i = 0; i < TRACKED.length; i++) {
                    assertThat(layers.get(layer).last().trackedProbs()[i]).as("layer %d", layer)
                            .isCloseTo(p[TRACKED[i]], within(1e-5));
                }
            }
            // The shift changed what block 1 reads (else the test above would prove nothing).
            double plain = reference.lensProbabilities(r.afterLayer()[1][IDS.length - 1])[TRACKED[0]];
            assertThat(Math.abs(layers.get(1).last().trackedProbs()[0] - plain)).isGreaterThan(1e-3);

            assertThatThrownBy(() -> thread.call(root -> {
                try (Gpt2Model model = Gpt2Model.load(ckpt.folder(), root)) {
                    return new LogitLens(model, id -> "", new Shift(List.of(TapPoint.afterBlock(1)), 1f))
                            .read(IDS, null, LensRequest.lastPosition(TRACKED, 3), root);
                }
            })).isInstanceOf(ModelException.class).hasMessageContaining("shift lens")
                    .hasMessageContaining("embed").hasMessageContaining("block 2").hasMessageNotContaining("block 1,");
        }
    }
}
