package dev.logitscope.ui.eval;

import dev.logitscope.eval.EngineSource;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.ui.analysis.EngineTurns;
import javafx.beans.value.ObservableValue;
import dev.logitscope.eval.DatasetFormat;
import dev.logitscope.eval.EvalException;
import dev.logitscope.eval.EvalInput;
import dev.logitscope.eval.EvalRequest;
import dev.logitscope.eval.EvalSummary;
import dev.logitscope.eval.RunFolder;
import dev.logitscope.hub.HubException;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.model.ModelException;
import dev.logitscope.plot.EvalPlots;
import dev.logitscope.prompt.DemoOrder;
import dev.logitscope.prompt.PromptException;
import dev.logitscope.prompt.TemplateLibrary;
import dev.logitscope.tokenize.TokenizerException;
import dev.logitscope.ui.model.Banner;
import dev.logitscope.ui.plot.AccuracyByLayerPlot;
import dev.logitscope.ui.plot.Plot;
import dev.logitscope.ui.plot.ScalingPlot;
import dev.logitscope.ui.session.EvalSettings;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableDoubleValue;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Evaluate tab: the run's settings as properties, Run / Stop / Resume / Open folder as
 * commands, and what a run shows (progress, the two plots, the summary table). The run itself is
 * the CLI's {@code eval}, through the shared job, on its own thread. Never touches controls.
 */
