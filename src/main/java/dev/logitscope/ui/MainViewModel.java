package dev.logitscope.ui;

import dev.logitscope.analysis.GridPositions;
import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.plot.TokenGridData;
import dev.logitscope.prompt.LabelToken;
import dev.logitscope.prompt.PromptException;
import dev.logitscope.prompt.SampleReview;
import dev.logitscope.prompt.SampleReviews;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.ui.analysis.AnalysisJob;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.analysis.AnalysisScheduler;
import dev.logitscope.ui.analysis.EngineTurns;
import dev.logitscope.ui.eval.EvalViewModel;
import dev.logitscope.ui.finetune.FineTuneViewModel;
import dev.logitscope.ui.lens.LensViewModel;
import dev.logitscope.plot.FigureTitle;
import dev.logitscope.plot.ModelComparison;
import dev.logitscope.ui.analysis.LabelTokenization;
import dev.logitscope.ui.model.Banner;
import dev.logitscope.ui.model.ComparedModel;
import dev.logitscope.ui.plot.ComparisonTrajectoryPlot;
import dev.logitscope.ui.plot.PairPlot;
import dev.logitscope.ui.model.ModelBarViewModel;
import dev.logitscope.ui.plot.GridPlot;
import dev.logitscope.ui.plot.HeatmapPlot;
import dev.logitscope.ui.plot.LensHeatmapsPlot;
import dev.logitscope.ui.plot.Plot;
import dev.logitscope.ui.plot.TrajectoryPlot;
import dev.logitscope.ui.prompt.PreviewPiece;
import dev.logitscope.ui.prompt.PromptViewModel;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import dev.logitscope.ui.session.ViewSettings;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javafx.animation.PauseTransition;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.util.Duration;

/**
 * The main window's state and commands. Inputs (model, prompt settings, review) feed a debounced
 * analysis; its result feeds the plots, the preview and the status line. Never touches controls.
 */
