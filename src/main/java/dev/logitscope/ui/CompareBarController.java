package dev.logitscope.ui;

import dev.logitscope.lens.LensChoice;
import dev.logitscope.ui.model.ComparedModel;
import java.io.File;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.stage.DirectoryChooser;
import javafx.util.StringConverter;

/** The second model's bar: shown while comparing, loads like the model bar, and Stop comparing closes it. */
public final class CompareBarController {
    private final ComparedModel compared;

    @FXML private HBox compareBarRoot;
    @FXML private Label compareLabel;
    @FXML private ComboBox<String> compareChoice;
    @FXML private Button compareLoadButton;
    @FXML private Button compareOpenFolderButton;
    @FXML private ProgressBar compareProgress;
    @FXML private Label compareProgressText;
    @FXML private Button compareCancelButton;
    @FXML private FittedLabel compareSummary;
    @FXML private ChoiceBox<LensChoice> compareLens;

    public CompareBarController(MainViewModel main) {
        this.compared = main.compared();
    }

    @FXML
    private void initialize() {
        compareLabel.setLabelFor(compareChoice);
        ModelBarController.bind(compared.bar(), compareChoice, compareLoadButton, compareProgress, compareProgressText,
                compareCancelButton, compareSummary);
        compared.bar().setFolderChooser(this::openFolder);
        compareLens.setItems(compared.lenses());
        compareLens.setConverter(new StringConverter<>() {
            @Override
            public String toString(LensChoice lens) {
                return "Lens: " + (lens == null ? "as the first model" : lens.isClassifier() ? "classifier head" : "logit");
            }

            @Override
            public LensChoice fromString(String s) {
                return null;
            }
        });
        compareLens.valueProperty().bindBidirectional(compared.lensProperty());
        // A lens is chosen for a loaded model (its head decides what is offered).
        compareLens.disableProperty().bind(compared.bar().engineProperty().isNull());
        compareBarRoot.visibleProperty().bind(compared.comparingProperty());
        compareBarRoot.managedProperty().bind(compareBarRoot.visibleProperty());
        // Opening the comparison puts the cursor where the second model is named.
        compared.comparingProperty().addListener((obs, was, now) -> {
            if (now) {
                compareChoice.requestFocus();
            }
        });
    }

    @FXML
    private void load() {
        compared.bar().load(compareChoice.getEditor().getText());
    }

    @FXML
    void openFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open the model folder to compare with (config.json, weights and tokenizer files)");
        File folder = chooser.showDialog(compareOpenFolderButton.getScene().getWindow());
        if (folder != null) {
            compared.bar().openFolder(folder.toPath());
        }
    }

    @FXML
    private void cancel() {
        compared.bar().cancel();
    }

    @FXML
    private void stop() {
        compared.stop();
    }
}
