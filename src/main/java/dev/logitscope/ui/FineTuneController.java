package dev.logitscope.ui;

import dev.logitscope.train.EpochMetrics;
import dev.logitscope.train.FineTuneInput;
import dev.logitscope.ui.finetune.FineTuneViewModel;
import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Binds the Fine-tune tab to its view model; opens the file and folder choosers. */
public final class FineTuneController {
    private static final String FIELD_ERROR = "field-error";

    private final FineTuneViewModel vm;

    @FXML private TextField ftModel;
    @FXML private TextField ftTrain;
    @FXML private Label ftTrainLabel;
    @FXML private TextField ftDev;
    @FXML private Label ftDevLabel;
    @FXML private ChoiceBox<String> ftObjective;
    @FXML private Label ftObjectiveHint;
    @FXML private VBox ftLmBox;
    @FXML private Label ftTemplateLabel;
    @FXML private TextField ftTemplate;
    @FXML private TextField ftBlockSize;
    @FXML private ChoiceBox<String> ftLossOn;
    @FXML private TextField ftTrainableBlocks;
    @FXML private TextField ftEpochs;
    @FXML private TextField ftBatch;
    @FXML private TextField ftLearningRate;
    @FXML private TextField ftSeed;
    @FXML private TextField ftOutputFolder;
    @FXML private CheckBox ftResume;
    @FXML private Button ftRun;
    @FXML private Button ftStop;
    @FXML private ProgressBar ftProgress;
    @FXML private Label ftProgressText;
    @FXML private Button ftOpenInAnalyze;
    @FXML private Label ftStatus;
    @FXML private TableView<EpochMetrics> ftEpochTable;
    @FXML private TableColumn<EpochMetrics, String> epochColumn;
    @FXML private TableColumn<EpochMetrics, String> trainLossColumn;
    @FXML private TableColumn<EpochMetrics, String> devAccuracyColumn;
    @FXML private TableColumn<EpochMetrics, String> devLossColumn;
    @FXML private TableColumn<EpochMetrics, String> secondsColumn;
    @FXML private TableColumn<EpochMetrics, String> rateColumn;
    @FXML private TableColumn<EpochMetrics, String> memoryColumn;

    public FineTuneController(MainViewModel main) {
        this.vm = main.finetune();
    }

    @FXML
    private void initialize() {
        ftTrainLabel.setLabelFor(ftTrain);
        ftDevLabel.setLabelFor(ftDev);
        ftTemplateLabel.setLabelFor(ftTemplate);
        ftModel.textProperty().bindBidirectional(vm.modelProperty());
        ftModel.promptTextProperty().bind(Bindings.createStringBinding(() -> {
            String name = vm.loadedModelProperty().get();
            // the folder's own name: a whole path would not fit the field (the tooltip says what empty means)
            return name == null || name.isBlank() ? "a model folder (none loaded)" : "loaded: " + shortName(name);
        }, vm.loadedModelProperty()));
        ftTrain.textProperty().bindBidirectional(vm.trainProperty());
        ftDev.textProperty().bindBidirectional(vm.devProperty());
        ftObjective.getItems().setAll(FineTuneViewModel.objectives());
        ftObjective.valueProperty().bindBidirectional(vm.objectiveProperty());
        BooleanBinding lm = vm.objectiveProperty().isEqualTo(FineTuneViewModel.LM);
        ftObjectiveHint.textProperty().bind(Bindings.when(lm)
                .then("next-token loss on the reviews in a template (GPT-2)")
                .otherwise("a score head on the last token"));
        ftLmBox.visibleProperty().bind(lm);
        ftLmBox.managedProperty().bind(lm);
        ftTemplate.textProperty().bindBidirectional(vm.templateProperty());
        ftBlockSize.textProperty().bindBidirectional(vm.blockSizeProperty());
        ftLossOn.getItems().setAll(FineTuneViewModel.lossOnChoices());
        ftLossOn.valueProperty().bindBidirectional(vm.lossOnProperty());
        ftTrainableBlocks.textProperty().bindBidirectional(vm.trainableBlocksProperty());
        ftTrainableBlocks.promptTextProperty().bind(Bindings.when(lm).then("all").otherwise("2 (the seed's)"));
        ftEpochs.textProperty().bindBidirectional(vm.epochsProperty());
        ftBatch.textProperty().bindBidirectional(vm.batchProperty());
        ftLearningRate.textProperty().bindBidirectional(vm.learningRateProperty());
        ftSeed.textProperty().bindBidirectional(vm.seedProperty());
        ftOutputFolder.textProperty().bindBidirectional(vm.outputFolderProperty());
        ftResume.selectedProperty().bindBidirectional(vm.resumeProperty());

        var running = vm.runningProperty();
        ftResume.disableProperty().bind(vm.canResumeProperty().not().or(running));
        // a resume takes its model, data and recipe from the run's record: the fields do not apply
        BooleanBinding fixed = running.or(vm.resumeProperty());
        for (Node field : new Node[] {ftModel, ftTrain, ftDev, ftObjective, ftLmBox, ftTrainableBlocks, ftEpochs, ftBatch,
                ftLearningRate, ftSeed}) {
            field.disableProperty().bind(fixed);
        }
        ftOutputFolder.disableProperty().bind(running);
        ftRun.disableProperty().bind(running);
        ftRun.textProperty().bind(Bindings.when(vm.resumeProperty()).then("Resume").otherwise("Run"));
        ftStop.disableProperty().bind(running.not());
        ftProgress.visibleProperty().bind(running);
        ftProgress.progressProperty().bind(vm.progressProperty());
        ftProgressText.textProperty().bind(Bindings.when(running).then(vm.progressTextProperty()).otherwise(""));
        ftProgressText.visibleProperty().bind(running);
        ftProgressText.managedProperty().bind(running);
        ftOpenInAnalyze.disableProperty().bind(vm.resultProperty().isNull().or(running));
        ftStatus.textProperty().bind(vm.statusProperty());

        ftEpochTable.setItems(vm.epochRows());
        WholeHeaders.keep(ftEpochTable);
        column(epochColumn, m -> Integer.toString(m.epoch()));
        column(trainLossColumn, m -> number(m.trainLoss(), "%.4f"));
        column(devAccuracyColumn, m -> Double.isNaN(m.devAccuracy()) ? "–"
                : String.format(Locale.ROOT, "%.1f %%", 100 * m.devAccuracy()));
        column(devLossColumn, m -> number(m.devLoss(), "%.4f"));
        column(secondsColumn, m -> number(m.seconds(), "%.1f"));
        column(rateColumn, m -> number(m.examplesPerSecond(), "%.1f"));
        column(memoryColumn, m -> m.residentMb() < 0 ? "–"
                : m.residentMb() + (m.batchMb() < 0 ? "" : " (+" + m.batchMb() + ")"));
        vm.problemInputProperty().addListener((obs, old, input) -> markProblem(input));
    }

