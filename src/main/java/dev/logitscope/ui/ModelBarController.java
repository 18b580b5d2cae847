package dev.logitscope.ui;

import dev.logitscope.ui.model.ModelBarViewModel;
import java.io.File;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.stage.DirectoryChooser;

/** Binds the model bar to its view model; opens the folder chooser; opens the comparison with a second model. */
public final class ModelBarController {
    private final ModelBarViewModel vm;
    private final MainViewModel main;

    @FXML private Label modelLabel;
    @FXML private ComboBox<String> modelChoice;
    @FXML private Button loadButton;
    @FXML private Button openFolderButton;
    @FXML private ProgressBar progress;
    @FXML private Label progressText;
    @FXML private Button cancelButton;
    @FXML private FittedLabel summary;
    @FXML private Button compareButton;

    public ModelBarController(MainViewModel main) {
        this.vm = main.modelBar();
        this.main = main;
    }

    @FXML
    private void initialize() {
        modelLabel.setLabelFor(modelChoice);
        bind(vm, modelChoice, loadButton, progress, progressText, cancelButton, summary);
        vm.setFolderChooser(this::openFolder);
        // Comparing: the second model's bar takes over (its Stop comparing ends it).
        compareButton.visibleProperty().bind(main.compared().comparingProperty().not());
        compareButton.managedProperty().bind(compareButton.visibleProperty());
    }

    /** What a model bar shows of its loader: the choices, progress and Cancel while loading, then the summary. */
    static void bind(ModelBarViewModel vm, ComboBox<String> modelChoice, Button loadButton, ProgressBar progress,
            Label progressText, Button cancelButton, FittedLabel summary) {
        modelChoice.setItems(vm.choices());
        modelChoice.valueProperty().bindBidirectional(vm.selectedProperty());
        // Choosing from the list loads at once; typed text loads on Enter or the Load button. The
        // combo also fires on programmatic value changes: the busy check and load()'s own
        // "already loading" check keep those from starting a second load.
        modelChoice.setOnAction(e -> {
            String value = modelChoice.getValue();
            if (value != null && !value.isBlank() && !vm.busyProperty().get() && !value.equals(vm.loadedName())) {
                vm.load(value);
            }
        });
        progress.visibleProperty().bind(vm.busyProperty());
        progress.managedProperty().bind(vm.busyProperty());
        progress.progressProperty().bind(vm.progressProperty());
        progressText.textProperty().bind(Bindings.when(vm.busyProperty()).then(vm.progressTextProperty()).otherwise(""));
        cancelButton.visibleProperty().bind(vm.busyProperty());
        cancelButton.managedProperty().bind(vm.busyProperty());
        loadButton.disableProperty().bind(vm.busyProperty());
        // Cancel takes its place while a load runs, so the progress line keeps the room it needs.
        loadButton.visibleProperty().bind(vm.busyProperty().not());
        loadButton.managedProperty().bind(loadButton.visibleProperty());
        // A pick made while a load runs would be ignored yet still shown: Cancel first.
        modelChoice.disableProperty().bind(vm.busyProperty());
        // ... and, disabled, it leaves room for the progress (it shows only the name meanwhile).
        modelChoice.prefWidthProperty().bind(Bindings.when(vm.busyProperty()).then(modelChoice.getMinWidth())
                .otherwise(modelChoice.getPrefWidth()));
        summary.formsProperty().bind(vm.summaryFormsProperty());
        // While a model loads its progress needs the room; the status bar still names the model in use.
        summary.visibleProperty().bind(vm.busyProperty().not());
        summary.managedProperty().bind(summary.visibleProperty());
    }

    @FXML
    private void compareWith() {
        main.compared().start();
    }

    @FXML
    private void load() {
        vm.load(modelChoice.getEditor().getText());
    }

    @FXML
    void openFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a model folder (config.json, weights and tokenizer files)");
        File folder = chooser.showDialog(openFolderButton.getScene().getWindow());
        if (folder != null) {
            vm.openFolder(folder.toPath());
        }
    }

    @FXML
    private void cancel() {
        vm.cancel();
    }
}
