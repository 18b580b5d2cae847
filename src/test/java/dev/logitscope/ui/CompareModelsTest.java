package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.analysis.PromptAnalyzer;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.Cancellation;
import dev.logitscope.model.ModelException;
import dev.logitscope.plot.Series;
import dev.logitscope.plot.TrajectoryData;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.TemplateLibrary;
import dev.logitscope.testing.OptLikeTokenizer;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.testing.TinyClassifier;
import dev.logitscope.testing.TinyOptCheckpoint;
import dev.logitscope.ui.analysis.AnalysisJob;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.analysis.Analyzer;
import dev.logitscope.ui.analysis.LensAnalyzer;
import dev.logitscope.ui.export.ExportTarget;
import dev.logitscope.ui.plot.ComparisonTrajectoryPlot;
import dev.logitscope.ui.plot.HeatmapPlot;
import dev.logitscope.ui.plot.PairPlot;
import dev.logitscope.ui.plot.Plot;
import dev.logitscope.ui.prompt.PromptSettings;
import dev.logitscope.ui.prompt.ShotMode;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.scene.control.ComboBox;
import javafx.scene.layout.HBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Before vs. after: a second model picked in the window ("Compare with…") is analysed with the same
 * request as the first, through the same analyzer; both heatmaps and both trajectories show; a fast
 * typist never sees the second model's numbers for another review than the first's; Stop comparing
 * closes the second engine. Two tiny checkpoints of different seeds and depths stand in for a base
 * model and its fine-tune.
 */
class CompareModelsTest {
    static final String REVIEW = "A warm, funny and beautifully acted film.";

    @TempDir
    static Path shared;
    static TinyCheckpoint base;
    static TinyCheckpoint tuned;

    @TempDir
    Path dir;
    final AppHarness app = new AppHarness();

    @BeforeAll
    static void checkpoints() throws Exception {
        base = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(11).write(shared.resolve("base"));
        tuned = TinyCheckpoint.builder().nLayer(4).nEmbd(16).nHead(2).nPositions(1024).seed(29).write(shared.resolve("tuned"));
    }

    @AfterEach
    void close() throws Exception {
        app.closeIfOpen();
    }

    private void openWith(Analyzer analyzer) throws Exception {
        app.open(new AppContext(SessionStore.inMemory(Session.defaults()), AppHarness.offlineHub(dir.resolve("hub")),
                Optional.of(base.folder().toString()), analyzer));
        app.waitForModel();
    }

    /** Compare with… in the model bar, the tuned folder typed into the compare bar, Load. */
    private LensEngine compareWithTuned() throws Exception {
        app.robot.clickOn("#compareButton");
        HBox bar = app.lookup("#compareBarRoot");
        assertThat(app.fx(bar::isVisible)).as("the compare bar opens").isTrue();
        ComboBox<String> choice = app.lookup("#compareChoice");
        app.fx(() -> choice.getEditor().setText(tuned.folder().toString()));
        app.robot.clickOn("#compareLoadButton");
        app.waitFor(() -> app.vm().compared().engine() != null && !app.vm().compared().bar().busyProperty().get());
        return app.fx(() -> app.vm().compared().engine());
    }

    private PromptSettings settings() throws Exception {
        return app.fx(() -> {
            app.vm().prompt().templateProperty().set(TemplateLibrary.DEFAULT_NAME);
            app.vm().prompt().demoSeedProperty().set(5);
            app.vm().prompt().shotModeProperty().set(ShotMode.ONE);
            app.vm().prompt().goldProperty().set("positive");
            app.vm().prompt().calibrateProperty().set(true);
            app.vm().reviewProperty().set(REVIEW);
            return app.vm().prompt().snapshot();
        });
    }

    /** The window's result once the second model's half of the current review is in. */
    private AnalysisResult waitForBoth() throws Exception {
        AnalysisResult r = app.waitForResult(x -> x.compared() != null);
        app.waitFor(() -> app.vm().comparedResult() != null);
        return r;
    }

