package dev.logitscope.ui;

import dev.logitscope.eval.EvalInput;
import dev.logitscope.ui.eval.EvalViewModel;
import dev.logitscope.ui.eval.SummaryRow;
import dev.logitscope.ui.plot.PlotCanvas;
import java.io.File;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Binds the Evaluate tab to its view model; opens the file and folder choosers. */
public final class EvaluateController {
    private final MainViewModel main;
    private static final String FIELD_ERROR = "field-error";

    private final EvalViewModel vm;
    private ObjectProperty<Integer> seedsObject; // held: asObject() is only weakly bound

    @FXML private TextField evalDataset;
    @FXML private TextField evalTrain;
    @FXML private TextField evalTextColumn;
    @FXML private TextField evalLabelColumn;
    @FXML private TextField evalLabelMap;
    @FXML private ChoiceBox<String> evalFormat;
    @FXML private Label evalFormatLabel;
    @FXML private TextField evalLimit;
    @FXML private TextField evalSample;
    @FXML private TextField evalSampleSeed;
    @FXML private CheckBox evalSkipBad;
    @FXML private CheckBox evalUseLoadedModel;
    @FXML private TextField evalOtherModels;
    @FXML private Label evalTemplateLabel;
    @FXML private ComboBox<String> evalTemplate;
    @FXML private Label evalShotsLabel;
    @FXML private TextField evalShots;
    @FXML private Spinner<Integer> evalSeeds;
    @FXML private CheckBox evalCorrect;
    @FXML private CheckBox evalFlipped;
    @FXML private CheckBox evalRandom;
    @FXML private ChoiceBox<String> evalMethod;
    @FXML private ChoiceBox<String> evalOrder;
    @FXML private CheckBox evalCalibrate;
    @FXML private Label evalLenses;
    @FXML private TextField evalOutputFolder;
    @FXML private Button evalRun;
    @FXML private Button evalStop;
    @FXML private Button evalResume;
    @FXML private Button evalNewOutput;
    @FXML private ProgressBar evalProgress;
    @FXML private Label evalProgressText;
    @FXML private Button evalOpenFolder;
    @FXML private Label evalStatus;
    @FXML private PlotCanvas evalAccuracyPlot;
    @FXML private PlotCanvas evalScalingPlot;
    @FXML private TableView<SummaryRow> evalSummaryTable;
    @FXML private TableColumn<SummaryRow, Object> modelColumn;
    @FXML private TableColumn<SummaryRow, Object> settingColumn;
    @FXML private TableColumn<SummaryRow, Object> examplesColumn;
    @FXML private TableColumn<SummaryRow, Object> finalColumn;
    @FXML private TableColumn<SummaryRow, Object> intervalColumn;
    @FXML private TableColumn<SummaryRow, Object> bestColumn;
    @FXML private TableColumn<SummaryRow, Object> criticalColumn;
    @FXML private TableColumn<SummaryRow, Object> rateColumn;

    public EvaluateController(MainViewModel main) {
        this.main = main;
        this.vm = main.evaluate();
    }

