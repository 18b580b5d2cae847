package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.cli.CliRunner;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.train.EpochMetrics;
import dev.logitscope.train.FineTuneFolder;
import dev.logitscope.train.TrainingRecord;
import dev.logitscope.ui.finetune.FineTuneViewModel;
import dev.logitscope.ui.model.Banner;
import dev.logitscope.ui.session.JsonSessionStore;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import dev.logitscope.ui.session.ViewSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fine-tune tab, headless, training a tiny GPT-2 with the real tokenizer: progress and one row
 * per epoch with its dev accuracy, a saved model Open in Analyze loads, Stop keeping the last
 * complete epoch and Resume finishing it, and the same weights as {@code finetune} on the command line.
 */
class FineTuneTabTest {
    private static final String[] REVIEWS = {"a gorgeous , witty , seductive movie .", "the story is too thin to hold a feature .",
        "a warm and generous film about friendship .", "dull , lifeless and far too long .",
        "one of the most moving films of the year .", "a mess of a movie with nothing to say .",
        "smart , funny and beautifully acted .", "the jokes fall flat and the plot drags ."};

    @TempDir
    static Path shared;
    static TinyCheckpoint tiny;

    @TempDir
    Path dir;
    final AppHarness app = new AppHarness();

    @BeforeAll
    static void checkpoint() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip();
        tiny = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(64).seed(5).realTokenizer(tokenizer)
                .write(shared.resolve("tiny"));
    }

    @AfterEach
    void close() throws Exception {
        app.closeIfOpen();
    }

    /** GLUE's SST-2 TSV: a header, then sentence and label (1 positive, 0 negative) alternating. */
    private Path tsv(String name, int rows) throws Exception {
        StringBuilder text = new StringBuilder("sentence\tlabel\n");
        for (int i = 0; i < rows; i++) {
            text.append(REVIEWS[i % REVIEWS.length]).append('\t').append(i % 2 == 0 ? 1 : 0).append('\n');
        }
        return Files.writeString(dir.resolve(name), text);
    }

    private FineTuneViewModel openOnFineTune() throws Exception {
        app.open(new AppContext(SessionStore.inMemory(Session.defaults()), AppHarness.offlineHub(dir.resolve("hub")),
                Optional.of(tiny.folder().toString())).withEvalOutput(dir.resolve("evals")));
        app.waitForModel();
        TabPane modes = app.lookup("#modes");
        Tab tab = app.fx(() -> modes.getTabs().stream().filter(t -> "finetuneTab".equals(t.getId())).findFirst().orElseThrow());
        app.fx(() -> modes.getSelectionModel().select(tab));
        return app.fx(() -> app.vm().finetune());
    }

    private void type(String id, String text) {
        TextField field = app.lookup(id);
        app.fx(() -> field.setText(text));
    }

    private void click(String id) {
        Button b = app.lookup(id);
        app.fx(b::fire);
    }

    private void waitForRun(FineTuneViewModel vm) throws Exception {
        Button run = app.lookup("#ftRun");
        app.waitFor(() -> !vm.runningProperty().get() && !run.isDisabled());
    }

    private void recipe(Path train, Path dev, String epochs) {
        type("#ftTrain", train.toString());
        type("#ftDev", dev.toString());
        type("#ftEpochs", epochs);
        type("#ftBatch", "4");
        type("#ftLearningRate", "1e-2");
        type("#ftSeed", "3");
        type("#ftTrainableBlocks", "1");
    }

    /** {@code finetune} with the same inputs as {@link #recipe}, into {@code out}. */
    private static CliRunner cli(Path train, Path dev, String epochs, Path out) {
        return CliRunner.run("finetune", "--model", tiny.folder().toString(), "--train", train.toString(), "--dev",
                dev.toString(), "--epochs", epochs, "--batch", "4", "--lr", "1e-2", "--seed", "3", "--trainable-blocks", "1",
                "--out", out.toString());
    }

    @Test
    void runsShowsEachEpochsDevAccuracySavesWhatTheCliSavesAndOpensItInAnalyze() throws Exception {
        FineTuneViewModel vm = openOnFineTune();
        Path train = tsv("train.tsv", 24);
        Path dev = tsv("dev.tsv", 8);
        recipe(train, dev, "2");
        TextField model = app.lookup("#ftModel");
        assertThat(app.fx(model::getPromptText)).as("the loaded model by default").isEqualTo("loaded: tiny");
        TextField outField = app.lookup("#ftOutputFolder");
        Path out = Path.of(app.fx(() -> outField.getText()));
        assertThat(out.getParent()).isEqualTo(dir.resolve("fine-tuned"));
        List<String> lines = new CopyOnWriteArrayList<>();
        app.fx(() -> vm.progressTextProperty().addListener((obs, old, line) -> lines.add(line)));

        click("#ftRun");
        waitForRun(vm);

        assertThat(app.fx(() -> app.vm().bannerProperty().get())).isNull();
        assertThat(lines).anyMatch(l -> l.matches("Epoch 2/2 · step \\d+/6 · loss \\d+\\.\\d{4} · [\\d.]+ examples/s · .* left"));
        TableView<EpochMetrics> table = app.lookup("#ftEpochTable");
        List<EpochMetrics> rows = app.fx(() -> List.copyOf(table.getItems()));
        assertThat(rows).extracting(EpochMetrics::epoch).containsExactly(1, 2);
        assertThat(rows).allSatisfy(m -> assertThat(m.devAccuracy()).isBetween(0.0, 1.0));
        // a dev set of 8: the accuracy is a multiple of 1/8
        assertThat(rows).allSatisfy(m -> assertThat(m.devAccuracy() * 8).isCloseTo(Math.rint(m.devAccuracy() * 8),
                org.assertj.core.data.Offset.offset(1e-9)));
        TrainingRecord record = FineTuneFolder.readRecord(out);
        assertThat(record.finished()).isTrue();
        assertThat(record.state().epochs()).extracting(EpochMetrics::devAccuracy)
                .containsExactlyElementsOf(rows.stream().map(EpochMetrics::devAccuracy).toList());
        assertThat(app.fx(() -> vm.statusProperty().get())).contains("Finished").contains(out.toString());

        // the command line, same inputs and seed: the same weights, byte for byte
        Path viaCli = dir.resolve("cli");
        CliRunner run = cli(train, dev, "2", viaCli);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readAllBytes(out.resolve(ModelFolder.WEIGHTS))).isEqualTo(Files.readAllBytes(viaCli.resolve(ModelFolder.WEIGHTS)));
        assertThat(Files.readString(out.resolve(ModelFolder.CONFIG))).isEqualTo(Files.readString(viaCli.resolve(ModelFolder.CONFIG)));

        // the same folder again: it holds a finished run, nothing to resume
        type("#ftOutputFolder", out.toString());
        click("#ftRun");
        assertError("#ftOutputFolder", "holds a finished run (2 epochs; Open in Analyze loads it); choose another output folder.");
        assertThat(app.fx(() -> vm.runningProperty().get())).isFalse();

        Button open = app.lookup("#ftOpenInAnalyze");
        assertThat(app.fx(open::isDisabled)).isFalse();
        click("#ftOpenInAnalyze");
        app.waitFor(() -> out.toString().equals(app.vm().modelBar().loadedName()) && !app.vm().modelBar().busyProperty().get());
        assertThat(app.fx(() -> app.vm().modeProperty().get())).isEqualTo(ViewSettings.ANALYZE);
        TabPane modes = app.lookup("#modes");
        assertThat(app.fx(() -> modes.getSelectionModel().getSelectedItem().getId())).isEqualTo("analyzeTab");
    }

    @Test
    void stopKeepsTheLastCompleteEpochAndResumeEndsWithTheWeightsOfAnUninterruptedRun() throws Exception {
        FineTuneViewModel vm = openOnFineTune();
        Path train = tsv("train.tsv", 48);
        Path dev = tsv("dev.tsv", 8);
        recipe(train, dev, "3");
        TextField outField = app.lookup("#ftOutputFolder");
        Path out = Path.of(app.fx(() -> outField.getText()));
        // Stop as soon as the first epoch is in: the epoch in progress is dropped, the checkpoint stays
        AtomicBoolean armed = new AtomicBoolean(true);
        app.fx(() -> vm.epochRows().addListener((ListChangeListener<EpochMetrics>) c -> {
            if (!vm.epochRows().isEmpty() && armed.getAndSet(false)) {
                vm.stop();
            }
        }));
        click("#ftRun");
        waitForRun(vm);

        TrainingRecord stopped = FineTuneFolder.readRecord(out);
        assertThat(stopped.finished()).isFalse();
        int kept = stopped.state().completedEpochs();
        assertThat(kept).isBetween(1, 2);
        assertThat(app.fx(() -> vm.statusProperty().get())).contains("Stopped").contains("holds epoch " + kept + " of 3");
        CheckBox resume = app.lookup("#ftResume");
        assertThat(app.fx(resume::isDisabled)).as("the folder holds a resumable run").isFalse();

        // Run without Resume into the same folder is refused, pointing at the folder
        click("#ftRun");
        assertThat(app.fx(() -> app.vm().bannerProperty().get().message())).contains("already holds a fine-tuning run")
                .contains("Resume");
        assertThat(app.fx(() -> outField.getStyleClass().contains("field-error"))).isTrue();

        app.fx(() -> resume.setSelected(true));
        Button run = app.lookup("#ftRun");
        assertThat(app.fx(run::getText)).isEqualTo("Resume");
        TextField epochs = app.lookup("#ftEpochs");
        assertThat(app.fx(epochs::isDisabled)).as("a resume takes the run's own recipe").isTrue();
        click("#ftRun");
        waitForRun(vm);
        assertThat(app.fx(() -> app.vm().bannerProperty().get())).isNull();

        TrainingRecord done = FineTuneFolder.readRecord(out);
        assertThat(done.finished()).isTrue();
        assertThat(done.state().epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
        assertThat(app.fx(() -> List.copyOf(vm.epochRows()))).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);

        Path whole = dir.resolve("whole");
        CliRunner cli = cli(train, dev, "3", whole);
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(Files.readAllBytes(out.resolve(ModelFolder.WEIGHTS)))
                .as("stopped in the app and resumed = uninterrupted on the command line")
                .isEqualTo(Files.readAllBytes(whole.resolve(ModelFolder.WEIGHTS)));
        assertThat(Files.readAllBytes(out.resolve(FineTuneFolder.OPTIMIZER)))
                .isEqualTo(Files.readAllBytes(whole.resolve(FineTuneFolder.OPTIMIZER)));
    }

    @Test
    void mistakesMarkTheirFieldAndSayWhatToDo() throws Exception {
        FineTuneViewModel vm = openOnFineTune();
        Path train = tsv("train.tsv", 8);
        Path dev = tsv("dev.tsv", 4);
        recipe(train, dev, "x");
        click("#ftRun");
        assertError("#ftEpochs", "Epochs must be a whole number, not 'x'.");

        type("#ftEpochs", "1");
        type("#ftBatch", "0");
        click("#ftRun");
        assertError("#ftBatch", "Fix the recipe: batch must be at least 1, got 0.");
        TextField epochs = app.lookup("#ftEpochs");
        assertThat(app.fx(() -> epochs.getStyleClass().contains("field-error"))).as("the earlier mark is gone").isFalse();

        type("#ftBatch", "4");
        type("#ftTrainableBlocks", "9");
        click("#ftRun");
        waitForRun(vm);
        assertError("#ftTrainableBlocks", "Trainable blocks 9 is more than the model's 2 blocks; give at most 2, or all.");

        type("#ftTrainableBlocks", "1");
        type("#ftTrain", dir.resolve("missing.tsv").toString());
        click("#ftRun");
        waitForRun(vm);
        assertError("#ftTrain", "missing.tsv");

        type("#ftTrain", train.toString());
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        type("#ftOutputFolder", file.resolve("out").toString());
        click("#ftRun");
        assertError("#ftOutputFolder", "Cannot write");

        type("#ftOutputFolder", dir.resolve("nothing-here").toString());
        CheckBox resume = app.lookup("#ftResume");
        assertThat(app.fx(resume::isDisabled)).as("no run to resume there").isTrue();
        assertThat(app.fx(() -> vm.epochRows().isEmpty())).isTrue();
    }

    @Test
    void theRecipeTheFilesAndTheTabSurviveARestart() throws Exception {
        JsonSessionStore store = new JsonSessionStore(dir.resolve("config").resolve("session.json"));
        app.open(new AppContext(store, AppHarness.offlineHub(dir.resolve("hub")), Optional.of(tiny.folder().toString()))
                .withEvalOutput(dir.resolve("evals")));
        app.waitForModel();
        TabPane modes = app.lookup("#modes");
        Tab tab = app.fx(() -> modes.getTabs().stream().filter(t -> "finetuneTab".equals(t.getId())).findFirst().orElseThrow());
        app.fx(() -> modes.getSelectionModel().select(tab));
        Path train = tsv("train.tsv", 8);
        recipe(train, tsv("dev.tsv", 4), "5");
        app.fx(() -> app.vm().finetune().objectiveProperty().set(FineTuneViewModel.LM));
        type("#ftBlockSize", "row");
        type("#ftOutputFolder", dir.resolve("mine").toString());
        app.close();

        app.open(store, AppHarness.offlineHub(dir.resolve("hub")), Optional.empty());
        app.waitForModel();
        assertThat(app.fx(() -> modes.getSelectionModel().getSelectedItem().getId())).isEqualTo("finetuneTab");
        FineTuneViewModel vm = app.fx(() -> app.vm().finetune());
        assertThat(app.fx(() -> List.of(vm.trainProperty().get(), vm.epochsProperty().get(), vm.batchProperty().get(),
                vm.learningRateProperty().get(), vm.seedProperty().get(), vm.trainableBlocksProperty().get(),
                vm.objectiveProperty().get(), vm.blockSizeProperty().get(), vm.outputFolderProperty().get())))
                .containsExactly(train.toString(), "5", "4", "1e-2", "3", "1", "lm", "row", dir.resolve("mine").toString());
    }

    private void assertError(String id, String fragment) throws Exception {
        Banner banner = app.fx(() -> app.vm().bannerProperty().get());
        assertThat(banner).isNotNull();
        assertThat(banner.message()).contains(fragment).doesNotContain("--").doesNotContain("Exception");
        TextField field = app.lookup(id);
        assertThat(app.fx(() -> field.getStyleClass().contains("field-error"))).as(id + " marked").isTrue();
    }
}
