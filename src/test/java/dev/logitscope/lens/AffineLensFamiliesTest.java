package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.testing.TinyGptNeoCheckpoint;
import dev.logitscope.testing.TinyOptCheckpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fitter runs documents side by side after an empty cache; for every family that must read
 * each document as if it ran alone (OPT's BOS and offset positions, its post-LN readout without a
 * final norm, GPT-Neo's local attention with a window shorter than the documents). The fitter's
 * held-out KL of the plain lens equals what {@code inspect} reports one prompt at a time, and the
 * fitted lens lowers it.
 */
class AffineLensFamiliesTest {
    @TempDir
    Path dir;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("opt pre-LN", (Writer) d -> TinyOptCheckpoint.builder().nLayer(2).hidden(24).nHead(4).ffnDim(48)
                        .maxPositions(96).seed(3).write(d).folder()),
                Arguments.of("opt post-LN, project_in/out", (Writer) d -> TinyOptCheckpoint.builder().nLayer(2).hidden(24)
                        .nHead(4).ffnDim(48).maxPositions(96).wordEmbedProjDim(16).doLayerNormBefore(false)
                        .seed(4).write(d).folder()),
                Arguments.of("gpt-neo, local window 4", (Writer) d -> TinyGptNeoCheckpoint.builder().nLayer(2)
                        .nPositions(96).windowSize(4).seed(5).write(d).folder()));
    }

    @FunctionalInterface
    interface Writer {
        Path write(Path dir) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void sideBySideDocumentsReadAsAloneAndTheFitHelps(String name, Writer writer) throws Exception {
        Path model = writer.write(dir.resolve("model"));
        List<String> train = AffineLensFitTest.texts(150, 7);
        List<String> heldOut = AffineLensFitTest.texts(15, 8);
        try (LensEngine engine = LensEngine.open(model, name)) {
            AffineLensFit fit = engine.fitAffineLens(new FitData(AffineLensFitTest.ids(engine, train),
                    AffineLensFitTest.ids(engine, heldOut)), 1e-3, p -> { });
            double[] plain = AffineLensFitTest.meanKlToFinal(engine, heldOut);
            Path saved = dir.resolve("lens");
            AffineLensFolder.write(saved, fit, Map.of());
            double[] fitted = AffineLensFitTest.meanKlToFinal(engine, heldOut, LensChoice.folder(saved));
            int layers = engine.info().shape().nLayer();
            for (int i = 0; i < layers; i++) {
                LayerFit q = fit.quality().get(i);
                assertThat(q.klLogitLens()).as("layer %d", i).isCloseTo(plain[i], within(1e-4 + 1e-3 * plain[i]));
                assertThat(q.klAffineLens()).as("layer %d", i).isCloseTo(fitted[i], within(1e-4 + 1e-3 * fitted[i]));
                assertThat(fitted[i]).as("layer %d", i).isLessThan(plain[i]);
            }
        }
    }
}
