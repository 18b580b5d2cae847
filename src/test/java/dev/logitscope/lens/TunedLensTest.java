package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.model.ModelException;
import dev.logitscope.tensors.DType;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.testing.TunedLensFixture;
import dev.logitscope.testing.TunedLensFixture.Layout;
import dev.logitscope.tokenize.Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tuned lens in the tuned-lens project's file layout reads hidden state i as
 * softmax(W_U · ln_f(h + W_i h + b_i)) — checked against a float64 recomputation from the
 * reference GPT-2's residuals — and the last layer as the model's output; a lens for another
 * model, and taps it has no translator for, are refused.
 */
class TunedLensTest {
    private static final String PROMPT = "Review: the film was not bad at all.\nSentiment:";

    @TempDir
    Path dir;

    static Stream<Arguments> lenses() {
        return Stream.of(
                Arguments.of(Layout.MODULE_LIST, DType.F32),
                Arguments.of(Layout.MODULE_LIST, DType.F16),
                Arguments.of(Layout.WHOLE_LENS, DType.F32),
                Arguments.of(Layout.WHOLE_LENS, DType.BF16));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("lenses")
    void everyLayerIsTheFloat64TunedLensOfTheReferenceResiduals(Layout layout, DType dtype) throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(64).seed(11)
                .write(dir.resolve("model"));
        TunedLensFixture fixture = TunedLensFixture.write(dir.resolve("lens"), ckpt.nEmbd(), ckpt.nLayer(),
                ckpt.vocabSize(), layout, dtype, 5, 0.5, true);
        ReferenceGpt2 reference = new ReferenceGpt2(ckpt);
        try (LensEngine engine = LensEngine.open(ckpt.folder(), "tiny")) {
            LensChoice tuned = LensChoice.folder(fixture.folder());
            engine.prepareLens(tuned);
            List<TrackedWord> tracked = engine.track(List.of(" positive", " negative"));
            LensReport report = engine.inspect(PROMPT, tracked, 5, LensRequest.Positions.ALL, false, tuned);
            assertThat(report.lens()).isEqualTo("tuned lens (" + fixture.folder() + ")");
            int[] ids = report.tokens().stream().mapToInt(Token::id).toArray();
            ReferenceGpt2.Result expected = reference.run(ids);
            assertThat(report.layers()).hasSize(ckpt.nLayer() + 1);
            double largestChange = 0;
            for (LayerReading layer : report.layers()) {
                int i = layer.layer();
                for (PositionReading reading : layer.positions()) {
                    int t = reading.position();
                    double[] h = expected.afterLayer()[i][t];
                    double[] p = reference.lensProbabilities(i == ckpt.nLayer() ? h : fixture.transform(i, h));
                    double[] pFinal = ReferenceGpt2.softmax(expected.logits()[t]);
                    String where = layer.name() + " @" + t;
                    for (int j = 0; j < tracked.size(); j++) {
                        double want = p[tracked.get(j).firstTokenId()];
                        assertThat(reading.trackedProbs()[j]).as(where).isCloseTo(want, within(2e-5 + 1e-3 * want));
                        double plain = reference.lensProbabilities(h)[tracked.get(j).firstTokenId()];
                        largestChange = Math.max(largestChange, Math.abs(want - plain));
                    }
                    assertThat(reading.entropy()).as(where).isCloseTo(ReferenceGpt2.entropy(p), within(1e-3));
                    assertThat(reading.klToFinal()).as(where).isCloseTo(ReferenceGpt2.klDivergence(pFinal, p), within(1e-3));
                    assertThat(p[reading.top().get(0).id()]).as(where).isCloseTo(max(p), within(1e-4));
                }
            }
            // The translators change what the layers read (else matching would prove nothing) …
            assertThat(largestChange).isGreaterThan(1e-2);
            // … and the last layer is the model's own output.
            for (PositionReading reading : report.finalLayer().positions()) {
                assertThat(reading.klToFinal()).isCloseTo(0.0, within(1e-6));
                double[] output = ReferenceGpt2.softmax(expected.logits()[reading.position()]);
                assertThat(reading.top().get(0).prob()).isCloseTo(max(output), within(1e-4));
            }
            // The plain lens on the same engine: the reference's logit lens again.
            LensReport plain = engine.inspect(PROMPT, tracked, 0, LensRequest.Positions.LAST, false);
            assertThat(plain.lens()).isEqualTo("logit lens");
            double[] p0 = reference.lensProbabilities(expected.afterLayer()[0][ids.length - 1]);
            assertThat(plain.layers().get(0).last().trackedProbs()[0])
                    .isCloseTo(p0[tracked.get(0).firstTokenId()], within(2e-5 + 1e-3 * p0[tracked.get(0).firstTokenId()]));
        }
    }

