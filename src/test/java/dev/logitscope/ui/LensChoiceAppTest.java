package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.analysis.PromptAnalyzer;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.Cancellation;
import dev.logitscope.model.ModelException;
import dev.logitscope.plot.LabelHeatmapData;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.Shots;
import dev.logitscope.prompt.TemplateLibrary;
import dev.logitscope.tensors.DType;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.testing.TinyClassifier;
import dev.logitscope.testing.TorchCheckpointWriter;
import dev.logitscope.testing.TunedLensFixture;
import dev.logitscope.tokenize.Token;
import dev.logitscope.ui.analysis.AnalysisJob;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.analysis.Analyzer;
import dev.logitscope.ui.analysis.LensAnalyzer;
import dev.logitscope.ui.lens.LensItem;
import dev.logitscope.ui.lens.LensViewModel;
import dev.logitscope.ui.plot.HeatmapPlot;
import dev.logitscope.ui.plot.LensHeatmapsPlot;
import dev.logitscope.ui.plot.TrajectoryPlot;
import dev.logitscope.ui.prompt.PromptSettings;
import dev.logitscope.ui.prompt.ShotMode;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.scene.control.CheckBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lens choice of the prompt setup, through the real window: a lens folder the model accepts is
 * read side by side with the logit lens and gives PromptAnalyzer's numbers; one it refuses changes
 * nothing and says why; the classifier head is offered only for a model with a score head and its
 * heatmap is softmax(score · ln_f(h)); a restart brings the choice back.
 */
class LensChoiceAppTest {
    static final String REVIEW = "a tender , funny and quietly moving film";

    @TempDir
    static Path shared;
    static TinyCheckpoint tiny;
    static TunedLensFixture lens;

    @TempDir
    Path dir;
    final AppHarness app = new AppHarness();

    @BeforeAll
    static void checkpoint() throws Exception {
        tiny = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(512).seed(5).write(shared.resolve("tiny"));
        lens = TunedLensFixture.write(shared.resolve("tuned-tiny"), 16, 3, tiny.vocabSize(),
                TunedLensFixture.Layout.MODULE_LIST, DType.F32, 3, 0.5, true);
    }

    @AfterEach
    void close() throws Exception {
        app.closeIfOpen();
    }

    private void openWith(SessionStore store, Path model) throws Exception {
        app.openWithModel(store, dir.resolve("hub"), model);
    }

    private void review() {
        app.fx(() -> {
            app.vm().prompt().templateProperty().set(TemplateLibrary.DEFAULT_NAME);
            app.vm().prompt().shotModeProperty().set(ShotMode.ONE);
            app.vm().prompt().goldProperty().set("positive");
            app.vm().reviewProperty().set(REVIEW);
        });
    }

    private LensItem item(String spec) throws Exception {
        return app.fx(() -> app.vm().lenses().items().stream().filter(i -> i.spec().equals(spec)).findFirst()
                .orElse(null));
    }

