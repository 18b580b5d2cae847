package dev.logitscope.ui;

import dev.logitscope.ui.export.ExportTarget;
import dev.logitscope.ui.lens.FitLensDialog;
import dev.logitscope.ui.lens.FitLensViewModel;
import dev.logitscope.ui.model.Banner;
import java.io.File;
import java.util.Locale;
import javafx.application.Platform;
import javafx.fxml.FXML;
import dev.logitscope.ui.session.ViewSettings;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.Region;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.HBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Menus, banner and status line; opens the file choosers the export commands need. */
public final class MainController {
    private final MainViewModel vm;

    @FXML private HBox banner;
    @FXML private Label bannerText;
    @FXML private HBox bannerActions;
    @FXML private SplitPane mainSplit;
    @FXML private Tab evaluateTab;
    @FXML private Tab finetuneTab;
    @FXML private MenuItem exportAllItem;
    @FXML private MenuItem exportViewItem;
    @FXML private MenuItem fitLensItem;
    @FXML private CheckMenuItem darkThemeItem;
    @FXML private CheckMenuItem logScaleItem;
    @FXML private CheckMenuItem compareItem;
    @FXML private ProgressIndicator analysing;
    @FXML private Label status;
    @FXML private FittedLabel modelSummary;
    @FXML private ModelBarController modelBarController;
    @FXML private AnalysisController analysisController;
    @FXML private TabPane modes;
    @FXML private Tab analyzeTab;

    public MainController(MainViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        vm.bannerProperty().addListener((obs, old, b) -> showBanner(b));
        showBanner(vm.bannerProperty().get());
        status.textProperty().bind(vm.statusProperty());
        analysing.visibleProperty().bind(vm.analysingProperty());
        // The model bar names the model; while a load hides that, the status bar does.
        modelSummary.formsProperty().bind(vm.modelBar().summaryFormsProperty());
        modelSummary.visibleProperty().bind(vm.modelBar().busyProperty());
        modelSummary.managedProperty().bind(modelSummary.visibleProperty());
        darkThemeItem.setSelected(vm.themeProperty().get() == Theme.DARK);
        darkThemeItem.selectedProperty().addListener((obs, was, dark) -> vm.themeProperty().set(dark ? Theme.DARK : Theme.LIGHT));
        vm.themeProperty().addListener((obs, old, theme) -> darkThemeItem.setSelected(theme == Theme.DARK));
        logScaleItem.selectedProperty().bindBidirectional(vm.logScaleProperty());
        exportAllItem.disableProperty().bind(vm.export().canExportProperty().not());
        exportViewItem.disableProperty().bind(vm.export().canExportProperty().not());
        compareItem.selectedProperty().bindBidirectional(vm.compareProperty());
        // A fit borrows the loaded engine for its length: not while there is none, or an evaluation has it.
        fitLensItem.disableProperty().bind(vm.modelBar().engineProperty().isNull().or(vm.evaluate().runningProperty()));
        Splits.keep(mainSplit, vm.mainSplitProperty());
        modes.getSelectionModel().select(tabFor(vm.modeProperty().get()));
        modes.getSelectionModel().selectedItemProperty().addListener((obs, old, tab) ->
                vm.modeProperty().set(tab == evaluateTab ? ViewSettings.EVALUATE
                        : tab == finetuneTab ? ViewSettings.FINETUNE : ViewSettings.ANALYZE));
        // a view model may switch modes too (Fine-tune's Open in Analyze)
        vm.modeProperty().addListener((obs, old, mode) -> modes.getSelectionModel().select(tabFor(mode)));
    }

    private Tab tabFor(String mode) {
        return ViewSettings.EVALUATE.equals(mode) ? evaluateTab : ViewSettings.FINETUNE.equals(mode) ? finetuneTab : analyzeTab;
    }

    private void showBanner(Banner b) {
        banner.setVisible(b != null);
        banner.setManaged(b != null);
        banner.getStyleClass().removeIf(c -> c.startsWith("banner-") && !c.equals("banner-text"));
        bannerActions.getChildren().clear();
        if (b != null) {
            bannerText.setText(b.message());
            banner.getStyleClass().add("banner-" + b.kind().name().toLowerCase(Locale.ROOT));
            for (Banner.Action action : b.actions()) {
                Button button = new Button(action.text());
                button.getStyleClass().add("banner-action");
                button.setMnemonicParsing(false);
                button.setMinWidth(Region.USE_PREF_SIZE);
                button.setOnAction(e -> action.run().run());
                bannerActions.getChildren().add(button);
            }
            if (!bannerActions.getChildren().isEmpty()) {
                bannerActions.getChildren().get(0).getStyleClass().add("banner-default-action");
            }
        }
    }

    void focusReview() {
        analysisController.focusReview();
    }

    @FXML
    private void openFolder() {
        modelBarController.openFolder();
    }

    @FXML
    private void exportAll() {
        if (!vm.export().canExport()) {
            vm.export().checkReady();
            return;
        }
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Export heatmap, grid, trajectory (PNG + SVG + PDF) and the numbers (CSV + JSON) to a folder");
        File folder = chooser.showDialog(window());
        if (folder != null) {
            vm.export().exportAll(folder.toPath());
        }
    }

    @FXML
    private void exportView() {
        if (!vm.export().canExport()) {
            vm.export().checkReady();
            return;
        }
        ExportTarget target = analysisController.gridShown() ? ExportTarget.GRID : ExportTarget.HEATMAP;
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the " + target.fileStem());
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("PNG image, 2× for print (*.png)", "*.png"),
                new FileChooser.ExtensionFilter("SVG drawing (*.svg)", "*.svg"),
                new FileChooser.ExtensionFilter("PDF, vector, for papers (*.pdf)", "*.pdf"),
                new FileChooser.ExtensionFilter("Numbers, one row per layer (*.csv)", "*.csv"),
                new FileChooser.ExtensionFilter("Full analysis (*.json)", "*.json"));
        chooser.setInitialFileName(target.fileStem() + ".png");
        File file = chooser.showSaveDialog(window());
        if (file != null) {
            vm.export().export(target, file.toPath());
        }
    }

    /** Lens → Fit a lens…: the dialog, on the loaded model. */
    @FXML
    void fitLens() {
        dev.logitscope.lens.LensEngine engine = vm.modelBar().engine();
        if (engine == null) {
            return;
        }
        String name = vm.modelBar().loadedName();
        java.nio.file.Path root = vm.evaluate().outputRoot().resolveSibling("lenses");
        FitLensViewModel fit = new FitLensViewModel(engine, name, FitLensViewModel.proposedFolder(root, name),
                vm.lenses()::addLensFolder); // "Use this lens" ticks it in the prompt setup
        try {
            FitLensDialog.open(window(), fit);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("fxml/fit-lens.fxml does not load; the build is broken", e);
        }
    }

    /** The sample menu, from the keyboard (the hint under an empty review names this shortcut). */
    @FXML
    private void showSamples() {
        modes.getSelectionModel().select(analyzeTab);
        analysisController.showSamples();
    }

    @FXML
    private void analyzeNow() {
        vm.analyzeNow();
    }

    @FXML
    private void dismissBanner() {
        vm.dismissBanner();
    }

    @FXML
    private void quit() {
        Runnable exit = () -> {
            Window w = window();
            if (w != null) {
                w.hide(); // the window's close handler saves the session and closes the model
            }
            Platform.exit();
        };
        if (!vm.deferClose(exit)) {
            exit.run();
        }
    }

    private Window window() {
        return banner.getScene() == null ? null : banner.getScene().getWindow();
    }
}