    @Test
    void aLensForAnotherWidthOrDepthIsRefusedNamingBoth() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(32).write(dir.resolve("m"));
        TunedLensFixture wider = TunedLensFixture.write(dir.resolve("wide"), 24, 2, ckpt.vocabSize(), Layout.MODULE_LIST,
                DType.F32, 1, 0.5, true);
        TunedLensFixture deeper = TunedLensFixture.write(dir.resolve("deep"), 16, 3, ckpt.vocabSize(), Layout.WHOLE_LENS,
                DType.F32, 1, 0.5, true);
        try (LensEngine engine = LensEngine.open(ckpt.folder(), "tiny")) {
            assertThatThrownBy(() -> engine.prepareLens(LensChoice.folder(wider.folder()))).isInstanceOf(ModelException.class)
                    .hasMessageContaining("d_model 24, 2 layers").hasMessageContaining("d_model 16 and 2 layers")
                    .hasMessageContaining(wider.folder().toString());
            assertThatThrownBy(() -> engine.prepareLens(LensChoice.folder(deeper.folder()))).isInstanceOf(ModelException.class)
                    .hasMessageContaining("d_model 16, 3 layers").hasMessageContaining("d_model 16 and 2 layers");
            // The refused lens is not loaded, and the plain lens still reads.
            assertThat(engine.inspect("Hello", List.of(), 0, LensRequest.Positions.LAST, false).lens())
                    .isEqualTo("logit lens");
        }
    }

    /**
     * tuned-lens records the hash of the unembedding a lens was trained through (unembed_hash); the
     * engine compares it with the loaded model's. The expected hash was computed by numpy 1.24.2 from
     * this checkpoint's model.safetensors: {@code sha256(np.array_str(wte, precision=1))}.
     */
    @Test
    void aLensTrainedThroughAnotherUnembeddingIsRefusedAndOneThroughThisModelsLoads() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(32).seed(11)
                .write(dir.resolve("m"));
        String numpyHash = "26a52b1758a1c3e4f7ea8e8f8a087b7287bd936470f1e9a27d838bfe34ac12d9";
        TunedLensFixture own = TunedLensFixture.write(dir.resolve("own"), 16, 2, ckpt.vocabSize(), Layout.MODULE_LIST,
                DType.F32, 1, 0.5, true).withUnembedHash(numpyHash);
        TunedLensFixture other = TunedLensFixture.write(dir.resolve("other"), 16, 2, ckpt.vocabSize(), Layout.MODULE_LIST,
                DType.F32, 1, 0.5, true).withUnembedHash("5".repeat(64));
        try (LensEngine engine = LensEngine.open(ckpt.folder(), "tiny")) {
            assertThatThrownBy(() -> engine.prepareLens(LensChoice.folder(other.folder()))).isInstanceOf(ModelException.class)
                    .hasMessageContaining("unembed_hash " + "5".repeat(64))
                    .hasMessageContaining("this model's is " + numpyHash)
                    .hasMessageContaining(other.folder().toString()).hasMessageContaining("--lens logit");
            assertThat(engine.prepareLens(LensChoice.folder(own.folder()))).isEqualTo("tuned lens (" + own.folder() + ")");
            assertThat(engine.lensName(LensChoice.folder(own.folder()))).isEqualTo("tuned lens (" + own.folder() + ")");
        }
    }

    @Test
    void tapsWithoutATranslatorAreRefused() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(32).write(dir.resolve("m"));
        TunedLensFixture lens = TunedLensFixture.write(dir.resolve("lens"), 16, 2, ckpt.vocabSize(), Layout.MODULE_LIST,
                DType.F32, 1, 0.5, true);
        TunedLensFixture noInput = TunedLensFixture.write(dir.resolve("no-input"), 16, 2, ckpt.vocabSize(),
                Layout.WHOLE_LENS, DType.F32, 1, 0.5, false);
        try (LensEngine engine = LensEngine.open(ckpt.folder(), "tiny")) {
            LensChoice tuned = LensChoice.folder(lens.folder());
            assertThatThrownBy(() -> engine.inspect("Hello world", List.of(), 0, LensRequest.Positions.LAST, true, tuned))
                    .isInstanceOf(ModelException.class).hasMessageContaining("tuned lens (" + lens.folder() + ")")
                    .hasMessageContaining("0.5, ").hasMessageContaining("1.5")
                    .hasMessageContaining("without mid-block taps");
            // Without mid-block taps the same lens reads.
            assertThat(engine.inspect("Hello world", List.of(), 0, LensRequest.Positions.LAST, false, tuned).layers()).hasSize(3);
            LensChoice partial = LensChoice.folder(noInput.folder());
            assertThatThrownBy(() -> engine.inspect("Hello world", List.of(), 0, LensRequest.Positions.LAST, false, partial))
                    .isInstanceOf(ModelException.class).hasMessageContaining("no transform for embed of this model");
        }
    }

    @Test
    void aBrokenLensFolderGetsOneMessage() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(32).write(dir.resolve("m"));
        TunedLensFixture lens = TunedLensFixture.write(dir.resolve("lens"), 16, 2, ckpt.vocabSize(), Layout.MODULE_LIST,
                DType.F32, 1, 0.5, true);
        Path noParams = Files.createDirectories(dir.resolve("no-params"));
        Files.copy(lens.folder().resolve("config.json"), noParams.resolve("config.json"));
        Path renamed = Files.createDirectories(dir.resolve("renamed"));
        Files.copy(lens.folder().resolve("config.json"), renamed.resolve("config.json"));
        dev.logitscope.testing.TorchCheckpointWriter.write(java.util.Map.of("0.kernel",
                dev.logitscope.testing.TorchCheckpointWriter.TensorSpec.f32(new long[] {1}, new float[] {1})),
                renamed.resolve("params.pt"));
        try (LensEngine engine = LensEngine.open(ckpt.folder(), "tiny")) {
            assertThatThrownBy(() -> engine.prepareLens(LensChoice.folder(noParams))).isInstanceOf(ModelException.class)
                    .hasMessageContaining("has no params.pt");
            assertThatThrownBy(() -> engine.prepareLens(LensChoice.folder(renamed))).isInstanceOf(ModelException.class)
                    .hasMessageContaining("no tensor '0.weight'");
            Files.writeString(renamed.resolve("params.pt"), "not a pickle");
            assertThatThrownBy(() -> engine.prepareLens(LensChoice.folder(renamed))).isInstanceOf(ModelException.class)
                    .hasMessageContaining("Cannot read the tuned lens");
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