    @Test
    void theSecondModelsNumbersAreItsOwnPromptAnalyzerRunOfTheSameRequest() throws Exception {
        openWith(new LensAnalyzer());
        PromptSettings settings = settings();
        compareWithTuned();
        AnalysisResult shown = waitForBoth();
        AnalysisResult second = app.fx(() -> app.vm().comparedResult());
        assertThat(second.review()).isEqualTo(REVIEW);
        assertThat(second.analysis().request()).as("the very request the first model got")
                .isEqualTo(shown.analysis().request());
        assertThat(second.analysis().request()).isEqualTo(settings.request(REVIEW));

        // A separate run: its own engine, its own PromptAnalyzer, the request built from the same settings.
        PromptAnalysis expected;
        try (LensEngine own = LensEngine.open(tuned.folder(), "tuned")) {
            expected = new PromptAnalyzer(own).analyze(settings.request(REVIEW));
        }
        LabelTrajectory got = second.analysis().trajectory();
        LabelTrajectory want = expected.trajectory();
        assertThat(got.taps()).isEqualTo(tuned.nLayer() + 1);
        assertThat(got.depths()).containsExactly(want.depths());
        for (int i = 0; i < want.taps(); i++) {
            assertThat(got.vocab()[i]).as("P(label) at layer %d", i).containsExactly(want.vocab()[i]);
            assertThat(got.calibrated()[i]).as("calibrated at layer %d", i).containsExactly(want.calibrated()[i]);
        }
        assertThat(second.analysis().prompt().text()).isEqualTo(expected.prompt().text());
        assertThat(second.explanation()).isNotBlank();

        // The view: both heatmaps with their names and own layers, both trajectories on one chart.
        Plot heatmap = app.fx(() -> app.vm().heatmapProperty().get());
        assertThat(heatmap).isInstanceOf(PairPlot.class);
        PairPlot pair = (PairPlot) heatmap;
        assertThat(pair.names()).containsExactly("base", "tuned");
        assertThat(((HeatmapPlot) pair.parts().get(0)).rows()).isEqualTo(base.nLayer() + 1);
        assertThat(((HeatmapPlot) pair.parts().get(1)).rows()).isEqualTo(tuned.nLayer() + 1);
        assertThat(((HeatmapPlot) pair.parts().get(1)).data().title()).startsWith("tuned");

        Plot trajectory = app.fx(() -> app.vm().trajectoryProperty().get());
        assertThat(trajectory).isInstanceOf(ComparisonTrajectoryPlot.class);
        TrajectoryData data = ((ComparisonTrajectoryPlot) trajectory).data();
        assertThat(data.relativeX()).as("2 and 4 layers share a relative depth axis").isTrue();
        assertThat(data.xTitle()).isEqualTo("relative depth (layer / L)");
        assertThat(data.series()).extracting(Series::name).containsExactly("base (L = 2)", "tuned (L = 4)");
        Series line = data.series().get(1);
        assertThat(line.dash()).isEqualTo(Series.Dash.DASHED);
        assertThat(data.series().get(0).dash()).isEqualTo(Series.Dash.SOLID);
        double[] calibratedPositive = want.column(Sentiment.POSITIVE, true);
        for (int i = 0; i <= tuned.nLayer(); i++) {
            assertThat(line.x()[i]).as("relative depth of layer %d", i).isEqualTo(i / (double) tuned.nLayer());
            assertThat(line.y()[i]).as("P(positive) of layer %d", i).isEqualTo(calibratedPositive[i]);
        }

        String verdict = app.fx(() -> app.vm().verdictProperty().get());
        assertThat(verdict).contains("base: " + shown.explanation(), "tuned: " + second.explanation());
        String summary = app.fx(() -> app.vm().compared().bar().summaryProperty().get());
        assertThat(summary).as("the second model's memory, reported as the first's").contains("tuned", "4 layers", "weights");
    }

