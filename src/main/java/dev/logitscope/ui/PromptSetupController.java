package dev.logitscope.ui;

import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.ui.lens.LensItem;
import dev.logitscope.ui.lens.LensViewModel;
import dev.logitscope.ui.prompt.PreviewPiece;
import dev.logitscope.ui.prompt.PromptViewModel;
import dev.logitscope.ui.prompt.ShotMode;
import java.io.File;
import java.util.List;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.DirectoryChooser;
import org.controlsfx.control.SegmentedButton;

/** Binds the prompt setup controls and renders the prompt preview. */
public final class PromptSetupController {
    private static final int MIN_FEW_K = 2;
    private static final int MAX_K = 32;
    private final MainViewModel main;
    private final PromptViewModel vm;
    /** Set while the spinner is switched between modes, so the switch itself never rewrites the remembered k. */
    private boolean showingMode;

    @FXML private Label templateLabel;
    @FXML private ComboBox<String> template;
    @FXML private SegmentedButton shotMode;
    @FXML private ToggleButton zeroShot;
    @FXML private ToggleButton oneShot;
    @FXML private ToggleButton fewShot;
    @FXML private Spinner<Integer> fewK;
    @FXML private Button otherDemos;
    @FXML private SegmentedButton demoLabels;
    @FXML private ToggleButton correctLabels;
    @FXML private ToggleButton flippedLabels;
    @FXML private ToggleButton randomLabels;
    @FXML private TextField positiveWord;
    @FXML private TextField negativeWord;
    @FXML private Label labelIds;
    @FXML private Label labelWarning;
    @FXML private Label goldLabel;
    @FXML private ChoiceBox<String> gold;
    @FXML private CheckBox calibrate;
    @FXML private Label lensesLabel;
    @FXML private VBox lensList;
    @FXML private Button addLensFolder;
    @FXML private TextField tunedName;
    @FXML private Button fetchLens;
    @FXML private Label lensMessage;
    @FXML private Label previewNote;
    @FXML private Label tokenCount;
    @FXML private TextFlow preview;

    public PromptSetupController(MainViewModel main) {
        this.main = main;
        this.vm = main.prompt();
    }

    @FXML
    private void otherDemonstrations() {
        vm.otherDemonstrations();
    }