    private static String shortName(String model) {
        try {
            Path name = Path.of(model).getFileName();
            return name == null ? model : name.toString();
        } catch (InvalidPathException e) {
            return model;
        }
    }

    private static String number(double value, String format) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, format, value);
    }

    private static void column(TableColumn<EpochMetrics, String> column, Function<EpochMetrics, String> value) {
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
    }

    /** The field an input error is about: marked and focused, so the message and the place to fix it meet. */
    private void markProblem(FineTuneInput input) {
        Map<FineTuneInput, Node> fields = problemFields();
        for (Node field : fields.values()) {
            field.getStyleClass().remove(FIELD_ERROR);
        }
        Node field = input == null ? null : fields.get(input);
        if (field != null) {
            field.getStyleClass().add(FIELD_ERROR);
            field.requestFocus();
        }
    }

    private Map<FineTuneInput, Node> problemFields() {
        Map<FineTuneInput, Node> fields = new EnumMap<>(FineTuneInput.class);
        fields.put(FineTuneInput.MODEL, ftModel);
        fields.put(FineTuneInput.TRAIN, ftTrain);
        fields.put(FineTuneInput.DEV, ftDev);
        fields.put(FineTuneInput.OBJECTIVE, ftObjective);
        fields.put(FineTuneInput.TEMPLATE, ftTemplate);
        fields.put(FineTuneInput.BLOCK_SIZE, ftBlockSize);
        fields.put(FineTuneInput.LOSS_ON, ftLossOn);
        fields.put(FineTuneInput.TRAINABLE_BLOCKS, ftTrainableBlocks);
        fields.put(FineTuneInput.EPOCHS, ftEpochs);
        fields.put(FineTuneInput.BATCH, ftBatch);
        fields.put(FineTuneInput.LEARNING_RATE, ftLearningRate);
        fields.put(FineTuneInput.SEED, ftSeed);
        fields.put(FineTuneInput.OUT, ftOutputFolder);
        fields.put(FineTuneInput.RESUME, ftResume);
        return fields;
    }

    @FXML
    private void chooseModel() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose the model folder to fine-tune (config.json, weights, tokenizer files)");
        ChooserStart.near(vm.modelProperty().get()).ifPresent(chooser::setInitialDirectory);
        File folder = chooser.showDialog(window());
        if (folder != null) {
            vm.modelProperty().set(folder.getAbsolutePath());
        }
    }

    @FXML
    private void chooseTrain() {
        choose("Choose the training data (e.g. stsa.binary.train)", vm.trainProperty().get(), vm.trainProperty()::set);
    }

    @FXML
    private void chooseDev() {
        choose("Choose the dev data (e.g. stsa.binary.dev)",
                vm.devProperty().get().isBlank() ? vm.trainProperty().get() : vm.devProperty().get(), vm.devProperty()::set);
    }

    private void choose(String title, String near, java.util.function.Consumer<String> into) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        ChooserStart.near(near).ifPresent(chooser::setInitialDirectory);
        File file = chooser.showOpenDialog(window());
        if (file != null) {
            into.accept(file.getAbsolutePath());
        }
    }

    @FXML
    private void chooseOutput() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose the output folder (an empty one, or a stopped run's to resume it)");
        ChooserStart.near(vm.outputFolderProperty().get()).ifPresent(chooser::setInitialDirectory);
        File folder = chooser.showDialog(window());
        if (folder != null) {
            vm.chooseOutputFolder(folder.toPath());
        }
    }

    @FXML
    private void run() {
        vm.run();
    }

    @FXML
    private void stop() {
        vm.stop();
    }

    @FXML
    private void openInAnalyze() {
        vm.openInAnalyze();
    }


    private Window window() {
        return ftRun.getScene() == null ? null : ftRun.getScene().getWindow();
    }
}