    @Test
    void aLensFolderIsReadSideBySideWithTheLogitLensWithPromptAnalyzersNumbers() throws Exception {
        openWith(SessionStore.inMemory(Session.defaults()), tiny.folder());
        review();
        app.waitForResult(r -> true);
        LensChoice tuned = LensChoice.folder(lens.folder());
        app.fx(() -> app.vm().lenses().addLensFolder(lens.folder()));
        AnalysisResult r = app.waitForResult(x -> x.lensChoice().equals(List.of(LensChoice.LOGIT, tuned)));
        PromptSettings settings = app.fx(() -> app.vm().prompt().snapshot());

        try (LensEngine fresh = LensEngine.open(tiny.folder(), "tiny")) {
            PromptAnalyzer analyzer = new PromptAnalyzer(fresh);
            PromptAnalysis expectedTuned = analyzer.analyze(settings.request(REVIEW).withLens(tuned));
            PromptAnalysis expectedLogit = analyzer.analyze(settings.request(REVIEW));
            same(r.lenses().comparison().runs().get(tuned).trajectory(), expectedTuned.trajectory());
            same(r.analysis().trajectory(), expectedLogit.trajectory());
        }
        // the window draws those numbers: a heatmap panel and a trajectory line per lens, named by its key
        var heatmap = app.fx(() -> app.vm().heatmapProperty().get());
        assertThat(heatmap).isInstanceOf(LensHeatmapsPlot.class);
        LensHeatmapsPlot panels = (LensHeatmapsPlot) heatmap;
        assertThat(panels.keys()).containsExactly("logit", "tuned-tiny");
        LabelTrajectory tunedLine = r.lenses().comparison().runs().get(tuned).trajectory();
        List<LabelHeatmapData.Row> rows = panels.panels().get(1).data().rows();
        for (int t = 0; t < tunedLine.taps(); t++) {
            assertThat(rows.get(t).probs()).containsExactly(tunedLine.vocab()[t]);
        }
        TrajectoryPlot trajectory = (TrajectoryPlot) app.fx(() -> app.vm().trajectoryProperty().get());
        assertThat(trajectory.seriesNames()).containsExactly("logit", "tuned-tiny");
        assertThat(trajectory.data().series().get(1).y()).containsExactly(tunedLine.column(
                dev.logitscope.prompt.Sentiment.POSITIVE, false));
        // the verdict says which lens it used, then what the other concludes
        assertThat(r.explanation()).startsWith("Logit lens: ").contains("tuned-tiny: ");

        // the export holds every lens shown: numbers per lens, and a provenance naming each
        Path out = dir.resolve("export");
        List<Path> files = app.fx(() -> app.vm().export().exportAll(out)).get(AppHarness.TIMEOUT_SECONDS,
                TimeUnit.SECONDS);
        assertThat(files).contains(out.resolve("layers.csv"), out.resolve("layers-tuned-tiny.csv"),
                out.resolve("heatmap.png"), out.resolve("trajectory.svg"));
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("analysis.json"))).getAsJsonObject();
        JsonArray named = json.getAsJsonObject("provenance").getAsJsonArray("lenses");
        assertThat(named).hasSize(2);
        assertThat(named.get(0).getAsJsonObject().get("name").getAsString()).isEqualTo("logit lens");
        assertThat(named.get(1).getAsJsonObject().get("name").getAsString()).isEqualTo("tuned lens (" + lens.folder() + ")");
        assertThat(named.get(1).getAsJsonObject().get("key").getAsString()).isEqualTo("tuned-tiny");
        JsonArray tunedLayers = json.getAsJsonObject("lenses").getAsJsonObject("tuned-tiny").getAsJsonArray("layers");
        assertThat(tunedLayers).hasSize(tunedLine.taps());
        for (int t = 0; t < tunedLine.taps(); t++) {
            assertThat(tunedLayers.get(t).getAsJsonObject().getAsJsonArray("normalized").get(0).getAsDouble())
                    .isEqualTo(tunedLine.normalized()[t][0]);
        }
        List<String> csv = Files.readAllLines(out.resolve("layers-tuned-tiny.csv"));
        JsonObject csvProvenance = JsonParser.parseString(csv.get(0).substring(csv.get(0).indexOf('{'))).getAsJsonObject();
        assertThat(csvProvenance.getAsJsonObject("lens").get("name").getAsString()).startsWith("tuned lens");
        assertThat(csv).hasSize(2 + tunedLine.taps());
        assertThat(Double.parseDouble(csv.get(2 + 1).split(",")[2])).isCloseTo(tunedLine.vocab()[1][0], within(1e-7));
    }

    private static void same(LabelTrajectory actual, LabelTrajectory expected) {
        assertThat(actual.taps()).isEqualTo(expected.taps());
        for (int t = 0; t < actual.taps(); t++) {
            for (int j = 0; j < actual.labels(); j++) {
                assertThat(actual.vocab()[t][j]).as("tap %d label %d", t, j)
                        .isCloseTo(expected.vocab()[t][j], within(1e-6 + 1e-5 * expected.vocab()[t][j]));
            }
        }
    }

    @Test
    void aLensForAnotherWidthIsRefusedWithAMessageAndNothingChanges() throws Exception {
        openWith(SessionStore.inMemory(Session.defaults()), tiny.folder());
        review();
        app.waitForResult(r -> true);
        TunedLensFixture narrow = TunedLensFixture.write(dir.resolve("narrow"), 8, 3, tiny.vocabSize(),
                TunedLensFixture.Layout.MODULE_LIST, DType.F32, 3, 0.5, true);
        int before = app.fx(() -> app.vm().lenses().items().size());
        app.fx(() -> app.vm().lenses().addLensFolder(narrow.folder()));
        app.waitFor(() -> !app.vm().lenses().busyProperty().get() && !app.vm().lenses().messageProperty().get().isEmpty());

        assertThat(app.fx(() -> app.vm().lenses().messageProperty().get())).contains("8").contains("16");
        assertThat(app.fx(() -> app.vm().lenses().items().size())).isEqualTo(before);
        assertThat(app.fx(() -> app.vm().lenses().chosen())).containsExactly(LensChoice.LOGIT);
        assertThat(app.fx(() -> app.vm().result().lensChoice())).containsExactly(LensChoice.LOGIT);
        // not a folder at all: said, nothing changes
        app.fx(() -> app.vm().lenses().addLensFolder(dir.resolve("missing")));
        assertThat(app.fx(() -> app.vm().lenses().messageProperty().get())).contains("is not a folder");
        assertThat(app.fx(() -> app.vm().lenses().chosen())).containsExactly(LensChoice.LOGIT);
    }

    @Test
    void theClassifierHeadIsOfferedOnlyForAModelWithOneAndItsHeatmapIsTheScoreHeadsProbabilities() throws Exception {
        openWith(SessionStore.inMemory(Session.defaults()), tiny.folder());
        CheckBox box = app.lookup("#lens-classifier");
        assertThat(app.fx(() -> box.isDisabled())).as("an LM has no score head").isTrue();
        assertThat(item(LensViewModel.CLASSIFIER).usableProperty().get()).isFalse();
        app.close();

        TinyClassifier classifier = TinyClassifier.write(dir.resolve("classifier"), tiny, List.of("negative", "positive"), 4);
        openWith(SessionStore.inMemory(Session.defaults()), classifier.folder());
        review();
        app.waitForResult(r -> true);
        CheckBox enabled = app.lookup("#lens-classifier");
        assertThat(app.fx(() -> enabled.isDisabled())).isFalse();
        app.fx(() -> {
            enabled.setSelected(true);
            ((CheckBox) app.lookup("#lens-logit")).setSelected(false);
        });
        AnalysisResult r = app.waitForResult(x -> x.lensChoice().equals(List.of(LensChoice.CLASSIFIER)));
        assertThat(app.fx(() -> app.vm().previewNoteProperty().get())).isEqualTo(MainViewModel.CLASSIFIER_NOTE);
        assertThat(r.prompt().text()).isEqualTo(REVIEW);
        assertThat(r.explanation()).startsWith("Classifier-head lens: ");

        HeatmapPlot heatmap = (HeatmapPlot) app.fx(() -> app.vm().heatmapProperty().get());
        int[] ids = app.vm().modelBar().engine().tokenize(REVIEW).stream().mapToInt(Token::id).toArray();
        ReferenceGpt2.Result reference = new ReferenceGpt2(tiny).run(ids);
        List<LabelHeatmapData.Row> rows = heatmap.data().rows();
        assertThat(rows).hasSize(tiny.nLayer() + 1);
        for (int layer = 0; layer <= tiny.nLayer(); layer++) {
            double[] p = classifier.classProbabilities(reference.afterLayer()[layer][ids.length - 1]);
            // the heatmap's columns are the template's labels: positive (class 1), negative (class 0)
            assertThat(rows.get(layer).probs()[0]).as("P(positive) at %d", layer).isCloseTo(p[1], within(1e-5));
            assertThat(rows.get(layer).probs()[1]).as("P(negative) at %d", layer).isCloseTo(p[0], within(1e-5));
        }
    }

    @Test
    void aRestartBringsTheLensChoiceBack() throws Exception {
        SessionStore store = SessionStore.inMemory(Session.defaults());
        openWith(store, tiny.folder());
        review();
        app.waitForResult(r -> true);
        app.fx(() -> app.vm().lenses().addLensFolder(lens.folder()));
        LensChoice tuned = LensChoice.folder(lens.folder());
        app.waitForResult(x -> x.lensChoice().equals(List.of(LensChoice.LOGIT, tuned)));
        app.close();
        assertThat(store.load().lenses().added()).containsExactly(lens.folder().toString());
        assertThat(store.load().lenses().chosen()).containsExactly("logit", lens.folder().toString());

        openWith(store, tiny.folder());
        AnalysisResult r = app.waitForResult(x -> x.lensChoice().equals(List.of(LensChoice.LOGIT, tuned)));
        assertThat(r.lenses().several()).isTrue();
        assertThat(item(lens.folder().toString()).chosenProperty().get()).isTrue();
    }

    /**
     * A result never shows under another lens choice than its own: ticking a lens takes the shown
     * result off at once, and an analysis for the old choice that finishes afterwards (here one that
     * ignores cancellation) is dropped; the next result shown is the new choice's.
     */
    @Test
    void aResultNeverShowsUnderAnotherLensChoice() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean();
        LensAnalyzer real = new LensAnalyzer();
        Analyzer slowOld = new Analyzer() {
            @Override
            public AnalysisResult analyze(AnalysisJob job) throws ModelException {
                return analyze(job, early -> { });
            }

            @Override
            public AnalysisResult analyze(AnalysisJob job, Consumer<AnalysisResult> early) throws ModelException {
                if (armed.get() && job.lenses().equals(List.of(LensChoice.LOGIT))) {
                    blocked.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                        // it runs to its end whatever the scheduler asks: only the generation check can drop it
                        return Cancellation.callWith(() -> false, () -> real.analyze(job, early));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return real.analyze(job, early);
            }
        };
        app.open(new AppContext(SessionStore.inMemory(Session.defaults()), AppHarness.offlineHub(dir.resolve("hub")),
                java.util.Optional.of(tiny.folder().toString()), slowOld));
        app.waitForModel();
        review();
        app.waitForResult(r -> true);
        List<String> mismatches = new java.util.concurrent.CopyOnWriteArrayList<>();
        app.fx(() -> app.vm().resultProperty().addListener((obs, old, r) -> {
            if (r != null && !r.lensChoice().equals(app.vm().lenses().chosen())) {
                mismatches.add(r.lensChoice() + " shown under " + app.vm().lenses().chosen());
            }
        }));
        armed.set(true);
        app.fx(() -> app.vm().prompt().demoSeedProperty().set(9)); // a new logit-only analysis, held up
        assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
        LensChoice tuned = LensChoice.folder(lens.folder());
        app.fx(() -> app.vm().lenses().addLensFolder(lens.folder()));
        app.waitFor(() -> app.vm().lenses().chosen().contains(tuned));
        assertThat(app.fx(() -> app.vm().result())).as("the logit-only result left the screen").isNull();
        release.countDown();

        AnalysisResult r = app.waitForResult(x -> x.lensChoice().equals(List.of(LensChoice.LOGIT, tuned)));
        assertThat(r.lenses().several()).isTrue();
        assertThat(mismatches).isEmpty();
    }

    /**
     * A reversal only the plain logit lens shows is said above the verdict. The model: a tiny one
     * whose logit lens overthinks the review (found among seeds); the lens: translators h ↦ h − h + b
     * with b the last block's residual for this prompt (float64 reference), so every layer reads the
     * final answer and this lens sees no reversal.
     */
    @Test
    void aReversalOnlyTheLogitLensShowsIsPointedOut() throws Exception {
        Sentiment gold = null;
        TinyCheckpoint model = null;
        int[] ids = null;
        for (int seed = 1; seed <= 60 && gold == null; seed++) {
            TinyCheckpoint candidate = TinyCheckpoint.builder().nLayer(4).nEmbd(16).nHead(2).nPositions(256).seed(seed)
                    .write(dir.resolve("m" + seed));
            try (LensEngine engine = LensEngine.open(candidate.folder(), "m")) {
                PromptAnalyzer analyzer = new PromptAnalyzer(engine);
                for (Sentiment g : Sentiment.values()) {
                    if (g.index() > 1) {
                        continue;
                    }
                    PromptSettings settings = new PromptSettings(TemplateLibrary.builtIn(TemplateLibrary.DEFAULT_NAME),
                            new Shots(0), DemoLabels.CORRECT, java.util.Optional.of(g), false, 0);
                    PromptAnalysis a = analyzer.analyze(settings.request(REVIEW));
                    if (Boolean.TRUE.equals(a.overthinking().overthinks())) {
                        gold = g;
                        model = candidate;
                        ids = engine.tokenize(a.prompt().text()).stream().mapToInt(Token::id).toArray();
                        break;
                    }
                }
            }
        }
        assertThat(gold).as("a tiny model whose logit lens overthinks the review").isNotNull();
        double[] last = new ReferenceGpt2(model).run(ids).afterLayer()[model.nLayer()][ids.length - 1];
        Path folder = dir.resolve("reads-the-end");
        java.nio.file.Files.createDirectories(folder);
        TorchCheckpointWriter writer = new TorchCheckpointWriter();
        int d = last.length;
        float[] minusIdentity = new float[d * d];
        float[] bias = new float[d];
        for (int i = 0; i < d; i++) {
            minusIdentity[i * d + i] = -1f;
            bias[i] = (float) last[i];
        }
        for (int hidden = 0; hidden < model.nLayer(); hidden++) {
            writer.add(hidden + ".weight", DType.F32, new long[] {d, d}, minusIdentity);
            writer.add(hidden + ".bias", DType.F32, new long[] {d}, bias);
        }
        writer.write(folder.resolve("params.pt"));
        java.nio.file.Files.writeString(folder.resolve("config.json"), "{\"d_model\": " + d + ", \"num_hidden_layers\": "
                + model.nLayer() + ", \"bias\": true, \"lens_type\": \"linear_tuned_lens\"}");

        openWith(SessionStore.inMemory(Session.defaults()), model.folder());
        Sentiment g = gold;
        app.fx(() -> {
            app.vm().prompt().templateProperty().set(TemplateLibrary.DEFAULT_NAME);
            app.vm().prompt().shotModeProperty().set(ShotMode.ZERO);
            app.vm().prompt().goldProperty().set(g.key());
            app.vm().reviewProperty().set(REVIEW);
        });
        AnalysisResult plain = app.waitForResult(r -> true);
        assertThat(plain.overthinking().overthinks()).isTrue();
        assertThat(app.fx(() -> app.vm().lensNoteProperty().get())).as("one lens: nothing to compare").isEmpty();
        app.fx(() -> app.vm().lenses().addLensFolder(folder));
        AnalysisResult r = app.waitForResult(x -> x.lenses().several());
        PromptAnalysis tunedRun = r.lenses().comparison().runs().get(LensChoice.folder(folder));
        assertThat(tunedRun.overthinking().overthinks()).isFalse();
        String note = app.fx(() -> app.vm().lensNoteProperty().get());
        assertThat(note).startsWith("Only the logit lens shows this reversal").contains("tuned lens");
        javafx.scene.control.Label shown = app.lookup("#lensNote");
        assertThat(app.fx(() -> shown.isVisible() && shown.getText().equals(note))).isTrue();
        assertThat(r.explanation()).startsWith("Logit lens: Overthinking").contains("reads-the-end: ");
    }

    /**
     * A published tuned lens by name, as {@code download tuned:NAME} fetches it (the Space's
     * lens/NAME folder into the Hugging Face cache); a restart offline finds it in the cache.
     */
    @Test
    void aPublishedLensIsFetchedByNameAndComesBackOfflineAfterARestart() throws Exception {
        String space = "spaces/AlignmentResearch/tuned-lens";
        SessionStore store = SessionStore.inMemory(Session.defaults());
        try (dev.logitscope.hub.FakeHub hub = new dev.logitscope.hub.FakeHub()) {
            hub.repo(space, "0123456789abcdef0123456789abcdef01234567")
                    .file(space, "lens/tiny-gpt2/params.pt", Files.readAllBytes(lens.folder().resolve("params.pt")), true)
                    .file(space, "lens/tiny-gpt2/config.json", Files.readAllBytes(lens.folder().resolve("config.json")), false);
            Path cache = dir.resolve("cache");
            app.open(new AppContext(store, new dev.logitscope.hub.HubSettings(hub.endpoint(), cache,
                    java.util.Optional.empty(), false), java.util.Optional.of(tiny.folder().toString())));
            app.waitForModel();
            review();
            app.waitForResult(r -> true);
            app.fx(() -> app.vm().lenses().addPublished("tuned:tiny-gpt2"));
            AnalysisResult r = app.waitForResult(x -> x.lenses().several());
            LensChoice fetched = r.lensChoice().get(1);
            assertThat(fetched.folder()).startsWith(cache.resolve("spaces--AlignmentResearch--tuned-lens"));
            assertThat(fetched.key()).isEqualTo("tiny-gpt2");
            PromptSettings settings = app.fx(() -> app.vm().prompt().snapshot());
            try (LensEngine fresh = LensEngine.open(tiny.folder(), "tiny")) {
                // the same files as the lens folder the Space serves: the same numbers
                same(r.lenses().comparison().runs().get(fetched).trajectory(), new PromptAnalyzer(fresh)
                        .analyze(settings.request(REVIEW).withLens(LensChoice.folder(lens.folder()))).trajectory());
            }
            assertThat(item("tuned:tiny-gpt2").label()).isEqualTo("tuned:tiny-gpt2");
            // a name the Space does not have: said in the app's words (not the command line's), nothing changes
            int before = app.fx(() -> app.vm().lenses().items().size());
            app.fx(() -> app.vm().lenses().addPublished("no-such-model"));
            app.waitFor(() -> !app.vm().lenses().busyProperty().get() && !app.vm().lenses().messageProperty().get().isEmpty());
            String why = app.fx(() -> app.vm().lenses().messageProperty().get());
            assertThat(why).contains("no-such-model").doesNotContain("./logitscope");
            assertThat(Character.isUpperCase(why.charAt(0))).as(why).isTrue();
            assertThat(app.fx(() -> app.vm().lenses().items().size())).isEqualTo(before);
            assertThat(app.fx(() -> app.vm().lenses().chosen())).containsExactly(LensChoice.LOGIT, fetched);
            app.close();
        }
        assertThat(dir.resolve("cache")).isDirectory();
        assertThat(store.load().lenses().added()).containsExactly("tuned:tiny-gpt2");
        app.open(new AppContext(store, AppHarness.offlineHub(dir.resolve("cache")),
                java.util.Optional.of(tiny.folder().toString())));
        app.waitForModel();
        AnalysisResult r = app.waitForResult(x -> x.lenses().several());
        assertThat(r.lensChoice().get(1).key()).isEqualTo("tiny-gpt2");
    }
}
