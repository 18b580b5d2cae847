package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.eval.EvalSummary;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.ui.eval.EvalViewModel;
import dev.logitscope.ui.eval.FolderOpener;
import dev.logitscope.ui.eval.SummaryRow;
import dev.logitscope.ui.model.Banner;
import dev.logitscope.ui.plot.AccuracyByLayerPlot;
import dev.logitscope.ui.plot.ScalingPlot;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Evaluate tab, headless, running the CLI's evaluation on a tiny GPT-2 with the real tokenizer. */
class EvaluateTabTest {
    static final List<String> REVIEWS = List.of(
            "1 a gorgeous , witty , seductive movie .",
            "0 the story is too thin to hold a feature .",
            "1 a warm and generous film about friendship .",
            "0 dull , lifeless and far too long .",
            "1 one of the most moving films of the year .",
            "0 a mess of a movie with nothing to say .",
            "1 smart , funny and beautifully acted .",
            "0 the jokes fall flat and the plot drags .",
            "1 an absorbing and thoughtful drama .",
            "0 tedious from start to finish .",
            "1 a delight for the whole family .",
            "0 clumsy , loud and instantly forgettable .");

    @TempDir
    static Path shared;
    static TinyCheckpoint tiny;

    @TempDir
    Path dir;
    final AppHarness app = new AppHarness();
    final List<Path> opened = new ArrayList<>();

