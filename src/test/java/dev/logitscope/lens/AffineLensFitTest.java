package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.model.Cancellation;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.RunCancelledException;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.tokenize.Token;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The affine lens fitted by least squares on a tiny random GPT-2: it reads held-out text closer to
 * the model's output than the plain logit lens (mean KL to final, measured here independently of
 * the fitter's own figures), saves and reloads to the very same translators, reads every layer as
 * the float64 softmax(W_U · ln_f(h + W·h + b)) of the reference's residuals, and is refused by a
 * model of another width or depth.
 */
class AffineLensFitTest {
    private static final String[] WORDS = {"the", "film", "was", "a", "not", "bad", "good", "story", "and", "funny",
            "dull", "moving", "of", "it", "is", "acting", "plot", "with", "too", "long", "great", "cast", "in", "but"};

    @TempDir
    static Path dir;

    private static TinyCheckpoint ckpt;

    @BeforeAll
    static void model() throws Exception {
        ckpt = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(128).seed(5).write(dir.resolve("model"));
    }

    /** Random sentences of the word list: one document each. */
    static List<String> texts(int count, long seed) {
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder();
            int words = 4 + random.nextInt(8);
            for (int w = 0; w < words; w++) {
                s.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            texts.add(s.append(" .").toString());
        }
        return texts;
    }

    static List<int[]> ids(LensEngine engine, List<String> texts) throws ModelException {
        List<int[]> out = new ArrayList<>();
        for (String text : texts) {
            out.add(engine.tokenize(text).stream().mapToInt(Token::id).toArray());
        }
        return out;
    }

    /** Per layer, the mean KL(final ‖ layer) over every position of {@code texts}, as inspect reports it. */
    static double[] meanKlToFinal(LensEngine engine, List<String> texts) throws ModelException {
        return meanKlToFinal(engine, texts, LensChoice.LOGIT);
    }

    /** As {@link #meanKlToFinal(LensEngine, List)}, read through {@code lens}. */
    static double[] meanKlToFinal(LensEngine engine, List<String> texts, LensChoice lens) throws ModelException {
        double[] sum = new double[engine.info().shape().nLayer() + 1];
        int n = 0;
        for (String text : texts) {
            LensReport report = engine.inspect(text, List.of(), 1, LensRequest.Positions.ALL, false, lens);
            for (LayerReading layer : report.layers()) {
                for (PositionReading reading : layer.positions()) {
                    sum[layer.layer()] += reading.klToFinal();
                }
            }
            n += report.tokens().size();
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= n;
        }
        return sum;
    }

    @Test
    void theFittedLensReadsHeldOutTextCloserToTheOutputThanTheLogitLens() throws Exception {
        List<String> train = texts(250, 1);
        List<String> heldOut = texts(40, 2);
        try (LensEngine engine = LensEngine.open(ckpt.folder(), "tiny")) {
            AtomicInteger reports = new AtomicInteger();
            AffineLensFit fit = engine.fitAffineLens(new FitData(ids(engine, train), ids(engine, heldOut)), 1e-3,
                    p -> reports.incrementAndGet());
            assertThat(reports.get()).isGreaterThan(2);

            assertThat(fit.quality()).hasSize(ckpt.nLayer());
            Path saved = dir.resolve("lens-b");
            AffineLensFolder.write(saved, fit, Map.of());

            double[] plain = meanKlToFinal(engine, heldOut);
            assertThat(engine.prepareLens(LensChoice.folder(saved))).isEqualTo("affine lens (least squares) (" + saved + ")");
            double[] fitted = meanKlToFinal(engine, heldOut, LensChoice.folder(saved));
            for (int i = 0; i < ckpt.nLayer(); i++) {
                LayerFit q = fit.quality().get(i);
                assertThat(fitted[i]).as("layer %d: fitted %f vs plain %f", i, fitted[i], plain[i]).isLessThan(plain[i]);
                // The fitter's own held-out figures are these (it measured the same texts).
                assertThat(q.klLogitLens()).isCloseTo(plain[i], within(1e-4 + 1e-3 * plain[i]));
                assertThat(q.klAffineLens()).isCloseTo(fitted[i], within(1e-4 + 1e-3 * fitted[i]));
                assertThat(q.r2()).isGreaterThan(q.r2Identity());
            }
            // The last layer is the model's output under either lens.
            assertThat(fitted[ckpt.nLayer()]).isCloseTo(0.0, within(1e-6));
            assertThat(plain[ckpt.nLayer()]).isCloseTo(0.0, within(1e-6));
        }
    }