public final class EvalViewModel {
    public static final String AUTO = "auto";
    private static final Logger log = LoggerFactory.getLogger(EvalViewModel.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final EvalService service;
    private final ObservableStringValue loadedModel;
    private final ObservableValue<LensEngine> loadedEngine;
    private final EngineTurns turns;
    private final FolderOpener opener;
    private final Path outputRoot;

    private final StringProperty dataset = new SimpleStringProperty(this, "dataset", "");
    private final StringProperty format = new SimpleStringProperty(this, "format", AUTO);
    private final StringProperty limit = new SimpleStringProperty(this, "limit", "");
    private final StringProperty sample = new SimpleStringProperty(this, "sample", "");
    private final StringProperty sampleSeed = new SimpleStringProperty(this, "sampleSeed", "0");
    private final BooleanProperty skipBad = new SimpleBooleanProperty(this, "skipBad");
    private final BooleanProperty useLoadedModel = new SimpleBooleanProperty(this, "useLoadedModel", true);
    private final StringProperty otherModels = new SimpleStringProperty(this, "otherModels", "");
    private final StringProperty template = new SimpleStringProperty(this, "template", TemplateLibrary.DEFAULT_NAME);
    private final StringProperty shots = new SimpleStringProperty(this, "shots", "0,4");
    private final BooleanProperty correct = new SimpleBooleanProperty(this, "correct", true);
    private final BooleanProperty flipped = new SimpleBooleanProperty(this, "flipped", true);
    private final BooleanProperty random = new SimpleBooleanProperty(this, "random");
    private final IntegerProperty seeds = new SimpleIntegerProperty(this, "seeds", 1);
    private final StringProperty method = new SimpleStringProperty(this, "method", "next-token");
    private final BooleanProperty calibrate = new SimpleBooleanProperty(this, "calibrate");
    private final StringProperty outputFolder = new SimpleStringProperty(this, "outputFolder", "");
    /** A training split to draw demonstrations from; "" for the built-in pool. */
    private final StringProperty train = new SimpleStringProperty(this, "train", "");
    /** Columns and label values of a CSV/TSV/JSONL file that does not use the usual names; "" for those. */
    private final StringProperty textColumn = new SimpleStringProperty(this, "textColumn", "");
    private final StringProperty labelColumn = new SimpleStringProperty(this, "labelColumn", "");
    private final StringProperty labelMap = new SimpleStringProperty(this, "labelMap", "");
    private final StringProperty order = new SimpleStringProperty(this, "order", DemoOrder.ALTERNATING.key());

    private final ReadOnlyObjectWrapper<Plot> accuracyPlot = new ReadOnlyObjectWrapper<>(this, "accuracyPlot");
    private final ReadOnlyObjectWrapper<Plot> scalingPlot = new ReadOnlyObjectWrapper<>(this, "scalingPlot");
    private final ObservableList<SummaryRow> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyObjectWrapper<Path> lastRun = new ReadOnlyObjectWrapper<>(this, "lastRun");
    private final ReadOnlyBooleanWrapper canResume = new ReadOnlyBooleanWrapper(this, "canResume");
    private final ReadOnlyObjectWrapper<Banner> banner = new ReadOnlyObjectWrapper<>(this, "banner");
    /** The input the last error was about, so the tab can point at its field; null when none. */
    private final ReadOnlyObjectWrapper<EvalInput> problemInput = new ReadOnlyObjectWrapper<>(this, "problemInput");
    private final ReadOnlyObjectWrapper<EvalSummary> summary = new ReadOnlyObjectWrapper<>(this, "summary");
    private final BooleanBinding running;
    private boolean autoFolder;
    /** What to do once a stopped run ends because the window is closing, or null. */
    private Runnable afterStop;
    /**
     * The lenses a run reads every layer through: the prompt setup's choice (the window binds it),
     * so the Evaluate tab evaluates what the Analyze tab shows, as {@code eval --lens} would.
     */
    private final javafx.beans.property.ObjectProperty<List<dev.logitscope.lens.LensChoice>> lenses =
            new javafx.beans.property.SimpleObjectProperty<>(this, "lenses", List.of(dev.logitscope.lens.LensChoice.LOGIT));

    /**
     * @param loadedModel the name the model bar loaded ("" for none): evaluated when ticked
     * @param outputRoot  where fresh output folders go
     */
    public EvalViewModel(HubSettings hub, ObservableStringValue loadedModel, FolderOpener opener, Path outputRoot,
            EvalSettings settings) {
        this(hub, loadedModel, new javafx.beans.property.SimpleObjectProperty<>(), new EngineTurns(), opener,
                outputRoot, settings);
    }

    /**
     * @param loadedEngine the model bar's engine (null for none): lent to a run of the loaded model
     * @param turns        the analysis's and the run's turns on it
     */
    public EvalViewModel(HubSettings hub, ObservableStringValue loadedModel, ObservableValue<LensEngine> loadedEngine,
            EngineTurns turns, FolderOpener opener, Path outputRoot, EvalSettings settings) {
        this.service = new EvalService(hub);
        this.loadedModel = loadedModel;
        this.loadedEngine = loadedEngine;
        this.turns = turns;
        this.opener = opener == null ? FolderOpener.NONE : opener;
        this.outputRoot = outputRoot;
        running = Bindings.createBooleanBinding(() -> service.getState() == Worker.State.RUNNING
                || service.getState() == Worker.State.SCHEDULED, service.stateProperty());
        service.valueProperty().addListener((obs, old, outcome) -> {
            if (outcome != null) {
                show(outcome);
            }
        });
        service.setOnSucceeded(e -> finished(service.getValue()));
        service.setOnFailed(e -> failed(service.getException()));
        running.addListener(o -> refreshResume());
        outputFolder.addListener(o -> refreshResume());
        showPlaceholders("Run an evaluation to see accuracy by layer", "… and final accuracy against model size");
        restore(settings);
    }

    /** Sets every field from the session; an empty output folder becomes a fresh one. */
    public void restore(EvalSettings s) {
        dataset.set(s.dataset());
        format.set(s.format());
        limit.set(s.limit());
        sample.set(s.sample());
        sampleSeed.set(Long.toString(s.sampleSeed()));
        skipBad.set(s.skipBad());
        useLoadedModel.set(s.loadedModel());
        otherModels.set(s.otherModels());
        template.set(s.template());
        shots.set(s.shots());
        correct.set(s.correct());
        flipped.set(s.flipped());
        random.set(s.random());
        seeds.set(s.seeds());
        method.set(s.method());
        calibrate.set(s.calibrate());
        train.set(s.train());
        textColumn.set(s.textCol());
        labelColumn.set(s.labelCol());
        labelMap.set(s.labelMap());
        order.set(s.order());
        if (s.out().isBlank()) {
            freshOutputFolder();
        } else {
            outputFolder.set(s.out());
            autoFolder = false;
        }
    }

    /** The fields as the session keeps them. */
    public EvalSettings settings() {
        long seed;
        try {
            seed = Long.parseLong(sampleSeed.get().strip());
        } catch (NumberFormatException e) {
            seed = 0;
        }
        return new EvalSettings(dataset.get(), format.get(), limit.get(), sample.get(), seed, skipBad.get(),
                useLoadedModel.get(), otherModels.get(), template.get(), shots.get(), correct.get(), flipped.get(),
                random.get(), seeds.get(), method.get(), calibrate.get(), autoFolder ? "" : outputFolder.get(), train.get(),
                textColumn.get(), labelColumn.get(), labelMap.get(), order.get());
    }

    /** Starts a new run into the output folder. */
    public void run() {
        start(false);
    }

    /** Continues the stopped run in the output folder without redoing finished examples. */
    public void resume() {
        start(true);
    }

    /** Ends the run at the next block (the batch in progress is redone on resume); everything so far is written (Ctrl-C in the CLI). */
    public void stop() {
        if (running.get()) {
            service.requestStop();
            status.set("Stopping …");
        }
    }

    public void openFolder() {
        Path folder = lastRun.get();
        if (folder != null && opener.available()) {
            try {
                opener.open(folder);
            } catch (RuntimeException e) {
                show(Banner.warning("Cannot open " + folder + ": " + e.getMessage()));
            }
        }
    }

    /** The user picked an output folder. */
    public void chooseOutputFolder(Path folder) {
        autoFolder = false;
        outputFolder.set(folder.toAbsolutePath().normalize().toString());
    }

    /** A new, empty folder under the default place, named by the time. */
    public void freshOutputFolder() {
        String stamp = LocalDateTime.now().format(STAMP);
        Path candidate = outputRoot.resolve("eval-" + stamp);
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = outputRoot.resolve("eval-" + stamp + "-" + n);
        }
        outputFolder.set(candidate.toString());
        autoFolder = true;
    }

