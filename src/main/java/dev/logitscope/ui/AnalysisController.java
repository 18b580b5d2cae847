package dev.logitscope.ui;

import dev.logitscope.analysis.GridPositions;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.plot.TokenGridData;
import dev.logitscope.prompt.SampleReview;
import dev.logitscope.ui.plot.GridPager;
import dev.logitscope.ui.plot.PlotCanvas;
import dev.logitscope.ui.session.ViewSettings;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.util.StringConverter;

/** Binds the review editor and the plots to the main view model. */
public final class AnalysisController {
    private static final int SAMPLE_TITLE_CHARS = 70;
    private final MainViewModel vm;
    private GridPager gridPager;

    @FXML private Label reviewLabel;
    @FXML private MenuButton samples;
    @FXML private TextArea review;
    @FXML private Label verdict;
    @FXML private Label lensNote;
    @FXML private Label gridLensLabel;
    @FXML private ChoiceBox<LensChoice> gridLens;
    @FXML private TabPane views;
    @FXML private Tab layersTab;
    @FXML private Tab gridTab;
    @FXML private SplitPane layersSplit;
    @FXML private PlotCanvas heatmap;
    @FXML private PlotCanvas trajectory;
    @FXML private PlotCanvas grid;
    @FXML private ScrollBar gridColumns;
    @FXML private ToggleButton compare;
    @FXML private ChoiceBox<TokenGridData.Mode> gridMode;
    @FXML private ChoiceBox<GridPositions> gridPositions;

    public AnalysisController(MainViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        reviewLabel.setLabelFor(review);
        ReviewKeys.tabMovesFocus(review);
        review.textProperty().bindBidirectional(vm.reviewProperty());
        for (SampleReview sample : vm.samples()) {
            String label = sample.expected().map(s -> "[" + s.key() + "] ").orElse("") + shorten(sample.review());
            MenuItem item = new MenuItem(label);
            item.setMnemonicParsing(false);
            item.setOnAction(e -> vm.useSample(sample));
            samples.getItems().add(item);
        }
        verdict.textProperty().bind(vm.verdictProperty());
        lensNote.textProperty().bind(vm.lensNoteProperty());
        lensNote.visibleProperty().bind(vm.lensNoteProperty().isNotEmpty());
        lensNote.managedProperty().bind(lensNote.visibleProperty());
        bindGridLens();
        // Two lines are kept for it whatever it says, so the tabs below never move under the pointer.
        Tooltip verdictTip = new Tooltip();
        verdictTip.setWrapText(true);
        verdictTip.setMaxWidth(640);
        verdictTip.textProperty().bind(vm.verdictProperty());
        verdict.tooltipProperty().bind(vm.verdictProperty().map(t -> t.isEmpty() ? null : verdictTip));
        // Two models compared: a line per model in the same two lines' room.
        vm.compared().comparingProperty().addListener((obs, was, now) -> markPair(now));
        markPair(vm.compared().comparing());
        vm.verdictIsErrorProperty().addListener((obs, was, error) -> markError(error));
        markError(vm.verdictIsErrorProperty().get());
        heatmap.plotProperty().bind(vm.heatmapProperty());
        trajectory.plotProperty().bind(vm.trajectoryProperty());
        for (PlotCanvas canvas : new PlotCanvas[] {heatmap, trajectory, grid}) {
            canvas.plotThemeProperty().bind(vm.themeProperty().map(Theme::plotTheme));
        }
        compare.selectedProperty().bindBidirectional(vm.compareProperty());
        gridMode.getItems().setAll(TokenGridData.Mode.values());
        gridMode.setConverter(new StringConverter<>() {
            @Override
            public String toString(TokenGridData.Mode mode) {
                return mode == null ? "" : switch (mode) {
                    case PROBABILITY -> "top-1 probability";
                    case ENTROPY -> "entropy";
                    case RANK -> "rank of the positive label";
                    case KL -> "KL to the final layer";
                };
            }

            @Override
            public TokenGridData.Mode fromString(String s) {
                return null;
            }
        });
        gridMode.valueProperty().bindBidirectional(vm.gridModeProperty());
        gridPositions.getItems().setAll(GridPositions.values());
        gridPositions.setConverter(new StringConverter<>() {
            @Override
            public String toString(GridPositions positions) {
                // The same choice as inspect's --grid-positions query|all.
                return positions == null ? "" : switch (positions) {
                    case QUERY -> "the review onward";
                    case ALL -> "the whole prompt";
                };
            }

            @Override
            public GridPositions fromString(String s) {
                return null;
            }
        });
        gridPositions.valueProperty().bindBidirectional(vm.gridPositionsProperty());
        gridPositions.setTooltip(new Tooltip("The review onward leaves out the demonstrations before it;"
                + " the whole prompt reads every token (slower with many demonstrations)."));
        if (ViewSettings.GRID.equals(vm.viewProperty().get())) {
            views.getSelectionModel().select(gridTab);
        }
        views.getSelectionModel().selectedItemProperty().addListener((obs, old, tab) ->
                vm.viewProperty().set(tab == gridTab ? ViewSettings.GRID : ViewSettings.LAYERS));
        vm.gridWantedProperty().bind(gridTab.selectedProperty());
        Splits.keep(layersSplit, vm.layersSplitProperty());
        gridPager = new GridPager(vm.gridProperty(), grid, gridColumns);
        describe(heatmap, "Heatmap of each layer's label probabilities.");
        describe(trajectory, "Trajectory of P(positive) by layer.");
        describe(grid, "Token by layer grid of each layer's most likely next token.");
    }