public final class MainViewModel {
    /** Typing pauses this long before the analysis runs. */
    public static final Duration DEBOUNCE = Duration.millis(250);
    /** Opens the sample menu (View ▸ Pick a sample review…); Cmd on macOS. */
    public static final KeyCombination SAMPLES_SHORTCUT = new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN);

    private final SessionStore sessions;
    private final ModelBarViewModel modelBar;
    /** The second model of a before-vs-after comparison (its own bar, open while comparing). */
    private final ComparedModel compared;
    /**
     * The first generation analysed with the current second model: an older result's second half
     * (another model, or none) is not shown as this one's.
     */
    private long comparedSince;
    private final PromptViewModel prompt = new PromptViewModel();
    private final LensViewModel lenses;
    /** The lens the token × layer grid reads through: one of the chosen lenses, the primary by default. */
    private final ObjectProperty<LensChoice> gridLens = new SimpleObjectProperty<>(this, "gridLens", LensChoice.LOGIT);
    /** A reversal only the plain logit lens shows, said prominently above the verdict; "" for none. */
    private final ReadOnlyStringWrapper lensNote = new ReadOnlyStringWrapper(this, "lensNote", "");
    /** What the preview should add about how a lens reads the review (the classifier head reads it alone). */
    private final ReadOnlyStringWrapper previewNote = new ReadOnlyStringWrapper(this, "previewNote", "");
    private final AnalysisScheduler scheduler;
    private final ExportViewModel export;
    private final EvalViewModel evaluate;
    private final FineTuneViewModel finetune;
    private final List<SampleReview> samples = SampleReviews.builtIn();
    private final StringProperty review = new SimpleStringProperty(this, "review", "");
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme", Theme.LIGHT);
    private final BooleanProperty logScale = new SimpleBooleanProperty(this, "logScale", false);
    private final BooleanProperty compare = new SimpleBooleanProperty(this, "compare", false);
    private final BooleanProperty gridWanted = new SimpleBooleanProperty(this, "gridWanted", false);
    /** The grid's positions: the query only by default (the demonstrations before it are long and alike). */
    private final ObjectProperty<GridPositions> gridPositions = new SimpleObjectProperty<>(this, "gridPositions",
            GridPositions.QUERY);
    private final ObjectProperty<TokenGridData.Mode> gridMode = new SimpleObjectProperty<>(this, "gridMode",
            TokenGridData.Mode.PROBABILITY);
    private final ReadOnlyObjectWrapper<Plot> heatmap = new ReadOnlyObjectWrapper<>(this, "heatmap");
    private final ReadOnlyObjectWrapper<Plot> grid = new ReadOnlyObjectWrapper<>(this, "grid");
    private final ReadOnlyObjectWrapper<Plot> trajectory = new ReadOnlyObjectWrapper<>(this, "trajectory");
    private final ReadOnlyObjectWrapper<List<PreviewPiece>> preview = new ReadOnlyObjectWrapper<>(this, "preview", List.of());
    private final ReadOnlyStringWrapper tokenCount = new ReadOnlyStringWrapper(this, "tokenCount", "");
    private final ReadOnlyStringWrapper labelIds = new ReadOnlyStringWrapper(this, "labelIds", "");
    private final ReadOnlyStringWrapper labelWarning = new ReadOnlyStringWrapper(this, "labelWarning", "");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper verdict = new ReadOnlyStringWrapper(this, "verdict", "");
    /** The verdict line says why there is no result (the analysis failed), not what the layers answer. */
    private final ReadOnlyBooleanWrapper verdictIsError = new ReadOnlyBooleanWrapper(this, "verdictIsError", false);
    private final DoubleProperty mainSplit = new SimpleDoubleProperty(this, "mainSplit", 0);
    private final DoubleProperty layersSplit = new SimpleDoubleProperty(this, "layersSplit", 0);
    private final StringProperty mode = new SimpleStringProperty(this, "mode", ViewSettings.ANALYZE);
    private final StringProperty view = new SimpleStringProperty(this, "view", ViewSettings.LAYERS);
    /** The window's place and size as last seen un-maximised, and whether it is maximised. */
    private WindowBounds window = new WindowBounds(0, 0, 0, 0, false);
    private final ReadOnlyObjectWrapper<Banner> banner = new ReadOnlyObjectWrapper<>(this, "banner");
    /** The result the plots and texts show; null once the inputs no longer match any (plots, export and replot follow it). */
    private final ReadOnlyObjectWrapper<AnalysisResult> shown = new ReadOnlyObjectWrapper<>(this, "shown");
    /** The second model's half of the shown result, null when there is none to show (yet). */
    private final ReadOnlyObjectWrapper<AnalysisResult> shownCompared = new ReadOnlyObjectWrapper<>(this, "shownCompared");
    private final PauseTransition debounce = new PauseTransition(DEBOUNCE);
    private Session session;
    private final SampleGold sampleGold = new SampleGold(review, prompt.goldProperty(),
            label -> prompt.goldChoices().contains(label));
    /** A first start: once a model is loaded, analyse a sample review if none is typed. */
    private boolean sampleOnFirstModel;

    public MainViewModel(AppContext context) {
        this.sessions = context.sessions();
        this.session = sessions.load();
        this.modelBar = new ModelBarViewModel(context.hub(), session.recentModels());
        this.lenses = new LensViewModel(context.hub());
        // before the analysis below hears of the model: the lens list follows the model first
        modelBar.engineProperty().addListener((obs, old, engine) -> lenses.engineChanged(engine));
        this.compared = new ComparedModel(context.hub(), session.recentModels());
        EngineTurns turns = new EngineTurns(); // the Evaluate tab borrows the loaded engine from the analysis
        this.scheduler = new AnalysisScheduler(turns.guard(context.analyzer()));
        this.export = new ExportViewModel(shown.getReadOnlyProperty(), shownCompared.getReadOnlyProperty(), heatmap, grid,
                trajectory);
        // The loaded model's name, "" while none is (loadedName alone lags the engine by one event).
        StringBinding loaded = Bindings.createStringBinding(modelBar::loadedName, modelBar.engineProperty(),
                modelBar.loadedNameProperty());
        this.evaluate = new EvalViewModel(context.hub(), loaded, modelBar.engineProperty(), turns, context.folders(),
                context.evalOutput(), session.evaluate());
        evaluate.lensesProperty().bind(lenses.chosenProperty()); // evaluate what the Analyze tab reads through
        // Open in Analyze: the run's folder through the model bar's load, then the analysis tab
        this.finetune = new FineTuneViewModel(context.hub(), loaded, folder -> {
            modelBar.load(folder.toString());
            mode.set(ViewSettings.ANALYZE);
        }, context.evalOutput().resolveSibling("fine-tuned"), session.finetune());
        showPlaceholders("Load a model to begin");
        ViewSettings saved = session.view();
        window = new WindowBounds(saved.x(), saved.y(), saved.width(), saved.height(), saved.maximized());
        mainSplit.set(saved.mainSplit());
        layersSplit.set(saved.layersSplit());
        mode.set(saved.mode());
        view.set(saved.view());
        gridPositions.set(GridPositions.parse(saved.gridPositions()));
        gridMode.set(ViewSettings.gridMode(saved.gridColour()));

        modelBar.bannerProperty().addListener((obs, old, b) -> banner.set(b));
        compared.bar().bannerProperty().addListener((obs, old, b) -> banner.set(b));
        export.bannerProperty().addListener((obs, old, b) -> banner.set(b));
        evaluate.bannerProperty().addListener((obs, old, b) -> banner.set(b));
        finetune.bannerProperty().addListener((obs, old, b) -> banner.set(b));
        scheduler.resultProperty().addListener((obs, old, r) -> show(r));
        scheduler.errorProperty().addListener((obs, old, e) -> {
            if (!e.isEmpty()) {
                status.set(e);
            }
        });
        scheduler.failureProperty().addListener((obs, old, why) -> {
            if (!why.isEmpty()) {
                showFailure(why);
            }
        });
        logScale.addListener(o -> replot());
        gridMode.addListener(o -> replot());
        theme.addListener(o -> replot());

        debounce.setOnFinished(e -> analyzeNow());
        for (Observable input : prompt.inputs()) {
            input.addListener(o -> schedule());
        }
        review.addListener(o -> schedule());
        compare.addListener(o -> schedule());
        // an analysis refused while a run had the engine runs now
        evaluate.runningProperty().addListener((obs, was, now) -> {
            if (!now) {
                schedule();
            }
        });
        gridPositions.addListener(o -> schedule());
        lenses.chosenProperty().addListener((obs, old, now) -> lensesChanged(now));
        gridLens.addListener((obs, old, now) -> {
            if (gridWanted.get()) {
                analyzeNow();
            }
        });
        gridWanted.addListener((obs, was, now) -> {
            if (now && (result() == null || !result().grid())) {
                schedule();
            }
        });
        // Without a model the plots say what is happening to get one, not only "load a model".
        modelBar.busyProperty().addListener((obs, was, busy) -> {
            if (modelBar.engine() == null && shown.get() == null) {
                showPlaceholders(busy ? "Getting " + modelBar.loadingName() + " … (progress in the model bar)"
                        : "Load a model to begin");
            }
        });
        modelBar.engineProperty().addListener((obs, old, engine) -> {
            if (engine != null && sampleOnFirstModel) {
                sampleOnFirstModel = false;
                if (review.get().isBlank()) {
                    samples.stream().filter(x -> x.expected().isPresent()).findFirst().ifPresent(this::useSample);
                }
            }
            analyzeNow();
        });
        // A second model in or out: nothing shown so far belongs to it; analyse again with it (or without).
        compared.bar().engineProperty().addListener(o -> comparedChanged());
        compared.comparingProperty().addListener(o -> comparedChanged());
        compared.lensProperty().addListener(o -> comparedChanged());
        compared.bar().busyProperty().addListener(o -> replot());
    }

    private void comparedChanged() {
        comparedSince = scheduler.generation() + 1;
        if (shown.get() != null) {
            show(shown.get()); // the plots and texts without the second model's old half
        }
        if (modelBar.engine() != null) {
            analyzeNow();
        }
    }

    /**
     * Another lens choice: a result read through other lenses must not stay on screen as if it
     * were this choice's (its legend and verdict would name other lenses), so it goes at once and
     * the analysis runs now.
     */
    private void lensesChanged(List<LensChoice> now) {
        if (!now.contains(gridLens.get())) {
            gridLens.set(now.get(0));
        }
        previewNote.set(now.contains(LensChoice.CLASSIFIER) ? CLASSIFIER_NOTE : "");
        if (shown.get() != null && !shown.get().lensChoice().equals(now)) {
            clearShown("Reading through " + now.stream().map(LensChoice::key).collect(Collectors.joining(", ")) + " …");
        }
        if (modelBar.engine() != null) {
            analyzeNow();
        }
    }

    /** What the preview says when the classifier head is among the lenses. */
    public static final String CLASSIFIER_NOTE = "Classifier head: the review is read alone — no template, no"
            + " demonstrations — as the classifier was trained.";

    /** Restores the session and loads the start model (the injected one, else the session's). */
    public void start(java.util.Optional<String> initialModel) {
        prompt.restore(session);
        lenses.restore(session.lenses());
        review.set(session.review());
        sampleGold.restored(samples);
        theme.set(Theme.parse(session.theme()));
        logScale.set(session.logScale());
        compare.set(session.view().compare());
        String model = initialModel.orElse(session.model());
        if (model.isBlank()) {
            sampleOnFirstModel = true;
            modelBar.offerFirstModel();
        } else {
            modelBar.load(model);
        }
    }

    /** Re-analyses after a pause in typing. */
    public void schedule() {
        debounce.playFromStart();
    }

    /** Captures the inputs and queues the analysis at once. */
    public void analyzeNow() {
        debounce.stop();
        LensEngine engine = modelBar.engine();
        if (engine == null) {
            scheduler.invalidate("");
            status.set("No model loaded.");
            clearShown("Load a model to begin");
            return;
        }
        String text = review.get();
        if (text == null || text.isBlank()) {
            scheduler.invalidate("Type a review, or pick a sample (" + SAMPLES_SHORTCUT.getDisplayText()
                    + "), to see what each layer makes of it.");
            clearShown("Type a review (or pick a sample) to see each layer's verdict");
            return;
        }
        try {
            var settings = prompt.snapshot();
            boolean wantGrid = gridWanted.get();
            boolean wantCompare = compare.get();
            GridPositions positions = gridPositions.get();
            List<LensChoice> chosen = lenses.chosen();
            LensChoice forGrid = gridLens.get();
            LensEngine other = compared.engine();
            var otherLens = compared.lens();
            scheduler.submit(generation -> new AnalysisJob(generation, engine, settings, text, wantGrid, positions,
                    wantCompare, chosen, forGrid, other, otherLens));
            status.set("Analysing …");
            if (shown.get() == null && !verdictIsError.get()) {
                showPlaceholders("Analysing …"); // not "Load a model": one is loaded and at work
            }
        } catch (PromptException e) {
            scheduler.invalidate(e.getMessage());
            showFailure(e.getMessage());
        }
    }

    /** Puts a sample in the editor with its own gold label (or none, when the sample has none). */
    public void useSample(SampleReview sample) {
        sampleGold.use(sample);
    }

    /**
     * No result for these inputs: the error goes where the result would be (the verdict line and
     * the plots), and nothing of an earlier analysis stays on screen as if it were current.
     */
    private void showFailure(String why) {
        clearShown(why);
        verdict.set(why);
        verdictIsError.set(true);
        status.set(why);
    }

    private void show(AnalysisResult r) {
        if (r == null || !r.lensChoice().equals(lenses.chosen())) {
            return; // computed for another lens choice (a newer request follows)
        }
        shown.set(r);
        lensNote.set(r.lenses().note());
        replot();
        PromptAnalysis a = r.analysis();
        preview.set(PreviewPiece.of(a.prompt()));
        String dropped = a.droppedDemos() == 0 ? "" : "  (" + a.droppedDemos()
                + " demonstration" + (a.droppedDemos() == 1 ? "" : "s") + " dropped to fit)";
        tokenCount.set(String.format(Locale.ROOT, "%d / %d tokens · %s%s", a.promptTokens(), r.context(),
                a.prompt().shots() == 0 ? "zero-shot" : a.prompt().shots() + " demonstrations", dropped));
        labelIds.set(String.join("     ", a.labels().tokens().stream().map(MainViewModel::ids).toList()));
        AnalysisResult other = shownCompared.get();
        List<String> warnings = new java.util.ArrayList<>(a.labels().warnings());
        if (other != null) {
            LabelTokenization.difference(a, other.analysis()).ifPresent(warnings::add);
        }
        labelWarning.set(String.join("; ", warnings));
        verdictIsError.set(false);
        if (other == null) {
            verdict.set(r.explanation());
            status.set(finalAnswer(r));
        } else {
            List<String> names = comparedNames(r, other);
            verdict.set(names.get(0) + ": " + r.explanation() + "\n" + names.get(1) + ": " + other.explanation());
            status.set(finalAnswer(r) + "  |  " + finalAnswer(other));
        }
    }

    /** "gpt2 · final answer positive (P = 0.731) · 42 ms". */
    private static String finalAnswer(AnalysisResult r) {
        PromptAnalysis a = r.analysis();
        LabelTrajectory t = a.trajectory();
        int lastTap = t.taps() - 1;
        Sentiment answer = t.decisivePrediction(lastTap);
        // two labels: P(positive), as always; more: P(the answer)
        double p = t.decisive(lastTap, t.labels() == 2 ? Sentiment.POSITIVE : answer);
        return String.format(Locale.ROOT, "%s · final answer %s (P = %.3f) · %d ms", a.lens().model().source(),
                t.labelName(answer), p, r.millis());
    }

    private static List<String> comparedNames(AnalysisResult a, AnalysisResult b) {
        return ModelComparison.names(a.analysis(), b.analysis());
    }

    private static String ids(LabelToken t) {
        return PromptViewModel.describeIds(t.word(), t.tokenIds());
    }

    private void replot() {
        AnalysisResult r = shown.get();
        if (r == null) {
            shownCompared.set(null);
            return;
        }
        AnalysisResult other = r.compared() != null && compared.engine() != null && r.generation() >= comparedSince
                ? r.compared() : null;
        shownCompared.set(other);
        grid.set(r.grid() ? new GridPlot(r.gridReport(), gridMode.get()) : Plot.placeholder("Computing the grid …"));
        if (!compared.comparing()) {
            heatmap.set(r.lenses().several() ? new LensHeatmapsPlot(r, logScale.get()) : new HeatmapPlot(r, logScale.get()));
            trajectory.set(r.lenses().several() ? TrajectoryPlot.lenses(r)
                    : new TrajectoryPlot(r.runs(), r.overthinking().reversalLayer()));
        } else if (other == null) { // the first model's picture, and what is happening to the second
            String name = FigureTitle.modelName(r.analysis().lens().model().source());
            String hint = compared.loading() ? "Getting " + compared.bar().loadingName() + " … (progress in the compare bar)"
                    : compared.engine() == null ? "Pick a model to compare with in the bar above"
                    : "Analysing with " + compared.engine().info().source() + " …";
            heatmap.set(PairPlot.of(List.of(new HeatmapPlot(r, logScale.get(), name), Plot.placeholder(hint)),
                    List.of(name, "")));
            trajectory.set(r.lenses().several() ? TrajectoryPlot.lenses(r)
                    : new TrajectoryPlot(r.runs(), r.overthinking().reversalLayer()));
        } else {
            List<String> names = comparedNames(r, other); // with the lens when the two differ
            heatmap.set(PairPlot.of(List.of(new HeatmapPlot(r, logScale.get(), names.get(0)),
                    new HeatmapPlot(other, logScale.get(), names.get(1))), names));
            // the legend names the models only (the captions and the verdict say the lens): it stays short
            List<String> models = ModelComparison.names(r.analysis().lens().model().source(),
                    other.analysis().lens().model().source());
            trajectory.set(new ComparisonTrajectoryPlot(ModelComparison.trajectory("",
                    new ModelComparison.Model(models.get(0), r.runs()), new ModelComparison.Model(models.get(1), other.runs()))));
        }
    }

    /** Forgets the shown result: placeholders in the plots, empty texts, nothing to export or replot. */
    private void clearShown(String hint) {
        shown.set(null);
        showPlaceholders(hint);
        preview.set(List.of());
        tokenCount.set("");
        labelIds.set("");
        labelWarning.set("");
        verdict.set("");
        verdictIsError.set(false);
        lensNote.set("");
    }

    private void showPlaceholders(String hint) {
        heatmap.set(Plot.placeholder(hint));
        grid.set(Plot.placeholder(hint));
        trajectory.set(Plot.placeholder(hint));
    }

    /** The current session, as it would be saved. */
    public Session session() {
        Session s = prompt.into(session);
        String model = modelBar.engine() == null ? s.model() : modelBar.loadedName();
        return new Session(model, modelBar.recentProperty().get(), s.template(), s.shots(), s.fewK(), s.demoLabels(),
                s.positiveWord(), s.negativeWord(), s.gold(), s.calibrate(), review.get(), theme.get().key(),
                logScale.get(), evaluate.settings(), s.demoSeed(), viewSettings(), lenses.settings(),
                finetune.settings());
    }

    /** The window as it is now: what the session keeps of it. */
    public ViewSettings viewSettings() {
        return new ViewSettings(compare.get(), window.x(), window.y(), window.width(), window.height(),
                window.maximized(), mainSplit.get(), layersSplit.get(), mode.get(), view.get(), gridPositions.get().key(),
                gridMode.get().name().toLowerCase(Locale.ROOT));
    }

    /** The window's place and size when not maximised (kept while it is maximised), and whether it is. */
    public void rememberWindow(double x, double y, double width, double height, boolean maximized) {
        window = maximized ? new WindowBounds(window.x(), window.y(), window.width(), window.height(), true)
                : new WindowBounds(x, y, width, height, false);
    }

    private record WindowBounds(double x, double y, double width, double height, boolean maximized) {
    }

    public void saveSession() {
        session = session();
        sessions.save(session);
    }

    /** At exit: save, drop pending analyses, then close the model (off the FX thread). */
    public void shutdown() {
        evaluate.shutdown();
        lenses.shutdown();
        finetune.shutdown();
        saveSession();
        debounce.stop();
        scheduler.invalidate("");
        modelBar.close();
        compared.close();
    }

    /**
     * Asked before the window closes: true when closing must wait (an evaluation or a fine-tuning
     * run is stopping and {@code close} runs once it has written its files), false to close now.
     */
    public boolean deferClose(Runnable close) {
        boolean evaluating = evaluate.runningProperty().get();
        boolean training = finetune.runningProperty().get();
        if (evaluating && training) { // close once both have stopped
            int[] waiting = {2};
            Runnable whenBoth = () -> {
                if (--waiting[0] == 0) {
                    close.run();
                }
            };
            evaluate.stopBeforeClosing(whenBoth);
            finetune.stopBeforeClosing(whenBoth);
            return true;
        }
        return evaluate.stopBeforeClosing(close) || finetune.stopBeforeClosing(close);
    }

    public void dismissBanner() {
        banner.set(null);
    }

    /** The result on screen, or null when there is none (no model, no review, or the prompt failed). */
    public AnalysisResult result() {
        return shown.get();
    }

    public ReadOnlyObjectProperty<AnalysisResult> resultProperty() {
        return shown.getReadOnlyProperty();
    }

    public ModelBarViewModel modelBar() {
        return modelBar;
    }

    /** The second model of a before-vs-after comparison. */
    public ComparedModel compared() {
        return compared;
    }

    /** The second model's result shown beside the first's, or null when none is shown. */
    public AnalysisResult comparedResult() {
        return shownCompared.get();
    }

    public ReadOnlyObjectProperty<AnalysisResult> comparedResultProperty() {
        return shownCompared.getReadOnlyProperty();
    }

    public PromptViewModel prompt() {
        return prompt;
    }

    /** The lens choice of the prompt setup. */
    public LensViewModel lenses() {
        return lenses;
    }

    public ObjectProperty<LensChoice> gridLensProperty() {
        return gridLens;
    }

    public ReadOnlyStringProperty lensNoteProperty() {
        return lensNote.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty previewNoteProperty() {
        return previewNote.getReadOnlyProperty();
    }

    public ExportViewModel export() {
        return export;
    }

    public EvalViewModel evaluate() {
        return evaluate;
    }

    public FineTuneViewModel finetune() {
        return finetune;
    }

    public List<SampleReview> samples() {
        return samples;
    }

    public StringProperty reviewProperty() {
        return review;
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public BooleanProperty logScaleProperty() {
        return logScale;
    }

    public BooleanProperty compareProperty() {
        return compare;
    }

    public BooleanProperty gridWantedProperty() {
        return gridWanted;
    }

    public ObjectProperty<GridPositions> gridPositionsProperty() {
        return gridPositions;
    }

    public ObjectProperty<TokenGridData.Mode> gridModeProperty() {
        return gridMode;
    }

    public ReadOnlyObjectProperty<Plot> heatmapProperty() {
        return heatmap.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Plot> gridProperty() {
        return grid.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Plot> trajectoryProperty() {
        return trajectory.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<PreviewPiece>> previewProperty() {
        return preview.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty tokenCountProperty() {
        return tokenCount.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty labelIdsProperty() {
        return labelIds.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty labelWarningProperty() {
        return labelWarning.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty verdictProperty() {
        return verdict.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty verdictIsErrorProperty() {
        return verdictIsError.getReadOnlyProperty();
    }

    /** The divider between prompt setup and the review, 0..1 (0 until the window has one). */
    public DoubleProperty mainSplitProperty() {
        return mainSplit;
    }

    /** The divider between the heatmap and the trajectory, 0..1 (0 until the window has one). */
    public DoubleProperty layersSplitProperty() {
        return layersSplit;
    }

    /** The selected mode tab: {@link ViewSettings#ANALYZE}, {@link ViewSettings#EVALUATE} or {@link ViewSettings#FINETUNE}. */
    public StringProperty modeProperty() {
        return mode;
    }

    /** The selected view of the review: {@link ViewSettings#LAYERS} or {@link ViewSettings#GRID}. */
    public StringProperty viewProperty() {
        return view;
    }

    public ReadOnlyObjectProperty<Banner> bannerProperty() {
        return banner.getReadOnlyProperty();
    }

    public javafx.beans.property.ReadOnlyBooleanProperty analysingProperty() {
        return scheduler.busyProperty();
    }
}