    /** Asks for a lens folder; the lens list checks it against the model off the FX thread. */
    @FXML
    private void addLensFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("A lens folder (config.json + params.pt, or one fit-lens wrote)");
        File folder = chooser.showDialog(lensList.getScene().getWindow());
        if (folder != null) {
            main.lenses().addLensFolder(folder.toPath());
        }
    }

    @FXML
    private void addPublishedLens() {
        main.lenses().addPublished(tunedName.getText());
    }

    @FXML
    private void initialize() {
        templateLabel.setLabelFor(template);
        goldLabel.setLabelFor(gold);
        template.setItems(vm.templates());
        template.valueProperty().bindBidirectional(vm.templateProperty());

        EnumToggles.bind(shotMode.getToggleGroup(),
                Map.of(zeroShot, ShotMode.ZERO, oneShot, ShotMode.ONE, fewShot, ShotMode.FEW), vm.shotModeProperty());
        bindK();
        otherDemos.disableProperty().bind(vm.shotModeProperty().isEqualTo(ShotMode.ZERO));
        Tooltip demosTip = new Tooltip();
        demosTip.textProperty().bind(Bindings.format("Draw other demonstrations from the pool (now set %d)",
                vm.demoSeedProperty()));
        otherDemos.setTooltip(demosTip);

        EnumToggles.bind(demoLabels.getToggleGroup(), Map.of(correctLabels, DemoLabels.CORRECT, flippedLabels,
                DemoLabels.FLIPPED, randomLabels, DemoLabels.RANDOM), vm.demoLabelsProperty());
        demoLabels.disableProperty().bind(vm.shotModeProperty().isEqualTo(ShotMode.ZERO));

        positiveWord.textProperty().bindBidirectional(vm.positiveWordProperty());
        negativeWord.textProperty().bindBidirectional(vm.negativeWordProperty());
        // the two fields edit a positive/negative pair; a larger label set is used as the template declares it
        positiveWord.disableProperty().bind(vm.twoLabelsProperty().not());
        negativeWord.disableProperty().bind(vm.twoLabelsProperty().not());
        labelIds.textProperty().bind(main.labelIdsProperty());
        labelWarning.textProperty().bind(main.labelWarningProperty());
        labelWarning.visibleProperty().bind(main.labelWarningProperty().isNotEmpty());
        labelWarning.managedProperty().bind(labelWarning.visibleProperty());

        gold.setItems(vm.goldChoices());
        gold.valueProperty().bindBidirectional(vm.goldProperty());
        calibrate.selectedProperty().bindBidirectional(vm.calibrateProperty());

        bindLenses();
        previewNote.textProperty().bind(main.previewNoteProperty());
        previewNote.visibleProperty().bind(main.previewNoteProperty().isNotEmpty());
        previewNote.managedProperty().bind(previewNote.visibleProperty());
        tokenCount.textProperty().bind(main.tokenCountProperty());
        main.previewProperty().addListener((obs, old, pieces) -> render(pieces));
        render(main.previewProperty().get());
    }

    /**
     * The spinner shows the k in effect: 0 for Zero, 1 for One (both fixed), and the remembered
     * few-shot k (2 or more, editable) for Few.
     */
    private void bindK() {
        SpinnerValueFactory.IntegerSpinnerValueFactory factory = new SpinnerValueFactory.IntegerSpinnerValueFactory(
                0, MAX_K, 0);
        fewK.setValueFactory(factory);
        IntegerSpinners.keepValueOnBadInput(fewK);
        showK(factory, vm.shotModeProperty().get());
        vm.shotModeProperty().addListener((obs, old, mode) -> showK(factory, mode));
        factory.valueProperty().addListener((obs, old, k) -> {
            // The factory clamps a typed 1 to 2 in a second change; only that one is a few-shot k.
            if (!showingMode && k != null && k >= MIN_FEW_K && vm.shotModeProperty().get() == ShotMode.FEW) {
                vm.fewKProperty().set(k);
            }
        });
        vm.fewKProperty().addListener((obs, old, k) -> {
            if (vm.shotModeProperty().get() == ShotMode.FEW) {
                showK(factory, ShotMode.FEW);
            }
        });
        fewK.disableProperty().bind(vm.shotModeProperty().isNotEqualTo(ShotMode.FEW));
    }

    private void showK(SpinnerValueFactory.IntegerSpinnerValueFactory factory, ShotMode mode) {
        int k = mode.shots(vm.fewKProperty().get()).k();
        showingMode = true;
        try {
            // Widen first, then set, then narrow: the factory clamps its value to [min, max].
            factory.setMin(0);
            factory.setMax(MAX_K);
            factory.setValue(k);
            factory.setMin(mode == ShotMode.FEW ? MIN_FEW_K : k);
            factory.setMax(mode == ShotMode.FEW ? MAX_K : k);
        } finally {
            showingMode = false;
        }
        fewK.getEditor().setText(Integer.toString(k));
    }

    /** A tick box per lens, following the list; a lens the model cannot use now is greyed out. */
    private void bindLenses() {
        LensViewModel lenses = main.lenses();
        lenses.items().addListener((ListChangeListener<LensItem>) c -> showLenses(lenses));
        showLenses(lenses);
        lensMessage.textProperty().bind(lenses.messageProperty());
        lensMessage.visibleProperty().bind(lenses.messageProperty().isNotEmpty());
        lensMessage.managedProperty().bind(lensMessage.visibleProperty());
        addLensFolder.disableProperty().bind(lenses.busyProperty());
        fetchLens.disableProperty().bind(lenses.busyProperty().or(tunedName.textProperty().isEmpty()));
    }

    private void showLenses(LensViewModel lenses) {
        lensList.getChildren().forEach(n -> ((CheckBox) n).selectedProperty().unbind());
        lensList.getChildren().setAll(lenses.items().stream().map(this::lensBox).toList());
    }

    private CheckBox lensBox(LensItem item) {
        CheckBox box = new CheckBox(item.label());
        box.setId("lens-" + item.spec().replaceAll("[^A-Za-z0-9_-]", "_"));
        box.setMnemonicParsing(false);
        box.setWrapText(true);
        box.setSelected(item.chosenProperty().get());
        box.selectedProperty().bindBidirectional(item.chosenProperty());
        box.disableProperty().bind(item.usableProperty().not());
        String tip = switch (item.spec()) {
            case LensViewModel.LOGIT -> "The model's own final norm and unembedding at every layer";
            case LensViewModel.CLASSIFIER -> "The model's classification head (score) at every layer; the review is"
                    + " read alone. Only for a model with such a head.";
            default -> item.choice() == null ? item.spec() : item.choice().toString();
        };
        box.setTooltip(new Tooltip(tip));
        return box;
    }

    private void render(List<PreviewPiece> pieces) {
        preview.getChildren().setAll(pieces.stream().map(p -> {
            Text t = new Text(p.text());
            t.getStyleClass().addAll("preview-text", p.kind().styleClass());
            return t;
        }).toList());
    }
}
