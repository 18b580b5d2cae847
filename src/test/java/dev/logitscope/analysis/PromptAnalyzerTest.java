package dev.logitscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.lens.TrackedWord;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.DemoOrder;
import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.LabelWords;
import dev.logitscope.prompt.PromptException;
import dev.logitscope.prompt.PromptRecipe;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.Shots;
import dev.logitscope.prompt.TemplateLibrary;
import dev.logitscope.prompt.UsedDemo;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analysis service on a tiny checkpoint: prompt, verdicts, calibration inputs, warnings, errors. */
class PromptAnalyzerTest {
    @TempDir
    static Path dir;
    static LensEngine engine;
    static PromptAnalyzer analyzer;

    static final String REVIEW = "The plot was thin but I smiled the whole time.";

    @BeforeAll
    static void load() throws Exception {
        TinyCheckpoint checkpoint = TinyCheckpoint.builder().nLayer(3).nEmbd(24).nHead(4).nPositions(400).seed(3)
                .write(dir.resolve("m"));
        engine = LensEngine.open(checkpoint.folder(), "tiny");
        analyzer = new PromptAnalyzer(engine);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static PromptRecipe recipe(int shots, DemoLabels labels) {
        return new PromptRecipe(TemplateLibrary.builtIn("seed-notebook"), new Shots(shots), labels, DemoOrder.ALTERNATING, 7);
    }

    @Test
    void analyzingManyEqualsAnalyzingEachAndKeepsPromptProblemsPerReview() throws Exception {
        PromptRecipe recipe = recipe(2, DemoLabels.FLIPPED);
        List<String> reviews = List.of(REVIEW, "Dull.", "A warm, generous film about friendship and loss.",
                "word ".repeat(100).strip(), // fits only without its demonstrations
                "word ".repeat(200).strip(), // does not fit at all
                "Smart, funny and beautifully acted.");
        List<AnalysisRequest> requests = new java.util.ArrayList<>();
        for (String review : reviews) {
            requests.add(AnalysisRequest.of(review, recipe).withGold(Sentiment.NEGATIVE).withCalibration(true));
        }
        requests.add(AnalysisRequest.of(REVIEW, recipe).withMethod(ScoringMethod.LOSS)); // read one by one
        List<AnalysisOutcome> outcomes = analyzer.analyzeAll(requests);
        assertThat(outcomes).hasSameSizeAs(requests);
        for (int i = 0; i < requests.size(); i++) {
            AnalysisOutcome outcome = outcomes.get(i);
            if (i == 4) {
                assertThat(outcome.analysis()).isNull();
                assertThatThrownBy(() -> analyzer.analyze(requests.get(4)))
                        .hasMessage(outcome.problem().getMessage());
                continue;
            }
            PromptAnalysis alone = analyzer.analyze(requests.get(i));
            PromptAnalysis together = outcome.analysis();
            assertThat(together.prompt().text()).isEqualTo(alone.prompt().text());
            assertThat(together.droppedDemos()).isEqualTo(alone.droppedDemos());
            assertThat(together.warnings()).isEqualTo(alone.warnings());
            for (int l = 0; l < alone.verdicts().size(); l++) {
                LayerVerdict a = alone.verdicts().get(l);
                LayerVerdict b = together.verdicts().get(l);
                assertThat(b.pPositive()).isCloseTo(a.pPositive(), within(1e-9 + 1e-5 * a.pPositive()));
                assertThat(b.pNegative()).isCloseTo(a.pNegative(), within(1e-9 + 1e-5 * a.pNegative()));
                if (a.calibrated() != null) {
                    assertThat(b.calibrated().normalizedPositive())
                            .isCloseTo(a.calibrated().normalizedPositive(), within(1e-5));
                }
            }
        }
        assertThat(outcomes.get(3).analysis().droppedDemos()).isPositive();
        assertThat(outcomes.get(6).analysis().loss()).isNotNull();
    }

    @Test
    void verdictsAreTheLensAtTheLabelWordsOfTheBuiltPrompt() throws Exception {
        PromptRecipe recipe = recipe(2, DemoLabels.CORRECT);
        PromptAnalysis a = analyzer.analyze(AnalysisRequest.of(REVIEW, recipe).withGold(Sentiment.POSITIVE));
        String expected = recipe.fit(DemoPool.builtIn(), REVIEW, t -> 0, Integer.MAX_VALUE).prompt().text();
        assertThat(a.prompt().text()).isEqualTo(expected).endsWith("Sentiment:");
        assertThat(a.prompt().demos()).hasSize(2);
        assertThat(a.droppedDemos()).isZero();
        assertThat(a.promptTokens()).isEqualTo(engine.tokenizer().encodeIds(expected).length);

        List<TrackedWord> tracked = engine.track(List.of(" positive", " negative"));
        LensReport direct = engine.inspect(expected, tracked, 0, LensRequest.Positions.LAST, false);
        assertThat(a.verdicts()).hasSize(4);
        for (int l = 0; l < 4; l++) {
            LayerVerdict v = a.verdicts().get(l);
            double[] p = direct.blockLayers().get(l).last().trackedProbs();
            assertThat(v.layer()).isEqualTo(l);
            assertThat(v.pPositive()).isCloseTo(p[0], within(1e-7));
            assertThat(v.pNegative()).isCloseTo(p[1], within(1e-7));
            assertThat(v.correct()).isEqualTo(v.prediction() == Sentiment.POSITIVE);
            assertThat(v.calibrated()).isNull();
        }
        assertThat(a.overthinking().gold()).isEqualTo(Sentiment.POSITIVE);
        assertThat(a.calibration()).isNull();
        assertThat(a.loss()).isNull();
        // The tiny tokenizer spells " positive" in several tokens: the user is told.
        assertThat(a.warnings()).anyMatch(w -> w.contains("' positive' is") && w.contains("first token"));
    }

    @Test
    void calibrationRunsTheSamePromptWithContentFreeReviews() throws Exception {
        // Flipped labels: the content-free prompts must show the same (flipped) labels.
        PromptRecipe recipe = recipe(2, DemoLabels.FLIPPED);
        PromptAnalysis a = analyzer.analyze(AnalysisRequest.of(REVIEW, recipe).withCalibration(true)
                .withGold(Sentiment.POSITIVE));
        assertThat(a.prompt().demos()).allMatch(UsedDemo::flipped);
        ContentFreeBaseline baseline = a.calibration();
        assertThat(baseline.inputs()).containsExactly("N/A", "", "[MASK]");
        List<TrackedWord> tracked = engine.track(List.of(" positive", " negative"));
        double[] meanPositive = new double[4];
        double[] meanNegative = new double[4];
        for (String input : ContextualCalibration.CONTENT_FREE) {
            String text = recipe.fit(DemoPool.builtIn(), input, t -> 0, Integer.MAX_VALUE).prompt().text();
            assertThat(text).isEqualTo(a.prompt().text().replace(REVIEW, input));
            List<LayerReading> layers = engine.inspect(text, tracked, 0, LensRequest.Positions.LAST, false).blockLayers();
            for (int l = 0; l < 4; l++) {
                double[] p = layers.get(l).last().trackedProbs();
                meanPositive[l] += p[0] / 3;
                meanNegative[l] += p[1] / 3;
            }
        }
        // p_cf: the raw probabilities averaged, then normalised (Zhao et al.'s get_p_content_free).
        double[] mean = new double[4];
        for (int l = 0; l < 4; l++) {
            mean[l] = meanPositive[l] / (meanPositive[l] + meanNegative[l]);
        }
        assertThat(baseline.meanPositive()).containsExactly(meanPositive, within(1e-9));
        assertThat(baseline.normalizedPositive()).containsExactly(mean, within(1e-6));
        for (int l = 0; l < 4; l++) {
            LayerVerdict v = a.verdicts().get(l);
            Calibrated want = ContextualCalibration.calibrate(v.normalizedPositive(), mean[l], Sentiment.POSITIVE);
            assertThat(v.calibrated().normalizedPositive()).isCloseTo(want.normalizedPositive(), within(1e-6));
        }
        assertThat(a.calibratedOverthinking()).isNotNull();

        // A second call reuses the remembered baseline and gives the same numbers.
        PromptAnalysis again = analyzer.analyze(AnalysisRequest.of(REVIEW, recipe).withCalibration(true));
        assertThat(again.calibration().normalizedPositive()).containsExactly(baseline.normalizedPositive());
    }

    @Test
    void anEmptyReviewWorksWithCalibration() throws Exception {
        PromptAnalysis a = analyzer.analyze(AnalysisRequest.of("", recipe(0, DemoLabels.CORRECT)).withCalibration(true));
        assertThat(a.prompt().text()).isEqualTo("Text: \nClassify the text into negative or positive sentiment.\nSentiment:");
        assertThat(a.verdicts()).hasSize(4);
    }

    @Test
    void theLossMethodIsAddedWhenAsked() throws Exception {
        PromptAnalysis a = analyzer.analyze(AnalysisRequest.of(REVIEW, recipe(0, DemoLabels.CORRECT))
                .withMethod(ScoringMethod.LOSS).withGold(Sentiment.NEGATIVE));
        assertThat(a.loss()).isNotNull();
        assertThat(a.loss().layers()).hasSize(4);
        assertThat(a.loss().positive().prompt()).isEqualTo("This is an example of positive text: " + REVIEW);
        assertThat(a.loss().overthinking().gold()).isEqualTo(Sentiment.NEGATIVE);
    }

    @Test
    void demonstrationsThatDoNotFitAreDroppedWithAWarning() throws Exception {
        TinyCheckpoint small = TinyCheckpoint.builder().nLayer(1).nEmbd(8).nHead(2).nPositions(120).write(dir.resolve("s"));
        try (LensEngine shortContext = LensEngine.open(small.folder(), "short")) {
            PromptAnalysis a = new PromptAnalyzer(shortContext).analyze(AnalysisRequest.of("Fine.", recipe(4, DemoLabels.CORRECT)));
            assertThat(a.droppedDemos()).isPositive();
            assertThat(a.promptTokens()).isLessThanOrEqualTo(120);
            assertThat(a.warnings()).anyMatch(w -> w.contains("dropped") && w.contains("120 tokens"));
        }
    }

    @Test
    void labelWordsThatShareAFirstTokenAreAnError() {
        // In the tiny vocabulary " Positive" and " Negative" both begin with the token " ".
        AnalysisRequest request = AnalysisRequest.of(REVIEW, recipe(0, DemoLabels.CORRECT))
                .withLabels(new LabelWords(" Positive", " Negative"));
        assertThatThrownBy(() -> analyzer.analyze(request)).isInstanceOf(PromptException.class)
                .hasMessageContaining("both begin with the token");
    }

    @Test
    void aLabelOverrideChangesTheDemonstrationsAndTheTrackedWords() throws Exception {
        PromptAnalysis a = analyzer.analyze(AnalysisRequest.of(REVIEW, recipe(2, DemoLabels.CORRECT))
                .withLabels(new LabelWords(" good", " bad")));
        assertThat(a.prompt().text()).contains("Sentiment: good").contains("Sentiment: bad");
        assertThat(a.lens().tracked()).extracting(TrackedWord::word).containsExactly(" good", " bad");
    }
}