    /** The default place for output folders: the user's home when it is writable, else the temp folder. */
    public static Path defaultOutputRoot() {
        Path home = Path.of(System.getProperty("user.home", ""));
        if (!home.toString().isBlank() && Files.isDirectory(home) && Files.isWritable(home)) {
            return home.resolve("Logitscope").resolve("evaluations");
        }
        return Path.of(System.getProperty("java.io.tmpdir")).resolve("logitscope-evaluations");
    }

    private void start(boolean resume) {
        if (running.get()) {
            return;
        }
        String redirected = resume ? null : leaveEarlierRun();
        EvalRequest request;
        try {
            request = request(resume);
        } catch (EvalException | PromptException e) {
            problemInput.set(e instanceof EvalException ee ? ee.input().orElse(null) : null);
            show(Banner.error(AppMessages.forApp(e)));
            return;
        }
        banner.set(null);
        problemInput.set(null);
        rows.clear();
        summary.set(null);
        showPlaceholders("Accuracy by layer appears as conditions finish …", "… and final accuracy against model size");
        lastRun.set(request.out());
        if (redirected != null) {
            String note = "A new run goes into a new folder, " + request.out() + ": " + redirected
                    + " keeps the earlier run (choose it again and press Resume to continue that one).";
            status.set("Running into " + request.out() + ". " + note);
            show(Banner.info(note));
        } else {
            status.set(resume ? "Resuming in " + request.out() : "Running into " + request.out());
        }
        LensEngine engine = loadedEngine.getValue();
        String name = loadedModel.get();
        // the loaded model is lent to the run, not loaded a second time
        service.setRequest(request, engine == null || name == null || name.isBlank() ? EngineSource.OPEN
                : EngineSource.sharing(name, engine, turns::evaluating, turns::evaluated));
        service.restart();
    }