    @BeforeAll
    static void checkpoint() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip();
        tiny = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(5).realTokenizer(tokenizer)
                .write(shared.resolve("tiny"));
    }

    @AfterEach
    void close() throws Exception {
        app.closeIfOpen();
    }

    private EvalViewModel openOnEvaluate() throws Exception {
        FolderOpener recording = new FolderOpener() {
            @Override
            public boolean available() {
                return true;
            }

            @Override
            public void open(Path folder) {
                opened.add(folder);
            }
        };
        app.open(new AppContext(SessionStore.inMemory(Session.defaults()), AppHarness.offlineHub(dir.resolve("hub")),
                Optional.of(tiny.folder().toString())).withEvalOutput(dir.resolve("evals")).withFolders(recording));
        app.waitForModel();
        TabPane modes = app.lookup("#modes");
        Tab evaluate = app.fx(() -> modes.getTabs().stream().filter(t -> "evaluateTab".equals(t.getId())).findFirst()
                .orElseThrow());
        app.fx(() -> modes.getSelectionModel().select(evaluate));
        return app.fx(() -> app.vm().evaluate());
    }

    private Path sst2(String name, List<String> lines) throws Exception {
        return Files.write(dir.resolve(name), lines);
    }

    private void click(String id) {
        Button b = app.lookup(id);
        app.fx(b::fire);
    }

    private EvalSummary waitForRun(EvalViewModel vm) throws Exception {
        Button run = app.lookup("#evalRun");
        app.waitFor(() -> !vm.runningProperty().get() && !run.isDisabled());
        return app.fx(() -> vm.summaryProperty().get());
    }

    @Test
    void oneClickRunsTheEvaluationAndShowsProgressPlotsAndTable() throws Exception {
        EvalViewModel vm = openOnEvaluate();
        Path data = sst2("reviews.txt", REVIEWS);
        TextField dataset = app.lookup("#evalDataset");
        TextField shots = app.lookup("#evalShots");
        app.fx(() -> {
            dataset.setText(data.toString());
            shots.setText("0,2");
        });
        CheckBox loaded = app.lookup("#evalUseLoadedModel");
        CheckBox correct = app.lookup("#evalCorrect");
        CheckBox flipped = app.lookup("#evalFlipped");
        assertThat(app.fx(loaded::isSelected)).isTrue();
        assertThat(app.fx(loaded::getText)).contains(tiny.folder().toString());
        assertThat(app.fx(correct::isSelected)).isTrue();
        assertThat(app.fx(flipped::isSelected)).isTrue();
        TextField out = app.lookup("#evalOutputFolder");
        Path folder = Path.of(app.fx(() -> out.getText()));
        assertThat(folder.getParent()).isEqualTo(dir.resolve("evals"));

        click("#evalRun");
        EvalSummary summary = waitForRun(vm);

        assertThat(app.fx(() -> app.vm().bannerProperty().get())).isNull();
        assertThat(summary.complete()).isTrue();
        assertThat(app.fx(() -> vm.progressProperty().get())).isEqualTo(1.0);
        TableView<SummaryRow> table = app.lookup("#evalSummaryTable");
        List<SummaryRow> rows = app.fx(() -> List.copyOf(table.getItems()));
        assertThat(rows).extracting(SummaryRow::setting).containsExactly("0-shot", "2 correct", "2 flipped");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.model()).isEqualTo(tiny.folder().toString());
            assertThat(r.examples()).isEqualTo(12);
            assertThat(Double.parseDouble(r.finalAccuracy())).isBetween(0.0, 1.0);
            assertThat(r.rate()).isNotEqualTo("—");
        });
        assertThat(rows.get(0).criticalLayer()).isEqualTo("—");
        // each final accuracy with its 95% interval over the 12 examples; flipped: a layer, or why none
        assertThat(rows).allSatisfy(r -> assertThat(r.interval()).matches("\\[\\d\\.\\d{3}, \\d\\.\\d{3}\\]"));
        assertThat(rows.get(2).criticalLayer()).matches("\\d+|no reliable gap|no gap");
        assertThat(rows.get(2).criticalLayer().matches("\\d+") || rows.get(2).criticalNote().contains("n = 12")).isTrue();
        assertThat(app.fx(() -> table.getColumns().stream().map(c -> c.getText()).toList())).contains("95% interval");

        AccuracyByLayerPlot accuracy = (AccuracyByLayerPlot) app.fx(() -> vm.accuracyPlotProperty().get());
        assertThat(accuracy.data().panels()).hasSize(2);
        assertThat(accuracy.data().panels().get(1).series()).hasSize(2);
        assertThat(accuracy.data().panels().get(1).series().get(0).y()).hasSize(tiny.nLayer() + 1);
        ScalingPlot scaling = (ScalingPlot) app.fx(() -> vm.scalingPlotProperty().get());
        assertThat(scaling.data().models()).hasSize(1);
        assertThat(scaling.data().conditions()).hasSize(3);

        assertThat(folder.resolve("summary.json")).isRegularFile();
        assertThat(folder.resolve("examples.csv")).isRegularFile();
        assertThat(folder.resolve("accuracy_by_layer.png")).isRegularFile();
        assertThat(folder.resolve("accuracy_vs_size.svg")).isRegularFile();
        JsonObject json = JsonParser.parseString(Files.readString(folder.resolve("summary.json"))).getAsJsonObject();
        // 0-shot is one condition (its prompt has no demo labels), as the CLI records it
        assertThat(json.getAsJsonArray("conditions")).hasSize(3);
        assertThat(Files.readAllLines(folder.resolve("examples.csv"))).hasSize(1 + 12 * 3 * (tiny.nLayer() + 1));
        // the pictures carry the run's provenance, as eval's do
        assertThat(JsonParser.parseString(dev.logitscope.plot.Pdfs.metadata(folder.resolve("accuracy_by_layer.pdf"))
                .info("logitscope:provenance"))).isEqualTo(json.get("provenance"));
        assertThat(Files.readString(folder.resolve("accuracy_vs_size.svg"))).contains("key=\"logitscope:provenance\"");

        // The next Run gets a fresh folder; Open folder shows the finished one.
        assertThat(Path.of(app.fx(() -> out.getText()))).isNotEqualTo(folder);
        Label status = app.lookup("#evalStatus");
        assertThat(app.fx(status::getText)).startsWith("Finished").contains(folder.toString());
        click("#evalOpenFolder");
        assertThat(opened).containsExactly(folder);
        // The tab's settings are part of the session.
        assertThat(app.fx(() -> app.vm().session().evaluate().shots())).isEqualTo("0,2");
        assertThat(app.fx(() -> app.vm().session().evaluate().dataset())).isEqualTo(data.toString());
    }

    /** Live model threads: one per open engine. */
    private static long modelThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("logitscope-model")).count();
    }

    @Test
    void theLoadedModelIsLentToTheRunAndGivesTheCliNumbers() throws Exception {
        EvalViewModel vm = openOnEvaluate();
        long before = modelThreads();
        assertThat(before).as("the loaded model's thread").isEqualTo(1);
        Path data = sst2("reviews.txt", REVIEWS);
        Path folder = dir.resolve("app-run");
        // Watch the model threads while the run goes: a second engine would be a second thread.
        java.util.concurrent.atomic.AtomicLong most = new java.util.concurrent.atomic.AtomicLong(before);
        java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                most.accumulateAndGet(modelThreads(), Math::max);
                Thread.onSpinWait();
            }
        }, "model-thread-watch");
        watcher.setDaemon(true);
        watcher.start();
        app.fx(() -> {
            vm.datasetProperty().set(data.toString());
            vm.shotsProperty().set("0,2");
            vm.chooseOutputFolder(folder);
            vm.run();
        });
        EvalSummary summary = waitForRun(vm);
        watching.set(false);
        watcher.join();
        assertThat(summary.complete()).isTrue();
        assertThat(most.get()).as("model threads during the run").isEqualTo(1);
        assertThat(modelThreads()).isEqualTo(1);
        // the engine was lent, not closed: the analysis still works on it
        app.fx(() -> app.vm().reviewProperty().set("a warm and generous film ."));
        assertThat(app.waitForResult(r -> true).verdicts()).hasSize(tiny.nLayer() + 1);

        Path cli = dir.resolve("cli-run");
        dev.logitscope.cli.CliRunner result = dev.logitscope.cli.CliRunner.run("eval", "--models",
                tiny.folder().toString(), "--dataset", data.toString(), "--shots", "0,2", "--out", cli.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(conditions(folder)).isEqualTo(conditions(cli));
    }

    @Test
    void theLensesChosenInThePromptSetupAreTheOnesARunReadsThroughAsEvalLensDoes() throws Exception {
        EvalViewModel vm = openOnEvaluate();
        dev.logitscope.testing.TunedLensFixture lens = dev.logitscope.testing.TunedLensFixture.write(dir.resolve("lens"),
                tiny.nEmbd(), tiny.nLayer(), tiny.vocabSize(), dev.logitscope.testing.TunedLensFixture.Layout.MODULE_LIST,
                dev.logitscope.tensors.DType.F32, 3, 0.5, true);
        app.fx(() -> app.vm().lenses().addLensFolder(lens.folder()));
        app.waitFor(() -> app.fx(() -> vm.lensesProperty().get().size()) == 2);
        Label shown = app.lookup("#evalLenses");
        assertThat(app.fx(shown::getText)).isEqualTo("logit, lens");
        Path data = sst2("reviews.txt", REVIEWS);
        Path folder = dir.resolve("app-run");
        app.fx(() -> {
            vm.datasetProperty().set(data.toString());
            vm.shotsProperty().set("0,2");
            vm.chooseOutputFolder(folder);
            vm.run();
        });
        assertThat(waitForRun(vm).complete()).isTrue();

        Path cli = dir.resolve("cli-run");
        dev.logitscope.cli.CliRunner result = dev.logitscope.cli.CliRunner.run("eval", "--models",
                tiny.folder().toString(), "--dataset", data.toString(), "--shots", "0,2", "--lens",
                "logit," + lens.folder(), "--out", cli.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonElement conditions = conditions(folder);
        assertThat(conditions.toString()).contains("\"lens\":\"lens\""); // the folder lens's own conditions
        assertThat(conditions).isEqualTo(conditions(cli));
    }

    @Test
    void aStoppedRunResumesInItsFolderToTheSameResult() throws Exception {
        EvalViewModel vm = openOnEvaluate();
        Path data = sst2("reviews.txt", REVIEWS);
        Path folder = dir.resolve("stopped");
        app.fx(() -> {
            vm.datasetProperty().set(data.toString());
            vm.shotsProperty().set("0,2");
            vm.limitProperty().set("6");
            vm.chooseOutputFolder(folder);
            vm.run();
            vm.stop(); // before the first example
        });
        EvalSummary stopped = waitForRun(vm);
        assertThat(stopped.complete()).isFalse();
        Label status = app.lookup("#evalStatus");
        assertThat(app.fx(status::getText)).startsWith("Stopped").contains("Resume");
        assertThat(folder.resolve("summary.json")).isRegularFile();
        Button resume = app.lookup("#evalResume");
        assertThat(app.fx(resume::isDisabled)).isFalse();

        click("#evalResume");
        EvalSummary resumed = waitForRun(vm);
        assertThat(resumed.complete()).isTrue();
        assertThat(resumed.conditions()).hasSize(3).allSatisfy(c -> assertThat(c.examples()).isEqualTo(6));
        assertThat(app.fx(() -> Path.of(vm.outputFolderProperty().get()))).isEqualTo(folder); // chosen, so kept

        // The same settings without a stop give the same numbers.
        Path straight = dir.resolve("straight");
        app.fx(() -> {
            vm.chooseOutputFolder(straight);
            vm.run();
        });
        waitForRun(vm);
        assertThat(conditions(straight)).isEqualTo(conditions(folder));
        app.fx(() -> vm.chooseOutputFolder(folder));

        // Run again with the finished run's folder chosen: a new run in a new folder beside it, said so.
        click("#evalRun");
        waitForRun(vm);
        Path beside = dir.resolve("stopped-2");
        assertThat(app.fx(() -> Path.of(vm.outputFolderProperty().get()))).isEqualTo(beside);
        assertThat(beside.resolve("summary.json")).isRegularFile();
        assertThat(conditions(beside)).isEqualTo(conditions(folder));
    }

    @Test
    void afterStopChangedSettingsRunAsANewRunInANewFolder() throws Exception {
        EvalViewModel vm = openOnEvaluate();
        Path data = sst2("reviews.txt", REVIEWS);
        TextField out = app.lookup("#evalOutputFolder");
        Path stoppedFolder = Path.of(app.fx(() -> out.getText())); // the automatic folder
        app.fx(() -> {
            vm.datasetProperty().set(data.toString());
            vm.shotsProperty().set("0,2");
            vm.limitProperty().set("4");
            vm.run();
            vm.stop(); // before the first example
        });
        assertThat(waitForRun(vm).complete()).isFalse();
        String manifestBefore = Files.readString(stoppedFolder.resolve("manifest.json"));

        // New settings, then Run: not refused (nor is Resume the only way out), a new folder, said where.
        TextField shots = app.lookup("#evalShots");
        app.fx(() -> shots.setText("0"));
        click("#evalRun");
        EvalSummary summary = waitForRun(vm);
        assertThat(summary.complete()).isTrue();
        assertThat(summary.conditions()).hasSize(1);
        Path newFolder = Path.of(app.fx(() -> vm.lastRunProperty().get().toString()));
        assertThat(newFolder).isNotEqualTo(stoppedFolder);
        assertThat(newFolder.getParent()).isEqualTo(stoppedFolder.getParent());
        assertThat(newFolder.resolve("summary.json")).isRegularFile();
        Banner note = app.fx(() -> app.vm().bannerProperty().get());
        assertThat(note).isNotNull();
        assertThat(note.kind()).isNotEqualTo(Banner.Kind.ERROR);
        assertThat(note.message()).contains(newFolder.toString(), stoppedFolder.toString(), "Resume")
                .doesNotContain("--");
        Label status = app.lookup("#evalStatus");
        assertThat(app.fx(status::getText)).startsWith("Finished").contains(newFolder.toString());
        // the stopped run is untouched, and still resumable from its folder with its own settings
        assertThat(Files.readString(stoppedFolder.resolve("manifest.json"))).isEqualTo(manifestBefore);
        app.fx(() -> vm.chooseOutputFolder(stoppedFolder));
        click("#evalResume");
        waitForRun(vm);
        Banner refused = app.fx(() -> app.vm().bannerProperty().get());
        assertThat(refused.kind()).isEqualTo(Banner.Kind.ERROR);
        assertThat(refused.message()).contains("other settings", "press Run").doesNotContain("--", "command");
        app.fx(() -> shots.setText("0,2"));
        click("#evalResume");
        EvalSummary resumed = waitForRun(vm);
        assertThat(resumed.complete()).isTrue();
        assertThat(resumed.conditions()).hasSize(3);
    }

    @Test
    void newFolderIsInTheRunBarVisibleWithoutScrolling() throws Exception {
        openOnEvaluate();
        Button fresh = app.lookup("#evalNewOutput");
        Button run = app.lookup("#evalRun");
        boolean insideScroll = app.fx(() -> {
            for (javafx.scene.Node n = fresh.getParent(); n != null; n = n.getParent()) {
                if (n instanceof javafx.scene.control.ScrollPane) {
                    return true;
                }
            }
            return false;
        });
        assertThat(insideScroll).isFalse();
        assertThat(app.fx(() -> fresh.getParent() == run.getParent())).isTrue();
        javafx.geometry.Bounds bounds = app.fx(() -> fresh.localToScene(fresh.getBoundsInLocal()));
        double sceneHeight = app.fx(() -> fresh.getScene().getHeight());
        double sceneWidth = app.fx(() -> fresh.getScene().getWidth());
        assertThat(bounds.getMaxY()).isLessThanOrEqualTo(sceneHeight);
        assertThat(bounds.getMaxX()).isLessThanOrEqualTo(sceneWidth);
        assertThat(app.fx(fresh::isVisible)).isTrue();
    }

    @Test
    void closingTheWindowDuringARunWaitsForItsFiles() throws Exception {
        EvalViewModel vm = openOnEvaluate();
        Path data = sst2("reviews.txt", REVIEWS);
        Path folder = dir.resolve("closing");
        var stage = org.testfx.api.FxToolkit.toolkitContext().getRegisteredStage();
        boolean showingAfterRequest = app.fx(() -> {
            vm.datasetProperty().set(data.toString());
            vm.shotsProperty().set("0,2");
            vm.chooseOutputFolder(folder);
            vm.run();
            stage.fireEvent(new javafx.stage.WindowEvent(stage, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST));
            return stage.isShowing();
        });
        assertThat(showingAfterRequest).isTrue();
        // A run of four tiny reviews may already have stopped by the time the status is read.
        assertThat(app.fx(() -> vm.statusProperty().get())).matches("^(Stopping|Stopped).*");
        app.waitFor(() -> !stage.isShowing());
        assertThat(folder.resolve("summary.json")).isRegularFile();
        assertThat(folder.resolve("examples.csv")).isRegularFile();
        assertThat(app.fx(() -> vm.runningProperty().get())).isFalse();
    }

    @Test
    void demonstrationsComeFromATrainingSplitWhenOneIsChosen() throws Exception {
        EvalViewModel vm = openOnEvaluate();
        Path data = sst2("reviews.txt", REVIEWS);
        // One positive review only: 4 shots need 2 of each label, which the built-in pool has and this file has not.
        Path thin = sst2("thin.train", List.of("1 a lovely film .", "0 a dull film .", "0 a bad film ."));
        TextField train = app.lookup("#evalTrain");
        app.fx(() -> {
            vm.datasetProperty().set(data.toString());
            vm.shotsProperty().set("4");
            vm.limitProperty().set("2");
            train.setText(thin.toString());
            vm.chooseOutputFolder(dir.resolve("thin-run"));
        });
        click("#evalRun");
        waitForRun(vm);
        Banner banner = app.fx(() -> app.vm().bannerProperty().get());
        assertThat(banner.kind()).isEqualTo(Banner.Kind.ERROR);
        assertThat(banner.message()).contains("1 positive", "“Demonstrations from”").doesNotContain("--");

        Path missing = dir.resolve("no-such.train");
        app.fx(() -> train.setText(missing.toString()));
        click("#evalRun");
        waitForRun(vm);
        assertThat(app.fx(() -> app.vm().bannerProperty().get().message())).contains(missing.toString());

        Path enough = sst2("enough.train", List.of("1 a lovely film .", "1 a joy .", "0 a dull film .", "0 a bad film ."));
        Path folder = dir.resolve("train-run");
        javafx.scene.control.ChoiceBox<String> order = app.lookup("#evalOrder");
        assertThat(app.fx(() -> List.copyOf(order.getItems()))).containsExactly("alternating", "shuffled");
        app.fx(() -> {
            train.setText(enough.toString());
            order.setValue("shuffled");
            vm.chooseOutputFolder(folder);
        });
        click("#evalRun");
        EvalSummary summary = waitForRun(vm);
        assertThat(summary.complete()).isTrue();
        String manifest = Files.readString(folder.resolve("manifest.json"));
        assertThat(manifest).contains(enough.getFileName().toString());
        assertThat(JsonParser.parseString(manifest).getAsJsonObject().toString()).contains("\"demo_order\":\"shuffled\"");
        assertThat(app.fx(() -> app.vm().session().evaluate().train())).isEqualTo(enough.toString());
        assertThat(app.fx(() -> app.vm().session().evaluate().order())).isEqualTo("shuffled");
    }

    @Test
    void theTabsOwnChecksNameTheFieldToFix() throws Exception {
        EvalViewModel vm = openOnEvaluate();
        TextField dataset = app.lookup("#evalDataset");
        TextField limit = app.lookup("#evalLimit");
        app.fx(() -> dataset.setText(""));
        click("#evalRun");
        assertThat(app.fx(() -> app.vm().bannerProperty().get().message())).contains("Choose a dataset");
        assertThat(app.fx(() -> vm.problemInputProperty().get())).isEqualTo(dev.logitscope.eval.EvalInput.DATASET);
        assertThat(app.fx(() -> dataset.getStyleClass().contains("field-error") && dataset.isFocused())).isTrue();

        Path data = sst2("reviews.txt", REVIEWS);
        app.fx(() -> {
            dataset.setText(data.toString());
            limit.setText("ten");
        });
        click("#evalRun");
        assertThat(app.fx(() -> app.vm().bannerProperty().get().message()))
                .contains("Limit must be a whole number", "'ten'").doesNotContain("--");
        assertThat(app.fx(() -> limit.getStyleClass().contains("field-error"))).isTrue();
        assertThat(app.fx(() -> dataset.getStyleClass().contains("field-error"))).isFalse();
    }

    @Test
    void aFileWithOtherColumnNamesAndLabelValuesIsReadOnceTheyAreNamed() throws Exception {
        EvalViewModel vm = openOnEvaluate();
        Path csv = sst2("reviews.csv", List.of("body,stars", "\"a gorgeous, witty film\",good", "\"dull and far too long\",bad",
                "\"I smiled the whole time\",good"));
        app.fx(() -> {
            vm.datasetProperty().set(csv.toString());
            vm.shotsProperty().set("0");
            vm.chooseOutputFolder(dir.resolve("columns-run"));
        });
        click("#evalRun");
        waitForRun(vm);
        assertThat(app.fx(() -> app.vm().bannerProperty().get().message()))
                .contains("[body, stars]", "fill in Text column").doesNotContain("--");
        TextField text = app.lookup("#evalTextColumn");
        // The field the message is about is marked and has the focus.
        assertThat(app.fx(() -> text.getStyleClass().contains("field-error") && text.isFocused())).isTrue();

        TextField label = app.lookup("#evalLabelColumn");
        app.fx(() -> {
            text.setText("body");
            label.setText("stars");
        });
        click("#evalRun");
        waitForRun(vm);
        assertThat(app.fx(() -> app.vm().bannerProperty().get().message()))
                .contains("unknown label 'good'", "fill in Label values").doesNotContain("--");
        TextField values = app.lookup("#evalLabelMap");
        assertThat(app.fx(() -> values.getStyleClass().contains("field-error"))).isTrue();
        assertThat(app.fx(() -> text.getStyleClass().contains("field-error"))).isFalse();

        app.fx(() -> values.setText("good=positive,bad=negative"));
        click("#evalRun");
        EvalSummary summary = waitForRun(vm);
        assertThat(summary.complete()).isTrue();
        assertThat(app.fx(() -> values.getStyleClass().contains("field-error"))).as("cleared by a run that starts").isFalse();
        assertThat(summary.conditions()).allSatisfy(c -> assertThat(c.examples()).isEqualTo(3));
        assertThat(app.fx(() -> app.vm().session().evaluate().labelMap())).isEqualTo("good=positive,bad=negative");
    }

    private static JsonElement conditions(Path run) throws Exception {
        return JsonParser.parseString(Files.readString(run.resolve("summary.json"))).getAsJsonObject().get("conditions");
    }

    @Test
    void inputErrorsShowTheBannerAndTheTabStaysUsable() throws Exception {
        EvalViewModel vm = openOnEvaluate();
        Path bad = sst2("bad.txt", List.of("1 a fine film .", "nolabel", "0 a dull film ."));
        app.fx(() -> {
            vm.datasetProperty().set(bad.toString());
            vm.shotsProperty().set("0");
            vm.chooseOutputFolder(dir.resolve("bad-run"));
        });
        click("#evalRun");
        waitForRun(vm);
        Banner banner = app.fx(() -> app.vm().bannerProperty().get());
        assertThat(banner.kind()).isEqualTo(Banner.Kind.ERROR);
        assertThat(banner.message()).contains("bad.txt:2", "Skip bad lines").doesNotContain("--", "Exception");
        Label bannerText = app.lookup("#bannerText");
        assertThat(app.fx(bannerText::getText)).isEqualTo(banner.message());

        Path blocker = Files.writeString(dir.resolve("a-file"), "x");
        app.fx(() -> vm.chooseOutputFolder(blocker.resolve("out")));
        click("#evalRun");
        waitForRun(vm);
        assertThat(app.fx(() -> app.vm().bannerProperty().get().message()))
                .contains("Cannot write to the output folder", "writable output folder");

        app.fx(() -> vm.datasetProperty().set(""));
        click("#evalRun");
        assertThat(app.fx(() -> app.vm().bannerProperty().get().message())).startsWith("Choose a dataset");

        // Skipping the bad line, the same file evaluates.
        CheckBox skipBad = app.lookup("#evalSkipBad");
        app.fx(() -> {
            vm.datasetProperty().set(bad.toString());
            skipBad.setSelected(true);
            vm.chooseOutputFolder(dir.resolve("skipped-run"));
        });
        click("#evalRun");
        EvalSummary summary = waitForRun(vm);
        assertThat(summary.complete()).isTrue();
        assertThat(summary.conditions()).hasSize(1).allSatisfy(c -> assertThat(c.examples()).isEqualTo(2));
        ProgressBar progress = app.lookup("#evalProgress");
        assertThat(app.fx(progress::isVisible)).isFalse();
    }
}
