package dev.logitscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.ModelException;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.DemoOrder;
import dev.logitscope.prompt.PromptException;
import dev.logitscope.prompt.PromptRecipe;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.Shots;
import dev.logitscope.prompt.TemplateLibrary;
import dev.logitscope.tensors.DType;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.testing.TinyClassifier;
import dev.logitscope.testing.TunedLensFixture;
import dev.logitscope.tokenize.Token;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lens is part of each request, not of the engine: one engine reads the same review through
 * several lenses in any order and each gives its own numbers; the classifier-head lens fills the
 * same trajectory (labels in the template's order) from the score head, read on the review alone.
 */
class LensChoiceAnalysisTest {
    private static final String REVIEW = "a tender , funny and quietly moving film";

    @TempDir
    Path dir;

    private static PromptRecipe recipe(int shots) {
        return new PromptRecipe(TemplateLibrary.builtIn("seed-notebook"), new Shots(shots), DemoLabels.CORRECT,
                DemoOrder.ALTERNATING, 7);
    }

    @Test
    void oneEngineReadsTheSameReviewThroughSeveralLensesInAnyOrder() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(256).seed(5)
                .write(dir.resolve("m"));
        TunedLensFixture fixture = TunedLensFixture.write(dir.resolve("lens"), 16, 3, ckpt.vocabSize(),
                TunedLensFixture.Layout.MODULE_LIST, DType.F32, 3, 0.5, true);
        LensChoice tuned = LensChoice.folder(fixture.folder());
        AnalysisRequest logit = AnalysisRequest.of(REVIEW, recipe(2)).withGold(Sentiment.POSITIVE).withCalibration(true);
        PromptAnalysis aloneLogit;
        PromptAnalysis aloneTuned;
        try (LensEngine fresh = LensEngine.open(ckpt.folder(), "tiny")) {
            aloneLogit = new PromptAnalyzer(fresh).analyze(logit);
        }
        try (LensEngine fresh = LensEngine.open(ckpt.folder(), "tiny")) {
            aloneTuned = new PromptAnalyzer(fresh).analyze(logit.withLens(tuned));
        }
        try (LensEngine engine = LensEngine.open(ckpt.folder(), "tiny")) {
            PromptAnalyzer analyzer = new PromptAnalyzer(engine);
            PromptAnalysis t1 = analyzer.analyze(logit.withLens(tuned));
            PromptAnalysis l1 = analyzer.analyze(logit);
            PromptAnalysis t2 = analyzer.analyze(logit.withLens(tuned));
            // Batched (the eval path) too, both lenses in one call.
            List<AnalysisOutcome> both = analyzer.analyzeAll(List.of(logit, logit.withLens(tuned)));

            assertThat(t1.lens().lens()).isEqualTo("tuned lens (" + fixture.folder() + ")");
            assertThat(l1.lens().lens()).isEqualTo("logit lens");
            for (PromptAnalysis[] pair : new PromptAnalysis[][] {{l1, aloneLogit}, {both.get(0).analysis(), aloneLogit},
                    {t1, aloneTuned}, {t2, aloneTuned}, {both.get(1).analysis(), aloneTuned}}) {
                sameNumbers(pair[0].trajectory(), pair[1].trajectory());
            }
            // The lenses really differ (else the comparison proves nothing).
            double largest = 0;
            for (int t = 0; t < aloneLogit.trajectory().taps() - 1; t++) {
                largest = Math.max(largest, Math.abs(aloneLogit.trajectory().vocab()[t][0] - aloneTuned.trajectory().vocab()[t][0]));
            }
            assertThat(largest).isGreaterThan(1e-4);
        }
    }

    /** Raw, renormalised and calibrated values (the content-free baselines are per lens) to float32 noise. */
    private static void sameNumbers(LabelTrajectory actual, LabelTrajectory expected) {
        assertThat(actual.taps()).isEqualTo(expected.taps());
        for (int t = 0; t < actual.taps(); t++) {
            for (int j = 0; j < actual.labels(); j++) {
                assertThat(actual.vocab()[t][j]).as("tap %d label %d", t, j)
                        .isCloseTo(expected.vocab()[t][j], within(1e-6 + 1e-4 * expected.vocab()[t][j]));
                assertThat(actual.calibrated()[t][j]).as("calibrated tap %d label %d", t, j)
                        .isCloseTo(expected.calibrated()[t][j], within(1e-5));
            }
        }
    }

    @Test
    void theClassifierHeadLensReadsTheReviewAloneAndMatchesClassesToLabelsByName() throws Exception {
        TinyCheckpoint base = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(256).seed(21)
                .write(dir.resolve("base"));
        TinyClassifier classifier = TinyClassifier.write(dir.resolve("classifier"), base, List.of("negative", "positive"), 4);
        try (LensEngine engine = LensEngine.open(classifier.folder(), "classifier")) {
            PromptAnalyzer analyzer = new PromptAnalyzer(engine);
            AnalysisRequest request = AnalysisRequest.of(REVIEW, recipe(2)).withGold(Sentiment.POSITIVE)
                    .withLens(LensChoice.CLASSIFIER);
            PromptAnalysis analysis = analyzer.analyze(request);

            assertThat(analysis.prompt().text()).isEqualTo(REVIEW);
            assertThat(analysis.prompt().demos()).isEmpty();
            assertThat(analysis.warnings()).anyMatch(w -> w.contains("2 demonstrations and the template are not used"));
            assertThat(analysis.lens().lens()).isEqualTo("classifier-head lens");
            LabelTrajectory trajectory = analysis.trajectory();
            assertThat(trajectory.words()).containsExactly(" positive", " negative"); // the template's order

            int[] ids = engine.tokenize(REVIEW).stream().mapToInt(Token::id).toArray();
            ReferenceGpt2.Result reference = new ReferenceGpt2(base).run(ids);
            for (int t = 0; t < trajectory.taps(); t++) {
                double[] p = classifier.classProbabilities(reference.afterLayer()[t][ids.length - 1]);
                // class 1 is "positive", class 0 "negative": they land on the template's labels 0 and 1.
                assertThat(trajectory.vocab()[t][0]).as("P(positive) at %d", t).isCloseTo(p[1], within(1e-5));
                assertThat(trajectory.vocab()[t][1]).as("P(negative) at %d", t).isCloseTo(p[0], within(1e-5));
                assertThat(trajectory.prediction(t)).isEqualTo(p[1] > p[0] ? Sentiment.POSITIVE : Sentiment.NEGATIVE);
            }
            // The final layer's top "token" is the classifier's own choice, named by its class.
            var last = analysis.lens().finalLayer().last();
            assertThat(last.top().get(0).token()).isIn("negative", "positive");
            assertThat(last.klToFinal()).isCloseTo(0.0, within(1e-6));
            assertThat(analysis.overthinking()).isNotNull();

            // Calibration: p_cf from the content-free inputs read alone ("" is no prompt for a bare review).
            PromptAnalysis calibrated = analyzer.analyze(request.withCalibration(true));
            assertThat(calibrated.calibration().inputs()).containsExactly("N/A", "[MASK]");
            int lastTap = trajectory.taps() - 1;
            double[] na = classProbabilitiesAtEveryLayer(engine, classifier, base, "N/A")[lastTap];
            double[] mask = classProbabilitiesAtEveryLayer(engine, classifier, base, "[MASK]")[lastTap];
            double cfPositive = (na[1] + mask[1]) / 2;
            double cfNegative = (na[0] + mask[0]) / 2;
            double pPos = trajectory.normalized()[lastTap][0];
            double wPos = pPos / (cfPositive / (cfPositive + cfNegative));
            double wNeg = (1 - pPos) / (cfNegative / (cfPositive + cfNegative));
            assertThat(calibrated.trajectory().calibrated()[lastTap][0]).isCloseTo(wPos / (wPos + wNeg), within(1e-5));

            assertThatThrownBy(() -> analyzer.analyze(request.withMethod(ScoringMethod.LOSS)))
                    .isInstanceOf(PromptException.class).hasMessageContaining("classifier-head lens");
        }
    }

    private static double[][] classProbabilitiesAtEveryLayer(LensEngine engine, TinyClassifier classifier,
            TinyCheckpoint base, String text) throws ModelException {
        int[] ids = engine.tokenize(text).stream().mapToInt(Token::id).toArray();
        ReferenceGpt2.Result reference = new ReferenceGpt2(base).run(ids);
        double[][] out = new double[base.nLayer() + 1][];
        for (int l = 0; l <= base.nLayer(); l++) {
            out[l] = classifier.classProbabilities(reference.afterLayer()[l][ids.length - 1]);
        }
        return out;
    }

    @Test
    void unnamedClassesAreReadInSst2sOrderAndSaySo() throws Exception {
        TinyCheckpoint base = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(64).seed(3)
                .write(dir.resolve("base"));
        TinyClassifier classifier = TinyClassifier.write(dir.resolve("c"), base, List.of("LABEL_0", "LABEL_1"), 9);
        try (LensEngine engine = LensEngine.open(classifier.folder(), "c")) {
            PromptAnalysis analysis = new PromptAnalyzer(engine).analyze(
                    AnalysisRequest.of(REVIEW, recipe(0)).withLens(LensChoice.CLASSIFIER));
            assertThat(analysis.warnings()).anyMatch(w -> w.contains("SST-2's order") && w.contains("class 1 = positive"));
            int[] ids = engine.tokenize(REVIEW).stream().mapToInt(Token::id).toArray();
            double[] p = classifier.classProbabilities(new ReferenceGpt2(base).run(ids).afterLayer()[2][ids.length - 1]);
            assertThat(analysis.trajectory().vocab()[2][0]).isCloseTo(p[1], within(1e-5));
        }
    }

    @Test
    void classesThatNameNoLabelAndModelsWithoutAHeadAreRefusedWithWhatToDo() throws Exception {
        TinyCheckpoint base = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(64).seed(3)
                .write(dir.resolve("base"));
        TinyClassifier three = TinyClassifier.write(dir.resolve("c3"), base, List.of("bad", "meh", "good"), 9);
        try (LensEngine engine = LensEngine.open(three.folder(), "c3")) {
            assertThatThrownBy(() -> new PromptAnalyzer(engine).analyze(
                    AnalysisRequest.of(REVIEW, recipe(0)).withLens(LensChoice.CLASSIFIER)))
                    .isInstanceOf(PromptException.class).hasMessageContaining("[bad, meh, good]")
                    .hasMessageContaining("use label words that are the class names");
        }
        try (LensEngine engine = LensEngine.open(base.folder(), "lm")) {
            assertThatThrownBy(() -> new PromptAnalyzer(engine).analyze(
                    AnalysisRequest.of(REVIEW, recipe(0)).withLens(LensChoice.CLASSIFIER)))
                    .isInstanceOf(ModelException.class).hasMessageContaining("no classification head")
                    .hasMessageContaining("use the logit lens");
            assertThatThrownBy(() -> engine.prepareLens(LensChoice.CLASSIFIER)).isInstanceOf(ModelException.class)
                    .hasMessageContaining("no classification head");
        }
    }
}