    /**
     * Run means a new run: when the output folder already holds one (a stopped run, perhaps with
     * other settings), the new run goes into a new folder instead of being refused, and the earlier
     * run stays where it is for Resume. Returns the folder left behind, or null when none was.
     */
    private String leaveEarlierRun() {
        Path folder;
        try {
            folder = Path.of(outputFolder.get().strip());
        } catch (InvalidPathException e) {
            return null; // request() reports it
        }
        if (outputFolder.get().isBlank() || !holdsRun(folder)) {
            return null;
        }
        if (autoFolder) {
            freshOutputFolder();
        } else {
            Path next = folder;
            String name = folder.getFileName() == null ? "run" : folder.getFileName().toString();
            for (int n = 2; holdsRun(next) || Files.exists(next) && !isEmptyFolder(next); n++) {
                next = folder.resolveSibling(name + "-" + n);
            }
            outputFolder.set(next.toString()); // still the user's choice of place: not an automatic folder
        }
        return folder.toString();
    }

    private static boolean holdsRun(Path folder) {
        return Files.exists(folder.resolve(RunFolder.MANIFEST)) || Files.exists(folder.resolve(RunFolder.EXAMPLES));
    }

    private static boolean isEmptyFolder(Path folder) {
        try (var entries = Files.list(folder)) {
            return Files.isDirectory(folder) && entries.findAny().isEmpty();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The fields as the shared job's request; a field that does not parse fails with what to type. */
    EvalRequest request(boolean resume) {
        String data = dataset.get().strip();
        if (data.isEmpty()) {
            throw new EvalException(EvalInput.DATASET, w -> "Choose a dataset first: an SST-2 file (stsa.binary.dev), a GLUE"
                    + " .tsv, an IMDB .csv or aclImdb folder, or a CSV/TSV/JSONL file.");
        }
        List<String> models = new ArrayList<>();
        if (useLoadedModel.get() && loadedModel.get() != null && !loadedModel.get().isBlank()) {
            models.add(loadedModel.get());
        }
        Arrays.stream(otherModels.get().split(",")).map(String::strip).filter(m -> !m.isEmpty())
                .filter(m -> !models.contains(m)).forEach(models::add);
        if (models.isEmpty()) {
            throw new EvalException(EvalInput.MODELS, w -> "Choose a model: load one in the model bar above, or name models"
                    + " to evaluate (e.g. distilgpt2, gpt2 or a model folder).");
        }
        List<String> labels = new ArrayList<>();
        if (correct.get()) {
            labels.add("correct");
        }
        if (flipped.get()) {
            labels.add("flipped");
        }
        if (random.get()) {
            labels.add("random");
        }
        if (labels.isEmpty()) {
            throw new EvalException(EvalInput.DEMO_LABELS,
                    w -> "Tick at least one kind of demonstration labels (correct, flipped or random).");
        }
        List<String> shotList = Arrays.stream(shots.get().split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        if (shotList.isEmpty()) {
            throw new EvalException(EvalInput.SHOTS, w -> "Give the demonstration counts to try, e.g. 0,4.");
        }
        String out = outputFolder.get().strip();
        if (out.isEmpty()) {
            throw new EvalException(EvalInput.OUT, w -> "Choose an output folder for summary.json, examples.csv and the plots.");
        }
        String demos = train.get().strip();
        return new EvalRequest(models, path(data, EvalInput.DATASET), AUTO.equals(format.get()) ? null : format.get(),
                blankToNull(textColumn.get()), blankToNull(labelColumn.get()), blankToNull(labelMap.get()),
                count(limit.get(), EvalInput.LIMIT), count(sample.get(), EvalInput.SAMPLE),
                whole(sampleSeed.get(), EvalInput.SAMPLE_SEED), skipBad.get(),
                demos.isEmpty() ? null : path(demos, EvalInput.TRAIN), null, List.of(template.get()), shotList, labels,
                order.get(), seeds.get(), method.get(), calibrate.get(), 0.1, path(out, EvalInput.OUT), resume, false, 0,
                null, lenses.get());
    }

    /** The lenses a run reads through, first the primary one (bound to the prompt setup's choice by the window). */
    public javafx.beans.property.ObjectProperty<List<dev.logitscope.lens.LensChoice>> lensesProperty() {
        return lenses;
    }

    /** "logit", "logit, tuned" …: the lenses a run will read through, for the tab's label. */
    public javafx.beans.binding.StringExpression lensesText() {
        return javafx.beans.binding.Bindings.createStringBinding(() -> String.join(", ",
                lenses.get().stream().map(dev.logitscope.lens.LensChoice::key).toList()), lenses);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static Integer count(String text, EvalInput field) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new EvalException(field, w -> capitalise(w.name(field)) + " must be a whole number of examples (or empty"
                    + " for all), not '" + t + "'.");
        }
    }

    private static long whole(String text, EvalInput field) {
        try {
            return Long.parseLong(text == null || text.isBlank() ? "0" : text.strip());
        } catch (NumberFormatException e) {
            throw new EvalException(field, w -> capitalise(w.name(field)) + " must be a whole number, not '"
                    + text.strip() + "'.");
        }
    }

    private static Path path(String text, EvalInput what) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new EvalException(what, w -> capitalise(w.name(what)) + " '" + text + "' is not a valid path: "
                    + e.getReason() + ".");
        }
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private void show(EvalOutcome outcome) {
        EvalSummary s = outcome.summary();
        summary.set(s);
        rows.setAll(SummaryRow.of(s));
        if (s.conditions().isEmpty()) {
            return;
        }
        accuracyPlot.set(new AccuracyByLayerPlot(EvalPlots.accuracyByLayer(s, outcome.datasetName())));
        scalingPlot.set(s.models().isEmpty() ? Plot.placeholder("No model finished yet")
                : new ScalingPlot(EvalPlots.scaling(s, outcome.datasetName())));
    }

    private void finished(EvalOutcome outcome) {
        if (outcome == null) {
            return;
        }
        show(outcome);
        String warning = service.lastWarning();
        if (outcome.summary().complete()) {
            status.set("Finished: " + outcome.folder() + (warning.isEmpty() ? "" : " · last warning: " + warning));
            if (autoFolder) {
                freshOutputFolder(); // the next Run starts a new run; Open folder still shows this one
            }
        } else {
            status.set("Stopped: everything finished so far is written to " + outcome.folder()
                    + ". Resume continues without redoing it; Run starts a new run in a new folder.");
        }
        if (outcome.plotWarning() != null) {
            show(Banner.warning(outcome.plotWarning()));
        }
        refreshResume();
    }

    private void failed(Throwable error) {
        if (StopCause.isStop(error, service.stopRequested())) {
            // Stop pressed while a model downloaded: a normal stop; the partial download resumes next time.
            status.set("Stopped while downloading a model: nothing was evaluated yet. Run again to continue;"
                    + " the download resumes where it stopped.");
            refreshResume();
            return;
        }
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        problemInput.set(error instanceof EvalException e ? e.input().orElse(null) : null);
        if (error instanceof EvalException || error instanceof PromptException || error instanceof ModelException
                || error instanceof HubException || error instanceof TokenizerException) {
            show(Banner.error("Evaluation stopped: " + AppMessages.forApp(error)));
        } else {
            log.error("evaluation failed", error);
            show(Banner.error("Evaluation failed unexpectedly (" + message + "). The details are in the log."));
        }
        status.set("Not finished: " + AppMessages.forApp(error));
        refreshResume();
    }

    private void refreshResume() {
        boolean resumable = false;
        if (!running.get()) {
            try {
                resumable = Files.isRegularFile(Path.of(outputFolder.get().strip()).resolve(RunFolder.MANIFEST));
            } catch (InvalidPathException e) {
                resumable = false;
            }
        }
        canResume.set(resumable);
    }

    private void showPlaceholders(String accuracy, String scaling) {
        accuracyPlot.set(Plot.placeholder(accuracy));
        scalingPlot.set(Plot.placeholder(scaling));
    }

    /** Re-shows an equal banner too (a property only fires on a change). */
    private void show(Banner next) {
        banner.set(null);
        banner.set(next);
    }

    /** At exit: a running evaluation stops at the next block. */
    public void shutdown() {
        service.requestStop();
    }

    /**
     * Before the window closes: a running evaluation is asked to stop, and {@code close} runs once
     * it has written summary.json and the plots (the JVM would otherwise end it mid-write).
     *
     * @return true when closing waits for the run, false when nothing runs (close now)
     */
    public boolean stopBeforeClosing(Runnable close) {
        if (!running.get()) {
            return false;
        }
        boolean first = afterStop == null;
        afterStop = close;
        if (first) {
            stop();
            status.set("Stopping; the window closes once the results are written …");
            show(Banner.info("Stopping the evaluation: the window closes once summary.json and the plots are written."));
            running.addListener(new javafx.beans.InvalidationListener() {
                @Override
                public void invalidated(javafx.beans.Observable o) {
                    if (!running.get()) {
                        running.removeListener(this);
                        Runnable then = afterStop;
                        afterStop = null;
                        javafx.application.Platform.runLater(then); // after the run's own finish handler
                    }
                }
            });
        }
        return true;
    }

    public static List<String> formats() {
        List<String> all = new ArrayList<>(List.of(AUTO));
        Arrays.stream(DatasetFormat.values()).map(DatasetFormat::key).forEach(all::add);
        return all;
    }

    public static List<String> methods() {
        return List.of("next-token", "loss");
    }

    public static List<String> orders() {
        return Arrays.stream(DemoOrder.values()).map(DemoOrder::key).toList();
    }

    public List<String> templates() {
        return TemplateLibrary.allNames();
    }

    /** Where fresh output folders go (the lens dialog proposes a sibling "lenses" folder). */
    public Path outputRoot() { return outputRoot; }
    public StringProperty datasetProperty() { return dataset; }
    public StringProperty formatProperty() { return format; }
    public StringProperty limitProperty() { return limit; }
    public StringProperty sampleProperty() { return sample; }
    public StringProperty sampleSeedProperty() { return sampleSeed; }
    public BooleanProperty skipBadProperty() { return skipBad; }
    public BooleanProperty useLoadedModelProperty() { return useLoadedModel; }
    public StringProperty trainProperty() { return train; }
    public StringProperty textColumnProperty() { return textColumn; }
    public StringProperty labelColumnProperty() { return labelColumn; }
    public StringProperty labelMapProperty() { return labelMap; }
    public ObservableStringValue loadedModelProperty() { return loadedModel; }
    public StringProperty otherModelsProperty() { return otherModels; }
    public StringProperty templateProperty() { return template; }
    public StringProperty shotsProperty() { return shots; }
    public BooleanProperty correctProperty() { return correct; }
    public BooleanProperty flippedProperty() { return flipped; }
    public BooleanProperty randomProperty() { return random; }
    public IntegerProperty seedsProperty() { return seeds; }
    public StringProperty methodProperty() { return method; }
    public StringProperty orderProperty() { return order; }
    public BooleanProperty calibrateProperty() { return calibrate; }
    public StringProperty outputFolderProperty() { return outputFolder; }

    public ReadOnlyObjectProperty<Plot> accuracyPlotProperty() { return accuracyPlot.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Plot> scalingPlotProperty() { return scalingPlot.getReadOnlyProperty(); }
    public ObservableList<SummaryRow> rows() { return rows; }
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Path> lastRunProperty() { return lastRun.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty canResumeProperty() { return canResume.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Banner> bannerProperty() { return banner.getReadOnlyProperty(); }

    /** The input the last error was about (its field stays marked until the next Run); null when none. */
    public ReadOnlyObjectProperty<EvalInput> problemInputProperty() { return problemInput.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<EvalSummary> summaryProperty() { return summary.getReadOnlyProperty(); }
    public BooleanBinding runningProperty() { return running; }
    public ObservableDoubleValue progressProperty() { return service.progressProperty(); }
    public ObservableStringValue progressTextProperty() { return service.messageProperty(); }

    /** Whether the platform can show a folder (else the button is disabled). */
    public boolean canOpenFolders() {
        return opener.available();
    }
}