    @Test
    void aFastTypistNeverSeesTheSecondModelsNumbersForAnotherReview() throws Exception {
        openWith(slowAnalyzer());
        settings();
        compareWithTuned();
        waitForBoth();
        // Every picture of two heatmaps the window shows: both halves must be of the review the window shows.
        List<String> mismatches = new ArrayList<>();
        List<String> pairs = new ArrayList<>();
        app.fx(() -> app.vm().heatmapProperty().addListener((obs, old, plot) -> {
            if (plot instanceof PairPlot pair && pair.parts().get(1) instanceof HeatmapPlot second) {
                String first = ((HeatmapPlot) pair.parts().get(0)).analysis().request().review();
                pairs.add(second.analysis().request().review());
                if (!first.equals(second.analysis().request().review()) || !app.vm().result().review().equals(first)) {
                    mismatches.add(first + " | " + second.analysis().request().review());
                }
            }
        }));
        app.robot.clickOn("#review").write(" Too long, though, and the ending drags.");
        String typed = app.fx(() -> app.vm().reviewProperty().get());
        assertThat(typed).endsWith("drags.");

        AnalysisResult last = app.waitForResult(r -> r.compared() != null);
        app.waitFor(() -> app.vm().comparedResult() != null);
        assertThat(last.review()).isEqualTo(typed);
        assertThat(app.fx(() -> app.vm().comparedResult().review())).isEqualTo(typed);
        assertThat(app.fx(() -> app.vm().comparedResult().generation())).isEqualTo(last.generation());
        assertThat(pairs).as("pairs were shown while typing").isNotEmpty();
        assertThat(mismatches).isEmpty();
    }