    /** The grid reads one lens: the primary by default, any chosen one on request; shown with several. */
    private void bindGridLens() {
        gridLens.setConverter(new StringConverter<>() {
            @Override
            public String toString(LensChoice lens) {
                return lens == null ? "" : lens.key();
            }

            @Override
            public LensChoice fromString(String s) {
                return null;
            }
        });
        Runnable follow = () -> {
            gridLens.getItems().setAll(vm.lenses().chosen());
            gridLens.setValue(vm.gridLensProperty().get());
        };
        vm.lenses().chosenProperty().addListener(o -> follow.run());
        follow.run();
        gridLens.valueProperty().addListener((obs, old, lens) -> {
            if (lens != null) {
                vm.gridLensProperty().set(lens);
            }
        });
        vm.gridLensProperty().addListener((obs, old, lens) -> gridLens.setValue(lens));
        var several = Bindings.size(gridLens.getItems()).greaterThan(1);
        for (javafx.scene.Node n : new javafx.scene.Node[] {gridLens, gridLensLabel}) {
            n.visibleProperty().bind(several);
            n.managedProperty().bind(several);
        }
    }

    /** Two models: a line each, cut with an ellipsis when long (the tooltip has the whole text). */
    private void markPair(boolean pair) {
        verdict.setWrapText(!pair);
    }

    private void markError(boolean error) {
        verdict.getStyleClass().remove("verdict-error");
        if (error) {
            verdict.getStyleClass().add("verdict-error");
        }
    }

    /** What a screen reader says for a plot: what it is and the current verdict (or the status hint). */
    private void describe(PlotCanvas canvas, String what) {
        canvas.accessibleTextProperty().bind(Bindings.createStringBinding(() -> what + " "
                + (vm.verdictProperty().get().isEmpty() ? vm.statusProperty().get() : vm.verdictProperty().get()),
                vm.verdictProperty(), vm.statusProperty()));
    }

    /** Puts the cursor in the review editor (the window opens there). */
    void focusReview() {
        review.requestFocus();
        review.end();
    }

    void showSamples() {
        samples.show();
    }

    void showLayers() {
        views.getSelectionModel().select(layersTab);
    }

    boolean gridShown() {
        return gridTab.isSelected();
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= SAMPLE_TITLE_CHARS ? oneLine : oneLine.substring(0, SAMPLE_TITLE_CHARS - 1) + "…";
    }
}