    @Test
    void aSavedLensReloadsToTheSameTranslatorsAndReadsAsTheFloat64Reference() throws Exception {
        ReferenceGpt2 reference = new ReferenceGpt2(ckpt);
        try (LensEngine engine = LensEngine.open(ckpt.folder(), "tiny")) {
            AffineLensFit fit = engine.fitAffineLens(new FitData(ids(engine, texts(120, 3)), ids(engine, texts(12, 4))),
                    1e-2, p -> { });
            Path saved = dir.resolve("lens-c");
            AffineLensFolder.write(saved, fit, Map.of());
            TunedLensFile reloaded = AffineLensFolder.read(saved, engine.info().shape(), "tiny");
            for (int i = 0; i < ckpt.nLayer(); i++) {
                assertThat(reloaded.weights()[i]).as("W %d", i).containsExactly(fit.weights()[i]);
                assertThat(reloaded.biases()[i]).as("b %d", i).containsExactly(fit.biases()[i]);
            }
            String prompt = "the plot was too long but the cast is great .";
            List<TrackedWord> tracked = engine.track(List.of(" the", " film"));
            LensReport report = engine.inspect(prompt, tracked, 3, LensRequest.Positions.ALL, false, LensChoice.folder(saved));
            int[] ids = report.tokens().stream().mapToInt(Token::id).toArray();
            ReferenceGpt2.Result expected = reference.run(ids);
            double largestChange = 0;
            for (LayerReading layer : report.layers()) {
                int i = layer.layer();
                for (PositionReading reading : layer.positions()) {
                    double[] h = expected.afterLayer()[i][reading.position()];
                    // In float64, from the in-memory fit: softmax(W_U · ln_f(h + W·h + b)); the last layer as it is.
                    double[] p = reference.lensProbabilities(i == ckpt.nLayer() ? h : translate(fit, i, h));
                    for (int j = 0; j < tracked.size(); j++) {
                        double want = p[tracked.get(j).firstTokenId()];
                        assertThat(reading.trackedProbs()[j]).as("layer %d @%d", i, reading.position())
                                .isCloseTo(want, within(2e-5 + 1e-3 * want));
                        largestChange = Math.max(largestChange,
                                Math.abs(want - reference.lensProbabilities(h)[tracked.get(j).firstTokenId()]));
                    }
                    for (TopToken top : reading.top()) {
                        assertThat(top.prob()).isCloseTo(p[top.id()], within(2e-5 + 1e-3 * p[top.id()]));
                    }
                }
            }
            assertThat(largestChange).as("the lens changes what the layers read").isGreaterThan(1e-3);
        }
    }

    /** h + W·h + b in float64, from the fit's own arrays (W row-major [out, in]). */
    private static double[] translate(AffineLensFit fit, int layer, double[] h) {
        int d = h.length;
        double[] out = new double[d];
        for (int o = 0; o < d; o++) {
            double sum = fit.biases()[layer][o];
            for (int i = 0; i < d; i++) {
                sum += (double) fit.weights()[layer][o * d + i] * h[i];
            }
            out[o] = h[o] + sum;
        }
        return out;
    }

    @Test
    void aLensForAnotherWidthOrDepthIsRefused() throws Exception {
        Path wide = dir.resolve("wide");
        Path deep = dir.resolve("deep");
        AffineLensFolder.write(wide, synthetic(24, 3), Map.of());
        AffineLensFolder.write(deep, synthetic(16, 4), Map.of());
        try (LensEngine engine = LensEngine.open(ckpt.folder(), "tiny")) {
            assertThatThrownBy(() -> engine.prepareLens(LensChoice.folder(wide))).isInstanceOf(ModelException.class)
                    .hasMessageContaining("affine lens (least squares)").hasMessageContaining("d_model 24, 3 layers")
                    .hasMessageContaining("d_model 16 and 3 layers").hasMessageContaining("fit-lens");
            assertThatThrownBy(() -> engine.prepareLens(LensChoice.folder(deep))).isInstanceOf(ModelException.class)
                    .hasMessageContaining("d_model 16, 4 layers");
        }
    }

    private static AffineLensFit synthetic(int d, int layers) {
        float[][] w = new float[layers][d * d];
        float[][] b = new float[layers][d];
        List<LayerFit> quality = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            quality.add(new LayerFit(i, 0, 0, 0, 0, 0));
        }
        return new AffineLensFit(d, layers, w, b, 0, 1, 1, 1, 1, quality, 0, 0);
    }

    @Test
    void aFitStopsWhenCancelled() throws Exception {
        try (LensEngine engine = LensEngine.open(ckpt.folder(), "tiny")) {
            FitData data = new FitData(ids(engine, texts(200, 5)), ids(engine, texts(20, 6)));
            AtomicInteger reports = new AtomicInteger();
            assertThatThrownBy(() -> Cancellation.callWith(() -> reports.get() >= 2,
                    () -> engine.fitAffineLens(data, 1e-3, p -> reports.incrementAndGet())))
                    .isInstanceOf(RunCancelledException.class);
            // The engine is still usable afterwards.
            assertThat(engine.inspect("the film", List.of(), 1, LensRequest.Positions.LAST, false).layers()).hasSize(4);
        }
    }
}