    /** The real analysis, every block of it a little slow, so typing or switching supersedes analyses in flight. */
    static Analyzer slowAnalyzer() {
        LensAnalyzer real = new LensAnalyzer();
        return new Analyzer() {
            @Override
            public AnalysisResult analyze(AnalysisJob job) throws ModelException {
                return analyze(job, early -> { });
            }

            @Override
            public AnalysisResult analyze(AnalysisJob job, Consumer<AnalysisResult> early) throws ModelException {
                Cancellation scheduler = Cancellation.current();
                Cancellation slowly = () -> {
                    try {
                        Thread.sleep(15);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return scheduler.requested();
                };
                try {
                    return Cancellation.callWith(slowly, () -> real.analyze(job, early));
                } catch (RuntimeException | ModelException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    @Test
    void switchingTheSecondModelNeverShowsTheOldOnesNumbersAsTheNewOnes() throws Exception {
        TinyCheckpoint other = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(1024).seed(41)
                .write(dir.resolve("other"));
        openWith(slowAnalyzer());
        settings();
        compareWithTuned();
        waitForBoth();
        // Every pair of heatmaps shown: its second half is the second model in use at that moment (the old
        // one until the new one is loaded, then the new one), never the old one's numbers under the new one.
        List<String> stale = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        app.fx(() -> app.vm().heatmapProperty().addListener((obs, old, plot) -> {
            if (plot instanceof PairPlot pair && pair.parts().get(1) instanceof HeatmapPlot second) {
                String shown = second.analysis().lens().model().source();
                String inUse = app.vm().compared().engine().info().source();
                seen.add(shown);
                if (!shown.equals(inUse)) {
                    stale.add(shown + " shown while " + inUse + " is the second model");
                }
            }
        }));
        app.fx(() -> app.vm().compared().bar().load(other.folder().toString()));
        app.waitFor(() -> app.vm().comparedResult() != null && app.vm().comparedResult().analysis().lens().model()
                .source().equals("other"));
        assertThat(app.fx(() -> app.vm().comparedResult().analysis().trajectory().taps())).isEqualTo(other.nLayer() + 1);
        assertThat(seen).contains("other");
        assertThat(stale).as("the old second model's half shown after the switch").isEmpty();
    }

    @Test
    void stoppingTheComparisonClosesTheSecondEngine() throws Exception {
        openWith(new LensAnalyzer());
        settings();
        LensEngine second = compareWithTuned();
        waitForBoth();
        app.robot.clickOn("#stopComparingButton");
        HBox bar = app.lookup("#compareBarRoot");
        assertThat(app.fx(bar::isVisible)).isFalse();
        assertThat(app.fx(() -> app.vm().compared().engine())).isNull();
        assertThat(app.fx(() -> app.vm().compared().bar().engine())).isNull();
        // closed off the FX thread once no analysis holds it: a lease is then refused
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(AppHarness.TIMEOUT_SECONDS);
        boolean closed = false;
        while (!closed && System.nanoTime() < until) {
            try {
                second.lease().close();
                Thread.sleep(20);
            } catch (ModelException e) {
                closed = true;
            }
        }
        assertThat(closed).as("the second engine was closed").isTrue();
        assertThatThrownBy(second::lease).isInstanceOf(ModelException.class);
        // and the window shows the first model alone again, its analysis running on
        AnalysisResult alone = app.waitForResult(r -> r.compared() == null);
        assertThat(alone.verdicts()).hasSize(base.nLayer() + 1);
        assertThat(app.fx(() -> app.vm().heatmapProperty().get())).isInstanceOf(HeatmapPlot.class);
        assertThat(app.fx(() -> app.vm().verdictProperty().get())).doesNotContain("tuned");
    }

    @Test
    void aModelWithAnotherTokenizerIsComparedAndTheWindowSaysTheLabelWordsTokenizeDifferently() throws Exception {
        // An OPT-like model: another vocabulary (ids re-indexed) and a BOS token before every prompt.
        TinyOptCheckpoint opt = TinyOptCheckpoint.builder().nLayer(3).hidden(24).nHead(4).ffnDim(48).maxPositions(1024)
                .vocabSize(OptLikeTokenizer.VOCAB_SIZE + 8).seed(3).write(dir.resolve("opt"));
        Files.delete(opt.folder().resolve("tokenizer.json")); // as facebook/opt-*: vocab.json + merges.txt + configs
        OptLikeTokenizer.writeVocabAndMerges(opt.folder());
        OptLikeTokenizer.writeConfig(opt.folder(), true);
        openWith(new LensAnalyzer());
        PromptSettings settings = settings();
        app.fx(() -> app.vm().compared().compareWith(opt.folder().toString()));
        app.waitFor(() -> app.vm().compared().engine() != null && !app.vm().compared().bar().busyProperty().get());
        waitForBoth();
        AnalysisResult second = app.fx(() -> app.vm().comparedResult());
        AnalysisResult first = app.fx(() -> app.vm().result());
        int[] idsFirst = first.analysis().labels().tokens().get(0).tokenIds();
        int[] idsSecond = second.analysis().labels().tokens().get(0).tokenIds();
        assertThat(idsSecond).as("the fixture's tokenizers differ").isNotEqualTo(idsFirst);
        // each model's prompt is its own tokenizer's reading of the same settings
        PromptAnalysis expected;
        try (LensEngine own = LensEngine.open(opt.folder(), "opt")) {
            expected = new PromptAnalyzer(own).analyze(settings.request(REVIEW));
        }
        assertThat(second.analysis().promptTokens()).isEqualTo(expected.promptTokens());
        assertThat(second.analysis().trajectory().vocab()).isDeepEqualTo(expected.trajectory().vocab());
        assertThat(app.fx(() -> app.vm().labelWarningProperty().get())).contains("tokenize differently",
                java.util.Arrays.toString(idsFirst) + " in base", java.util.Arrays.toString(idsSecond) + " in opt");
    }

    @Test
    void aFineTunedClassifierIsReadThroughItsOwnHeadBesideTheBaseModelsLogitLens() throws Exception {
        TinyClassifier classifier = TinyClassifier.write(dir.resolve("classifier"), tuned, List.of("negative", "positive"), 5);
        openWith(new LensAnalyzer());
        PromptSettings settings = settings();
        app.fx(() -> app.vm().compared().compareWith(classifier.folder().toString()));
        app.waitFor(() -> app.vm().compared().engine() != null && !app.vm().compared().bar().busyProperty().get());
        assertThat(app.fx(() -> app.vm().compared().lens())).as("a score head is read by default").isEqualTo(LensChoice.CLASSIFIER);
        assertThat(app.fx(() -> new ArrayList<>(app.vm().compared().lenses()))).contains(LensChoice.CLASSIFIER);
        waitForBoth();
        AnalysisResult first = app.fx(() -> app.vm().result());
        AnalysisResult second = app.fx(() -> app.vm().comparedResult());
        assertThat(first.analysis().request().lens()).isEqualTo(LensChoice.LOGIT);
        assertThat(second.analysis().request()).isEqualTo(settings.request(REVIEW).withLens(LensChoice.CLASSIFIER));
        PromptAnalysis expected;
        try (LensEngine own = LensEngine.open(classifier.folder(), "classifier")) {
            expected = new PromptAnalyzer(own).analyze(settings.request(REVIEW).withLens(LensChoice.CLASSIFIER));
        }
        assertThat(second.analysis().trajectory().vocab()).isDeepEqualTo(expected.trajectory().vocab());
        assertThat(second.analysis().trajectory().taps()).isEqualTo(tuned.nLayer() + 1);
        TrajectoryData data = ((ComparisonTrajectoryPlot) app.fx(() -> app.vm().trajectoryProperty().get())).data();
        assertThat(data.series()).extracting(Series::name)
                .containsExactly("base (L = 2)", "classifier (L = 4)");
        assertThat(((PairPlot) app.fx(() -> app.vm().heatmapProperty().get())).names())
                .containsExactly("base · logit", "classifier · classifier");

        // the logit lens instead: the same request as the first model's
        app.fx(() -> app.vm().compared().lensProperty().set(LensChoice.LOGIT));
        app.waitFor(() -> app.vm().comparedResult() != null
                && app.vm().comparedResult().analysis().request().lens().equals(LensChoice.LOGIT));
        assertThat(app.fx(() -> app.vm().comparedResult().analysis().request())).isEqualTo(settings.request(REVIEW));
    }

    @Test
    void exportsHoldBothModelsNumbersAndNameBothModels() throws Exception {
        openWith(new LensAnalyzer());
        settings();
        compareWithTuned();
        waitForBoth();
        Path folder = dir.resolve("export");
        List<Path> files = app.fx(() -> app.vm().export().exportAll(folder)).get(AppHarness.TIMEOUT_SECONDS,
                TimeUnit.SECONDS);
        assertThat(files).contains(folder.resolve("layers.csv"), folder.resolve("layers-compared.csv"),
                folder.resolve("analysis.json"), folder.resolve("analysis-compared.json"),
                folder.resolve("heatmap.png"), folder.resolve("trajectory.pdf"));
        JsonObject first = JsonParser.parseString(Files.readString(folder.resolve("analysis.json"))).getAsJsonObject();
        JsonObject second = JsonParser.parseString(Files.readString(folder.resolve("analysis-compared.json")))
                .getAsJsonObject();
        JsonObject p1 = first.getAsJsonObject("provenance");
        JsonObject p2 = second.getAsJsonObject("provenance");
        assertThat(p1.getAsJsonObject("model").toString()).contains("base").doesNotContain("tuned");
        assertThat(p1.getAsJsonObject("compared_with").getAsJsonObject("model").toString()).contains("tuned");
        assertThat(p2.getAsJsonObject("model").toString()).contains("tuned");
        assertThat(p2.getAsJsonObject("compared_with").getAsJsonObject("model").toString()).contains("base");
        assertThat(second.getAsJsonArray("layers")).hasSize(tuned.nLayer() + 1);
        // one row per layer of each model, after the provenance line and the header
        assertThat(Files.readAllLines(folder.resolve("layers.csv"))).hasSize(base.nLayer() + 3);
        assertThat(Files.readAllLines(folder.resolve("layers-compared.csv"))).hasSize(tuned.nLayer() + 3);
        String png = new String(Files.readAllBytes(folder.resolve("heatmap.png")), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(png).as("the picture's provenance names both models").contains("compared_with");
    }
}