    @FXML
    private void initialize() {
        evalFormatLabel.setLabelFor(evalFormat);
        evalTemplateLabel.setLabelFor(evalTemplate);
        evalShotsLabel.setLabelFor(evalShots);
        evalDataset.textProperty().bindBidirectional(vm.datasetProperty());
        evalTrain.textProperty().bindBidirectional(vm.trainProperty());
        evalTextColumn.textProperty().bindBidirectional(vm.textColumnProperty());
        evalLabelColumn.textProperty().bindBidirectional(vm.labelColumnProperty());
        evalLabelMap.textProperty().bindBidirectional(vm.labelMapProperty());
        evalFormat.getItems().setAll(EvalViewModel.formats());
        evalFormat.valueProperty().bindBidirectional(vm.formatProperty());
        evalLimit.textProperty().bindBidirectional(vm.limitProperty());
        evalSample.textProperty().bindBidirectional(vm.sampleProperty());
        evalSampleSeed.textProperty().bindBidirectional(vm.sampleSeedProperty());
        evalSkipBad.selectedProperty().bindBidirectional(vm.skipBadProperty());
        evalUseLoadedModel.selectedProperty().bindBidirectional(vm.useLoadedModelProperty());
        evalUseLoadedModel.textProperty().bind(Bindings.createStringBinding(() -> {
            String name = vm.loadedModelProperty().get();
            return name == null || name.isBlank() ? "The loaded model (none loaded yet)" : "The loaded model: " + name;
        }, vm.loadedModelProperty()));
        evalOtherModels.textProperty().bindBidirectional(vm.otherModelsProperty());
        evalTemplate.getItems().setAll(vm.templates());
        evalTemplate.valueProperty().bindBidirectional(vm.templateProperty());
        evalShots.textProperty().bindBidirectional(vm.shotsProperty());
        evalSeeds.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 1000, vm.seedsProperty().get()));
        IntegerSpinners.keepValueOnBadInput(evalSeeds);
        seedsObject = vm.seedsProperty().asObject();
        evalSeeds.getValueFactory().valueProperty().bindBidirectional(seedsObject);
        evalCorrect.selectedProperty().bindBidirectional(vm.correctProperty());
        evalFlipped.selectedProperty().bindBidirectional(vm.flippedProperty());
        evalRandom.selectedProperty().bindBidirectional(vm.randomProperty());
        evalMethod.getItems().setAll(EvalViewModel.methods());
        evalMethod.valueProperty().bindBidirectional(vm.methodProperty());
        evalOrder.getItems().setAll(EvalViewModel.orders());
        evalOrder.valueProperty().bindBidirectional(vm.orderProperty());
        evalCalibrate.selectedProperty().bindBidirectional(vm.calibrateProperty());
        evalLenses.textProperty().bind(vm.lensesText());
        evalOutputFolder.textProperty().bindBidirectional(vm.outputFolderProperty());

        var running = vm.runningProperty();
        evalRun.disableProperty().bind(running);
        evalStop.disableProperty().bind(running.not());
        evalResume.disableProperty().bind(vm.canResumeProperty().not());
        evalNewOutput.disableProperty().bind(running);
        evalProgress.visibleProperty().bind(running);
        evalProgress.progressProperty().bind(vm.progressProperty());
        evalProgressText.textProperty().bind(Bindings.when(running).then(vm.progressTextProperty()).otherwise(""));
        evalOpenFolder.setDisable(!vm.canOpenFolders());
        if (vm.canOpenFolders()) {
            evalOpenFolder.disableProperty().bind(vm.lastRunProperty().isNull());
        }
        evalStatus.textProperty().bind(vm.statusProperty());

        evalAccuracyPlot.plotProperty().bind(vm.accuracyPlotProperty());
        evalScalingPlot.plotProperty().bind(vm.scalingPlotProperty());
        for (PlotCanvas canvas : new PlotCanvas[] {evalAccuracyPlot, evalScalingPlot}) {
            canvas.plotThemeProperty().bind(main.themeProperty().map(Theme::plotTheme));
        }
        evalAccuracyPlot.accessibleTextProperty().bind(Bindings.concat("Accuracy by layer. ", vm.statusProperty()));
        evalScalingPlot.accessibleTextProperty().bind(Bindings.concat("Final accuracy against model size. ",
                vm.statusProperty()));
        evalSummaryTable.setItems(vm.rows());
        WholeHeaders.keep(evalSummaryTable);
        column(modelColumn, SummaryRow::model);
        column(settingColumn, SummaryRow::setting);
        column(examplesColumn, SummaryRow::examples);
        column(finalColumn, SummaryRow::finalAccuracy);
        column(intervalColumn, SummaryRow::interval);
        column(bestColumn, SummaryRow::bestLayer);
        column(criticalColumn, SummaryRow::criticalLayer);
        criticalColumn.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Object item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.toString());
                SummaryRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
                setTooltip(row == null || row.criticalNote().isEmpty() ? null
                        : new javafx.scene.control.Tooltip(row.criticalNote()));
            }
        });
        column(rateColumn, SummaryRow::rate);
        vm.problemInputProperty().addListener((obs, old, input) -> markProblem(input));
    }

    /** The field an input error is about: marked and focused, so the message and the place to fix it meet. */
    private void markProblem(EvalInput input) {
        for (Node field : problemFields().values()) {
            field.getStyleClass().remove(FIELD_ERROR);
        }
        Node field = input == null ? null : problemFields().get(input);
        if (field != null) {
            field.getStyleClass().add(FIELD_ERROR);
            field.requestFocus();
        }
    }

    private Map<EvalInput, Node> problemFields() {
        Map<EvalInput, Node> fields = new EnumMap<>(EvalInput.class);
        fields.put(EvalInput.MODELS, evalOtherModels);
        fields.put(EvalInput.DATASET, evalDataset);
        fields.put(EvalInput.FORMAT, evalFormat);
        fields.put(EvalInput.TEXT_COLUMN, evalTextColumn);
        fields.put(EvalInput.LABEL_COLUMN, evalLabelColumn);
        fields.put(EvalInput.LABEL_MAP, evalLabelMap);
        fields.put(EvalInput.LIMIT, evalLimit);
        fields.put(EvalInput.SAMPLE, evalSample);
        fields.put(EvalInput.SAMPLE_SEED, evalSampleSeed);
        fields.put(EvalInput.SKIP_BAD, evalSkipBad);
        fields.put(EvalInput.TRAIN, evalTrain);
        fields.put(EvalInput.DEMO_POOL, evalTrain);
        fields.put(EvalInput.SHOTS, evalShots);
        fields.put(EvalInput.DEMO_LABELS, evalCorrect);
        fields.put(EvalInput.SEEDS, evalSeeds);
        fields.put(EvalInput.METHOD, evalMethod);
        fields.put(EvalInput.CALIBRATE, evalCalibrate);
        fields.put(EvalInput.OUT, evalOutputFolder);
        return fields;
    }

    private static void column(TableColumn<SummaryRow, Object> column, Function<SummaryRow, Object> value) {
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
    }

    @FXML
    private void chooseDataset() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Choose a dataset: SST-2 (stsa.binary.*), GLUE .tsv, IMDB .csv, or CSV/TSV/JSONL");
        ChooserStart.near(vm.datasetProperty().get()).ifPresent(chooser::setInitialDirectory);
        File file = chooser.showOpenDialog(window());
        if (file != null) {
            vm.datasetProperty().set(file.getAbsolutePath());
        }
    }

    @FXML
    private void chooseTrain() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Choose a training split to draw demonstrations from (e.g. stsa.binary.train)");
        ChooserStart.near(vm.trainProperty().get().isBlank() ? vm.datasetProperty().get() : vm.trainProperty().get())
                .ifPresent(chooser::setInitialDirectory);
        File file = chooser.showOpenDialog(window());
        if (file != null) {
            vm.trainProperty().set(file.getAbsolutePath());
        }
    }

    @FXML
    private void chooseDatasetFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose an aclImdb folder (or one of its split folders)");
        ChooserStart.near(vm.datasetProperty().get()).ifPresent(chooser::setInitialDirectory);
        File folder = chooser.showDialog(window());
        if (folder != null) {
            vm.datasetProperty().set(folder.getAbsolutePath());
        }
    }

    @FXML
    private void chooseOutput() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose the output folder (summary.json, examples.csv, plots)");
        ChooserStart.near(vm.outputFolderProperty().get()).ifPresent(chooser::setInitialDirectory);
        File folder = chooser.showDialog(window());
        if (folder != null) {
            vm.chooseOutputFolder(folder.toPath());
        }
    }

    @FXML
    private void newOutput() {
        vm.freshOutputFolder();
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
    private void resume() {
        vm.resume();
    }

    @FXML
    private void openFolder() {
        vm.openFolder();
    }


    private Window window() {
        return evalRun.getScene() == null ? null : evalRun.getScene().getWindow();
    }
}
