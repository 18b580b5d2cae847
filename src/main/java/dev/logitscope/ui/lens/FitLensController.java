package dev.logitscope.ui.lens;

import dev.logitscope.eval.LensFitInput;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Binds the dialog's controls to its view model and opens the file choosers. */
public final class FitLensController {
    private static final String FIELD_ERROR = "field-error";

    private final FitLensViewModel vm;
    private Runnable closer = () -> { };

    @FXML private Label fitLensIntro;
    @FXML private TextField fitLensData;
    @FXML private TextField fitLensTokens;
    @FXML private TextField fitLensRidge;
    @FXML private TextField fitLensRefineSteps;
    @FXML private TextField fitLensOut;
    @FXML private Button fitLensChooseData;
    @FXML private Button fitLensChooseDataFolder;
    @FXML private Button fitLensChooseOut;
    @FXML private ProgressBar fitLensProgress;
    @FXML private Label fitLensProgressText;
    @FXML private Label fitLensMessage;
    @FXML private Button fitLensUse;
    @FXML private Button fitLensCancel;
    @FXML private Button fitLensFit;

    public FitLensController(FitLensViewModel vm) {
        this.vm = vm;
    }

    /** What Cancel does when no fit runs: close the dialog. */
    void onClose(Runnable closer) {
        this.closer = closer;
    }

    @FXML
    private void initialize() {
        fitLensIntro.setText("An affine lens for " + vm.modelName() + ", fitted by least squares on text you choose (per"
                + " layer, a ridge regression of the last layer's residual on that layer's), optionally refined by a short"
                + " descent on the tuned-lens KL loss. Not a tuned lens. Saved as params.safetensors + config.json.");
        fitLensData.textProperty().bindBidirectional(vm.dataProperty());
        fitLensTokens.textProperty().bindBidirectional(vm.tokenBudgetProperty());
        fitLensRidge.textProperty().bindBidirectional(vm.ridgeProperty());
        fitLensRefineSteps.textProperty().bindBidirectional(vm.refineStepsProperty());
        fitLensOut.textProperty().bindBidirectional(vm.outProperty());
        for (Node n : new Node[] {fitLensData, fitLensTokens, fitLensRidge, fitLensRefineSteps, fitLensOut, fitLensChooseData,
                fitLensChooseDataFolder, fitLensChooseOut, fitLensFit}) {
            n.disableProperty().bind(vm.runningProperty());
        }
        fitLensProgress.progressProperty().bind(vm.progressProperty());
        fitLensProgressText.textProperty().bind(vm.progressTextProperty());
        fitLensProgressText.visibleProperty().bind(vm.progressTextProperty().isNotEmpty());
        fitLensProgressText.managedProperty().bind(fitLensProgressText.visibleProperty());
        fitLensMessage.textProperty().bind(vm.messageProperty());
        fitLensMessage.visibleProperty().bind(vm.messageProperty().isNotEmpty());
        fitLensMessage.managedProperty().bind(fitLensMessage.visibleProperty());
        vm.messageIsErrorProperty().addListener((obs, was, error) -> {
            fitLensMessage.getStyleClass().remove("verdict-error");
            if (error) {
                fitLensMessage.getStyleClass().add("verdict-error");
            }
        });
        fitLensCancel.textProperty().bind(javafx.beans.binding.Bindings.when(vm.runningProperty()).then("Cancel")
                .otherwise("Close"));
        fitLensCancel.disableProperty().bind(vm.stoppingProperty());
        fitLensUse.visibleProperty().bind(vm.savedProperty().isNotNull().and(
                javafx.beans.binding.Bindings.createBooleanBinding(vm::canUseLens)));
        fitLensUse.managedProperty().bind(fitLensUse.visibleProperty());
        vm.problemInputProperty().addListener((obs, old, input) -> markProblem(input));
    }

    /** The field an input error is about: marked and focused, so the message and the place to fix it meet. */
    private void markProblem(LensFitInput input) {
        Map<LensFitInput, Node> fields = new EnumMap<>(LensFitInput.class);
        fields.put(LensFitInput.DATA, fitLensData);
        fields.put(LensFitInput.OUT, fitLensOut);
        fields.put(LensFitInput.MAX_TOKENS, fitLensTokens);
        fields.put(LensFitInput.RIDGE, fitLensRidge);
        fields.put(LensFitInput.REFINE_STEPS, fitLensRefineSteps);
        fields.values().forEach(f -> f.getStyleClass().remove(FIELD_ERROR));
        Node field = input == null ? null : fields.get(input);
        if (field != null) {
            field.getStyleClass().add(FIELD_ERROR);
            field.requestFocus();
        }
    }

    @FXML
    private void fit() {
        vm.fit();
    }

    @FXML
    private void cancel() {
        if (vm.runningProperty().get()) {
            vm.cancel();
        } else {
            closer.run();
        }
    }

    @FXML
    private void useLens() {
        vm.useSavedLens();
        closer.run();
    }

    @FXML
    private void chooseData() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Text to fit the lens on: a text file or a dataset");
        initialFolder(vm.dataProperty().get(), chooser::setInitialDirectory);
        File file = chooser.showOpenDialog(window());
        if (file != null) {
            vm.dataProperty().set(file.getPath());
        }
    }

    @FXML
    private void chooseDataFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("A dataset folder (e.g. aclImdb/train)");
        initialFolder(vm.dataProperty().get(), chooser::setInitialDirectory);
        File folder = chooser.showDialog(window());
        if (folder != null) {
            vm.dataProperty().set(folder.getPath());
        }
    }

    @FXML
    private void chooseOut() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("A new or empty folder for the lens");
        initialFolder(vm.outProperty().get(), chooser::setInitialDirectory);
        File folder = chooser.showDialog(window());
        if (folder != null) {
            vm.outProperty().set(folder.getPath());
        }
    }

    /** The nearest existing folder of {@code text}, for a chooser to open in. */
    private static void initialFolder(String text, java.util.function.Consumer<File> set) {
        try {
            Path p = text == null || text.isBlank() ? null : Path.of(text.strip()).toAbsolutePath();
            while (p != null && !Files.isDirectory(p)) {
                p = p.getParent();
            }
            if (p != null) {
                set.accept(p.toFile());
            }
        } catch (java.nio.file.InvalidPathException e) {
            // no folder to start in
        }
    }

    private Window window() {
        return fitLensData.getScene() == null ? null : fitLensData.getScene().getWindow();
    }
}
