package dev.logitscope.model.opt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensJson;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.lens.TopToken;
import dev.logitscope.lens.TrackedWord;
import dev.logitscope.tensors.DType;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.ReferenceOpt;
import dev.logitscope.testing.TinyOptCheckpoint;
import dev.logitscope.testing.TinyOptCheckpoint.LmHead;
import dev.logitscope.tokenize.Token;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The DJL OPT forward pass and lens, every layer (mid-block taps included) and every position,
 * against the separately written float64 {@link ReferenceOpt}, within GPT-2's tolerances
 * ({@code lens.LensAgainstReferenceTest}), on tiny random checkpoints of the variants the released
 * models and their copies come in.
 */
class OptLensAgainstReferenceTest {
    private static final String PROMPT = "Review: the film was not bad at all.\nSentiment:";

    @TempDir
    Path dir;

    static Stream<Arguments> checkpoints() {
        return Stream.of(
                Arguments.of("pre-LN (125m-like), model.decoder., lm_head absent, F32", "final norm, then unembedding",
                        TinyOptCheckpoint.builder().nLayer(3).hidden(16).nHead(2).ffnDim(64)),
                Arguments.of("post-LN with project_in/out (350m-like), decoder., F32", "post-LN, no final norm",
                        TinyOptCheckpoint.builder().nLayer(3).hidden(24).nHead(3).ffnDim(48).wordEmbedProjDim(12)
                                .doLayerNormBefore(false).prefix("decoder.")),
                Arguments.of("pre-LN, F16, untied lm_head, decoder.", "final norm, then unembedding",
                        TinyOptCheckpoint.builder().nLayer(2).hidden(32).nHead(4).ffnDim(40).dtype(DType.F16)
                                .lmHead(LmHead.UNTIED).prefix("decoder.")),
                Arguments.of("post-LN with project_in/out, F16, tied lm_head stored (ignored)", "post-LN, no final norm",
                        TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(32).wordEmbedProjDim(8)
                                .doLayerNormBefore(false).dtype(DType.F16).lmHead(LmHead.TIED_STORED)),
                Arguments.of("pre-LN with project_in/out, BF16", "final norm, project_out, then unembedding",
                        TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(4).ffnDim(32).wordEmbedProjDim(24)
                                .dtype(DType.BF16)),
                Arguments.of("pre-LN, _remove_final_layer_norm", "pre-LN, no final norm",
                        TinyOptCheckpoint.builder().nLayer(2).removeFinalLayerNorm(true)),
                Arguments.of("gelu, no biases, no LayerNorm affine", "final norm, then unembedding",
                        TinyOptCheckpoint.builder().nLayer(2).activation("gelu").enableBias(false).layerNormAffine(false)),
                Arguments.of("gelu_new, post-LN", "post-LN, no final norm",
                        TinyOptCheckpoint.builder().nLayer(2).activation("gelu_new").doLayerNormBefore(false)),
                Arguments.of("silu", "final norm, then unembedding",
                        TinyOptCheckpoint.builder().nLayer(1).activation("silu")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void everyLayerAndPositionMatchesTheFloat64Reference(String name, String readout, TinyOptCheckpoint.Builder builder)
            throws Exception {
        TinyOptCheckpoint checkpoint = builder.seed(7).write(dir.resolve("model"));
        ReferenceOpt reference = new ReferenceOpt(checkpoint);
        try (LensEngine engine = LensEngine.open(checkpoint.folder(), name)) {
            assertThat(engine.info().shape().family()).isEqualTo("opt");
            assertThat(engine.info().shape().nEmbd()).isEqualTo(checkpoint.hidden());
            assertThat(engine.info().shape().vocabSize()).isEqualTo(checkpoint.vocabSize());
            assertThat(engine.info().readout()).isEqualTo(readout);
            assertThat(LensJson.model(engine.info()).get("readout").getAsString()).isEqualTo(readout);

            List<TrackedWord> tracked = engine.track(List.of(" positive", " negative"));
            LensReport report = engine.inspect(PROMPT, tracked, 5, LensRequest.Positions.ALL, true);
            int[] ids = report.tokens().stream().mapToInt(Token::id).toArray();
            ReferenceOpt.Result expected = reference.run(ids);

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
            for (PositionReading reading : report.finalLayer().positions()) {
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
