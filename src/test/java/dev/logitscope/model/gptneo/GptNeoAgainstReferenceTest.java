package dev.logitscope.model.gptneo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.lens.TopToken;
import dev.logitscope.lens.TrackedWord;
import dev.logitscope.model.TapPoint;
import dev.logitscope.tensors.DType;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.ReferenceGptNeo;
import dev.logitscope.testing.TinyGptNeoCheckpoint;
import dev.logitscope.testing.TinyGptNeoCheckpoint.Head;
import dev.logitscope.tokenize.Token;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GPT-Neo forward pass and its lens, every tap and position, against the separately written
 * float64 {@link ReferenceGptNeo}, on tiny random checkpoints whose window is shorter than the
 * prompt (so local attention matters), in every storage variant.
 */
class GptNeoAgainstReferenceTest {
    private static final String PROMPT = "Review: the film was not bad at all.\nSentiment:";

    @TempDir
    Path dir;

    static Stream<Arguments> checkpoints() {
        return Stream.of(
                Arguments.of("4 layers global/local, window 4, F32, transformer. prefix",
                        TinyGptNeoCheckpoint.builder()),
                Arguments.of("3 layers local/global/local, window 3, F16, no prefix, mask buffers, head stored as lm_head",
                        TinyGptNeoCheckpoint.builder().nLayer(3).nEmbd(32).nHead(4).pattern("local", "global", "local")
                                .windowSize(3).dtype(DType.F16).transformerPrefix(false).maskBuffers(true)
                                .head(Head.TIED_AS_LM_HEAD)),
                Arguments.of("2 local layers, window 1, BF16, untied lm_head, intermediate 40, no attention_layers",
                        TinyGptNeoCheckpoint.builder().nLayer(2).nEmbd(24).nHead(3).pattern("local").windowSize(1)
                                .dtype(DType.BF16).head(Head.UNTIED).nInner(40).writeAttentionLayers(false)),
                Arguments.of("2 global layers, F32, prefix and mask buffers",
                        TinyGptNeoCheckpoint.builder().nLayer(2).pattern("global").maskBuffers(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void everyLayerAndPositionMatchesTheFloat64Reference(String name, TinyGptNeoCheckpoint.Builder builder) throws Exception {
        TinyGptNeoCheckpoint checkpoint = builder.seed(7).write(dir.resolve("model"));
        ReferenceGptNeo reference = new ReferenceGptNeo(checkpoint);
        try (LensEngine engine = LensEngine.open(checkpoint.folder(), name)) {
            assertThat(engine.info().shape().family()).isEqualTo("gpt_neo");
            List<TrackedWord> tracked = engine.track(List.of(" positive", " negative"));
            LensReport report = engine.inspect(PROMPT, tracked, 5, LensRequest.Positions.ALL, true);
            int[] ids = report.tokens().stream().mapToInt(Token::id).toArray();
            assertThat(ids.length).as("the prompt is longer than the window").isGreaterThan(4 * checkpoint.windowSize());
            ReferenceGpt2.Result expected = reference.run(ids);

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
            for (PositionReading reading : report.finalLayer().positions()) {
                assertThat(reading.klToFinal()).isCloseTo(0.0, within(1e-6));
                double[] output = ReferenceGpt2.softmax(expected.logits()[reading.position()]);
                assertThat(reading.top().get(0).prob()).isCloseTo(max(output), within(1e-4));
            }

            // The residual stream itself at every tap.
            Taps taps = Taps.of(checkpoint.folder(), ids);
            for (int layer = 0; layer <= checkpoint.nLayer(); layer++) {
                assertClose(taps.at(TapPoint.afterBlock(layer)), expected.afterLayer()[layer], "layer " + layer);
                if (layer > 0) {
                    assertClose(taps.at(TapPoint.afterAttention(layer)), expected.midBlock()[layer - 1], "layer " + layer + "-0.5");
                }
            }
        }
    }

    /**
     * The comparison above can tell local from global attention: on the same weights, a model that
     * let local layers see every key would be far outside the tolerance from the last window on.
     */
    @Test
    void treatingLocalLayersAsGlobalWouldBeCaught() throws Exception {
        TinyGptNeoCheckpoint checkpoint = TinyGptNeoCheckpoint.builder().seed(7).write(dir.resolve("m"));
        int[] ids = new int[24];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 37 + 11) % 300;
        }
        ReferenceGpt2.Result windowed = new ReferenceGptNeo(checkpoint).run(ids);
        ReferenceGpt2.Result global = new ReferenceGptNeo(checkpoint).allGlobal().run(ids);
        Taps taps = Taps.of(checkpoint.folder(), ids);
        int last = ids.length - 1;
        float[] model = taps.at(TapPoint.afterBlock(checkpoint.nLayer()))[last];
        double gap = maxAbsDiff(windowed.afterLayer()[checkpoint.nLayer()][last], global.afterLayer()[checkpoint.nLayer()][last]);
        assertThat(gap).as("the window changes the numbers").isGreaterThan(0.1);
        assertThat(maxAbsDiff(model, windowed.afterLayer()[checkpoint.nLayer()][last])).isLessThan(1e-3);
        assertThat(maxAbsDiff(model, global.afterLayer()[checkpoint.nLayer()][last])).isGreaterThan(0.1);
        // Within the first window local and global agree: position window−1 sees all its keys either way.
        int inside = checkpoint.windowSize() - 1;
        assertThat(maxAbsDiff(windowed.afterLayer()[checkpoint.nLayer()][inside], global.afterLayer()[checkpoint.nLayer()][inside]))
                .isLessThan(1e-12);
    }

    /**
     * The window's edge, as transformers draws it (bias ^ tril(bias, -window_size)): after one local
     * block, position i depends on the tokens at i − window + 1 .. i and on no earlier one.
     */
    @Test
    void aLocalQuerySeesItsOwnPositionAndTheWindowMinusOneBefore() throws Exception {
        int window = 3;
        TinyGptNeoCheckpoint checkpoint = TinyGptNeoCheckpoint.builder().nLayer(1).pattern("local").windowSize(window)
                .seed(3).write(dir.resolve("edge"));
        int[] ids = {5, 17, 40, 99, 120, 7, 250, 33};
        int query = 6;
        float[] base = Taps.of(checkpoint.folder(), ids).at(TapPoint.afterBlock(1))[query];
        int[] outside = ids.clone();
        outside[query - window] = 201; // just outside the window
        int[] inside = ids.clone();
        inside[query - window + 1] = 201; // the oldest key inside it
        assertThat(Taps.of(checkpoint.folder(), outside).at(TapPoint.afterBlock(1))[query]).containsExactly(base, within(1e-6f));
        assertThat(maxAbsDiff(Taps.of(checkpoint.folder(), inside).at(TapPoint.afterBlock(1))[query], base)).isGreaterThan(1e-3);
    }

    private static void assertClose(float[][] actual, double[][] expected, String where) {
        assertThat(actual).as(where).hasNumberOfRows(expected.length);
        for (int t = 0; t < expected.length; t++) {
            for (int c = 0; c < expected[t].length; c++) {
                double want = expected[t][c];
                assertThat((double) actual[t][c]).as(where + " @" + t + "[" + c + "]").isCloseTo(want, within(2e-4 + 1e-4 * Math.abs(want)));
            }
        }
    }

    private static double maxAbsDiff(float[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double max(double[] values) {
        double best = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            best = Math.max(best, v);
        }
        return best;
    }
}
