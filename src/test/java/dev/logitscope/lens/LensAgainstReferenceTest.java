package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.tensors.DType;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.tokenize.Token;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The DJL forward pass and lens, layer by layer and position by position, against the separately
 * written float64 reference, on tiny random checkpoints of several shapes and storage variants.
 */
class LensAgainstReferenceTest {
    private static final String PROMPT = "Review: the film was not bad at all.\nSentiment:";

    @TempDir
    Path dir;

    static Stream<Arguments> checkpoints() {
        return Stream.of(
                Arguments.of("2 layers, 2 heads, F32", TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(64)),
                Arguments.of("3 layers, 4 heads, F16, transformer. prefix, mask buffers",
                        TinyCheckpoint.builder().nLayer(3).nEmbd(32).nHead(4).nPositions(48).dtype(DType.F16).transformerPrefix(true).maskBuffers(true)),
                Arguments.of("1 layer, BF16, untied lm_head, n_inner 40",
                        TinyCheckpoint.builder().nLayer(1).nEmbd(24).nHead(3).nPositions(40).dtype(DType.BF16).untiedLmHead(true).nInner(40)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void everyLayerAndPositionMatchesTheFloat64Reference(String name, TinyCheckpoint.Builder builder) throws Exception {
        TinyCheckpoint checkpoint = builder.seed(7).write(dir.resolve("model"));
        ReferenceGpt2 reference = new ReferenceGpt2(checkpoint);
        try (LensEngine engine = LensEngine.open(checkpoint.folder(), name)) {
            List<TrackedWord> tracked = engine.track(List.of(" positive", " negative"));
            LensReport report = engine.inspect(PROMPT, tracked, 5, LensRequest.Positions.ALL, true);
            int[] ids = report.tokens().stream().mapToInt(Token::id).toArray();
            ReferenceGpt2.Result expected = reference.run(ids);

            assertThat(report.blockLayers()).hasSize(checkpoint.nLayer() + 1);
            assertThat(report.layers()).hasSize(2 * checkpoint.nLayer() + 1);
            for (LayerReading layer : report.layers()) {
                assertThat(layer.positions()).hasSize(ids.length);
                for (PositionReading reading : layer.positions()) {
                    int t = reading.position();
                    double[] residual = layer.midBlock()
                            ? expected.midBlock()[layer.layer() - 1][t]
                            : expected.afterLayer()[layer.layer()][t];
                    double[] p = reference.lensProbabilities(residual);
                    double[] pFinal = ReferenceGpt2.softmax(expected.logits()[t]);
                    String where = layer.name() + " @" + t;
                    for (int j = 0; j < tracked.size(); j++) {
                        double want = p[tracked.get(j).firstTokenId()];
                        assertThat(reading.trackedProbs()[j]).as(where).isCloseTo(want, within(2e-5 + 1e-3 * want));
                    }
                    assertThat(reading.entropy()).as(where).isCloseTo(ReferenceGpt2.entropy(p), within(1e-3));
                    assertThat(reading.klToFinal()).as(where).isCloseTo(ReferenceGpt2.klDivergence(pFinal, p), within(1e-3));
                    TopToken best = reading.top().get(0);
                    assertThat(best.prob()).as(where).isCloseTo(max(p), within(1e-4));
                    assertThat(p[best.id()]).as(where).isCloseTo(max(p), within(1e-4));
                }
            }
            // The lens of the last layer is the model's own output distribution.
            LayerReading last = report.finalLayer();
            for (PositionReading reading : last.positions()) {
                assertThat(reading.klToFinal()).isCloseTo(0.0, within(1e-6));
                double[] output = ReferenceGpt2.softmax(expected.logits()[reading.position()]);
                assertThat(reading.top().get(0).prob()).isCloseTo(max(output), within(1e-4));
            }
        }
    }

    private static double max(double[] values) {
        double best = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            best = Math.max(best, v);
        }
        return best;
    }
}
