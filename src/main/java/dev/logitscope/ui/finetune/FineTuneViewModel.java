package dev.logitscope.ui.finetune;

import dev.logitscope.finetune.FineTuneJob;
import dev.logitscope.finetune.FineTuneSpec;
import dev.logitscope.hub.HubException;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.model.ModelException;
import dev.logitscope.tokenize.TokenizerException;
import dev.logitscope.train.EpochMetrics;
import dev.logitscope.train.FineTuneException;
import dev.logitscope.train.FineTuneFolder;
import dev.logitscope.train.FineTuneInput;
import dev.logitscope.train.FineTuneRun;
import dev.logitscope.train.TrainingRecord;
import dev.logitscope.ui.eval.StopCause;
import dev.logitscope.ui.model.AppHubWords;
import dev.logitscope.ui.model.Banner;
import dev.logitscope.ui.session.FineTuneSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
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
 * The Fine-tune tab: the run's settings as properties, Run / Stop / Open in Analyze as commands,
 * and what a run shows (progress, the line beside it, one row per epoch). The run itself is the
 * CLI's {@code finetune}, through the shared {@link FineTuneJob}, on its own thread. Never touches
 * controls.
 */
public final class FineTuneViewModel {
    public static final String CLASSIFIER = FineTuneSpec.CLASSIFIER;
    public static final String LM = FineTuneSpec.LM;
    private static final Logger log = LoggerFactory.getLogger(FineTuneViewModel.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final FineTuneService service;
    private final ObservableStringValue loadedModel;
    private final Consumer<Path> openInAnalyze;
    private final Path outputRoot;

    private final StringProperty model = new SimpleStringProperty(this, "model", "");
    private final StringProperty train = new SimpleStringProperty(this, "train", "");
    private final StringProperty dev = new SimpleStringProperty(this, "dev", "");
    private final StringProperty objective = new SimpleStringProperty(this, "objective", CLASSIFIER);
    private final StringProperty template = new SimpleStringProperty(this, "template", "");
    private final StringProperty blockSize = new SimpleStringProperty(this, "blockSize", "");
    private final StringProperty lossOn = new SimpleStringProperty(this, "lossOn", "all");
    private final StringProperty trainableBlocks = new SimpleStringProperty(this, "trainableBlocks", "");
    private final StringProperty epochs = new SimpleStringProperty(this, "epochs", "3");
    private final StringProperty batch = new SimpleStringProperty(this, "batch", "16");
    private final StringProperty learningRate = new SimpleStringProperty(this, "learningRate", "5e-5");
    private final StringProperty seed = new SimpleStringProperty(this, "seed", "42");
    private final StringProperty outputFolder = new SimpleStringProperty(this, "outputFolder", "");
    private final BooleanProperty resume = new SimpleBooleanProperty(this, "resume");

    private final ReadOnlyBooleanWrapper canResume = new ReadOnlyBooleanWrapper(this, "canResume");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyObjectWrapper<Banner> banner = new ReadOnlyObjectWrapper<>(this, "banner");
    private final ReadOnlyObjectWrapper<FineTuneInput> problemInput = new ReadOnlyObjectWrapper<>(this, "problemInput");
    /** The folder of the last run's model (a complete checkpoint), for Open in Analyze; null when none. */
    private final ReadOnlyObjectWrapper<Path> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyObjectWrapper<FineTuneOutcome> outcome = new ReadOnlyObjectWrapper<>(this, "outcome");
    private final ObservableList<EpochMetrics> epochRows = FXCollections.observableArrayList();
    private final BooleanBinding running;
    /** The output folder is one {@link #freshOutputFolder} made (not kept in the session), until the user types another. */
    private boolean autoFolder;
    private boolean makingFolder;
    private Runnable afterStop;

    /**
     * @param loadedModel   the name the model bar loaded ("" for none): the base model when the field is empty
     * @param openInAnalyze loads a folder as the model and shows the analysis
     * @param outputRoot    where fresh output folders go
     */
    public FineTuneViewModel(HubSettings hub, ObservableStringValue loadedModel, Consumer<Path> openInAnalyze,
            Path outputRoot, FineTuneSettings settings) {
        this.service = new FineTuneService(hub);
        this.loadedModel = loadedModel;
        this.openInAnalyze = openInAnalyze;
        this.outputRoot = outputRoot;
        running = Bindings.createBooleanBinding(() -> service.getState() == Worker.State.RUNNING
                || service.getState() == Worker.State.SCHEDULED, service.stateProperty());
        service.valueProperty().addListener((obs, old, o) -> {
            if (o != null) {
                show(o);
            }
        });
        service.setOnSucceeded(e -> finished(service.getValue()));
        service.setOnFailed(e -> failed(service.getException()));
        running.addListener(o -> refreshResume());
        outputFolder.addListener(o -> {
            autoFolder &= makingFolder; // typed or chosen: the user's folder, kept in the session
            refreshResume();
            if (!makingFolder && !running.get()) {
                showFolder();
            }
        });
        resume.addListener(o -> describeResume());
        restore(settings);
    }

    public void restore(FineTuneSettings s) {
        model.set(s.model());
        train.set(s.train());
        dev.set(s.dev());
        objective.set(s.objective());
        template.set(s.template());
        blockSize.set(s.blockSize());
        lossOn.set(s.lossOn());
        trainableBlocks.set(s.trainableBlocks());
        epochs.set(s.epochs());
        batch.set(s.batch());
        learningRate.set(s.learningRate());
        seed.set(s.seed());
        if (s.out().isBlank()) {
            freshOutputFolder();
        } else {
            outputFolder.set(s.out());
            autoFolder = false;
        }
    }

    public FineTuneSettings settings() {
        return new FineTuneSettings(model.get(), train.get(), dev.get(), objective.get(), template.get(), blockSize.get(),
                lossOn.get(), trainableBlocks.get(), epochs.get(), batch.get(), learningRate.get(), seed.get(),
                autoFolder ? "" : outputFolder.get());
    }

    /** Starts a new run into the output folder, or continues its stopped run when Resume is ticked. */
    public void run() {
        if (running.get()) {
            return;
        }
        boolean resuming = resume.get() && canResume.get();
        FineTuneJob job;
        try {
            TrainingRecord existing = resuming ? null : record();
            if (existing != null && existing.finished()) { // "continue it with Resume" would not apply
                throw new FineTuneException(FineTuneInput.OUT, outputFolder.get().strip() + " holds a finished run ("
                        + existing.recipe().epochs() + " epochs; Open in Analyze loads it); choose another output folder.");
            }
            job = FineTuneJob.prepare(resuming ? FineTuneSpec.resuming(path(outputFolder.get(), FineTuneInput.OUT)) : spec());
        } catch (FineTuneException e) {
            problemInput.set(e.input().orElse(null));
            show(Banner.error(e.message(FineTuneFieldWords.INSTANCE)));
            return;
        } catch (IOException | ModelException e) {
            problemInput.set(FineTuneInput.OUT);
            show(Banner.error("Cannot use " + outputFolder.get() + ": " + e.getMessage()));
            return;
        }
        banner.set(null);
        problemInput.set(null);
        result.set(null);
        List<EpochMetrics> earlier = job.resuming() ? job.previous().state().epochs() : List.of();
        epochRows.setAll(earlier);
        outcome.set(null);
        if (job.finished()) {
            status.set(job.out() + " has finished all " + job.recipe().epochs() + " epochs; nothing to resume.");
            result.set(job.out());
            return;
        }
        service.setJob(job, earlier);
        service.restart(); // its state changes refresh Resume's line: the run's own line goes after
        status.set(job.resuming() ? "Resuming " + job.out() + " after epoch " + job.previous().state().completedEpochs()
                + " of " + job.recipe().epochs() : "Training into " + job.out());
    }

    /** Ends the run at the next batch; the last complete epoch's checkpoint stays (Ctrl-C in the CLI). */
    public void stop() {
        if (running.get()) {
            service.requestStop();
            status.set("Stopping at the next batch; the last complete epoch stays saved …");
        }
    }

    /** Loads the last run's model in the model bar and shows the analysis. */
    public void openInAnalyze() {
        Path folder = result.get();
        if (folder != null) {
            openInAnalyze.accept(folder);
        }
    }

    public void chooseOutputFolder(Path folder) {
        autoFolder = false;
        outputFolder.set(folder.toAbsolutePath().normalize().toString());
    }

    /** A new, empty folder under the default place, named by the time. */
    public void freshOutputFolder() {
        String stamp = LocalDateTime.now().format(STAMP);
        Path candidate = outputRoot.resolve("finetune-" + stamp);
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = outputRoot.resolve("finetune-" + stamp + "-" + n);
        }
        makingFolder = true;
        autoFolder = true;
        outputFolder.set(candidate.toString());
        makingFolder = false;
    }

    /** The fields as the shared job's input; a number that does not parse fails with what to type. */
    FineTuneSpec spec() {
        String base = model.get().strip();
        if (base.isEmpty() && loadedModel.get() != null) {
            base = loadedModel.get().strip();
        }
        String trainText = train.get().strip();
        String devText = dev.get().strip();
        boolean lm = LM.equals(objective.get());
        return new FineTuneSpec(base.isEmpty() ? null : base, null, null,
                trainText.isEmpty() ? null : path(trainText, FineTuneInput.TRAIN),
                devText.isEmpty() ? null : path(devText, FineTuneInput.DEV), lm ? LM : CLASSIFIER,
                lm ? blankToNull(template.get()) : null, lm ? blankToNull(blockSize.get()) : null, lm ? lossOn.get() : null,
                blankToNull(trainableBlocks.get()), whole(epochs.get(), FineTuneInput.EPOCHS),
                whole(batch.get(), FineTuneInput.BATCH), number(learningRate.get(), FineTuneInput.LEARNING_RATE),
                0.01, 0.1, 1.0, seedValue(), path(outputFolder.get().strip(), FineTuneInput.OUT), false, Set.of());
    }

    private long seedValue() {
        String t = seed.get().strip();
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new FineTuneException(FineTuneInput.SEED, "Seed must be a whole number, not '" + t + "'.");
        }
    }

    private static int whole(String text, FineTuneInput input) {
        String t = text == null ? "" : text.strip();
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new FineTuneException(input, w -> w.name(input) + " must be a whole number, not '" + t + "'.");
        }
    }

    private static double number(String text, FineTuneInput input) {
        String t = text == null ? "" : text.strip();
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new FineTuneException(input, w -> w.name(input) + " must be a number such as 5e-5 or 0.001, not '" + t
                    + "'.");
        }
    }

    private static Path path(String text, FineTuneInput input) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new FineTuneException(input, w -> w.name(input) + " '" + text + "' is not a valid path: " + e.getReason()
                    + ".");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private void show(FineTuneOutcome o) {
        outcome.set(o);
        epochRows.setAll(o.epochs());
    }

    private void finished(FineTuneOutcome o) {
        if (o == null) {
            return;
        }
        show(o);
        if (!o.stopped()) {
            status.set("Finished: the fine-tuned model is in " + o.folder() + ". Open in Analyze loads it.");
            result.set(o.folder());
            if (autoFolder) {
                freshOutputFolder(); // the next Run starts a new run; Open in Analyze still loads this one
            }
        } else if (o.completedEpochs() == 0) {
            status.set("Stopped before the first epoch ended: nothing was saved.");
        } else {
            status.set("Stopped: " + o.folder() + " holds epoch " + o.completedEpochs() + " of " + o.totalEpochs()
                    + ". Tick Resume and press Run to continue it.");
            result.set(o.folder());
        }
        refreshResume();
    }

    private void failed(Throwable error) {
        refreshResume();
        if (StopCause.isStop(error, service.stopRequested())) {
            status.set("Stopped while downloading the base model: nothing was trained yet. The download resumes next time.");
            return;
        }
        problemInput.set(error instanceof FineTuneException e ? e.input().orElse(null) : null);
        if (error instanceof FineTuneException || error instanceof ModelException || error instanceof HubException
                || error instanceof TokenizerException) {
            show(Banner.error("Fine-tuning stopped: " + message(error)));
        } else {
            log.error("fine-tuning failed", error);
            show(Banner.error("Fine-tuning failed unexpectedly (" + error + "). The details are in the log."));
        }
        status.set("Not finished: " + message(error));
    }

    private static String message(Throwable error) {
        if (error instanceof FineTuneException e) {
            return e.message(FineTuneFieldWords.INSTANCE);
        }
        if (error instanceof HubException e) {
            return e.message(AppHubWords.INSTANCE);
        }
        return error.getMessage() == null ? error.toString() : error.getMessage();
    }

    /** A folder chosen that holds a run shows its epochs, and its model opens in Analyze once it has one. */
    private void showFolder() {
        TrainingRecord record = record();
        outcome.set(null);
        epochRows.setAll(record == null ? List.of() : record.state().epochs());
        boolean hasModel = record != null && record.state().completedEpochs() > 0;
        result.set(hasModel ? Path.of(outputFolder.get().strip()) : null);
        if (record != null) {
            status.set(outputFolder.get().strip() + " holds a run of " + record.baseModel() + ": epoch "
                    + record.state().completedEpochs() + " of " + record.recipe().epochs()
                    + (record.finished() ? ", finished." : ", stopped: tick Resume and press Run to continue it."));
        }
    }

    /** Resume is offered when the output folder holds a run that stopped before its last epoch. */
    private void refreshResume() {
        boolean resumable = false;
        if (!running.get()) {
            TrainingRecord record = record();
            resumable = record != null && !record.finished();
        }
        canResume.set(resumable);
        if (!resumable && !running.get()) {
            resume.set(false);
        }
        describeResume();
    }

    private void describeResume() {
        if (resume.get() && canResume.get() && !running.get()) {
            TrainingRecord record = record();
            if (record != null) {
                status.set("Resume continues " + outputFolder.get().strip() + " after epoch "
                        + record.state().completedEpochs() + " of " + record.recipe().epochs()
                        + " with its own model, data and recipe (training.json).");
            }
        }
    }

    /** The output folder's run record, or null when it holds none (or one this version cannot read). */
    private TrainingRecord record() {
        try {
            Path folder = Path.of(outputFolder.get().strip());
            if (outputFolder.get().isBlank() || !FineTuneRun.hasCheckpoint(folder)) {
                return null;
            }
            return FineTuneFolder.readRecord(folder);
        } catch (IOException | RuntimeException e) { // an invalid path, a record this version cannot read
            return null;
        }
    }

    /** Re-shows an equal banner too (a property only fires on a change). */
    private void show(Banner next) {
        banner.set(null);
        banner.set(next);
    }

    /** At exit: a running run stops at the next batch. */
    public void shutdown() {
        service.requestStop();
    }

    /**
     * Before the window closes: a running run is asked to stop, and {@code close} runs once it has
     * returned (a checkpoint being written is finished first).
     *
     * @return true when closing waits for the run, false when nothing runs
     */
    public boolean stopBeforeClosing(Runnable close) {
        if (!running.get()) {
            return false;
        }
        boolean first = afterStop == null;
        afterStop = close;
        if (first) {
            stop();
            show(Banner.info("Stopping the fine-tuning run: the window closes once it has stopped (the last complete"
                    + " epoch stays saved)."));
            running.addListener(new InvalidationListener() {
                @Override
                public void invalidated(javafx.beans.Observable o) {
                    if (!running.get()) {
                        running.removeListener(this);
                        Runnable then = afterStop;
                        afterStop = null;
                        Platform.runLater(then);
                    }
                }
            });
        }
        return true;
    }

    public static List<String> objectives() {
        return List.of(CLASSIFIER, LM);
    }

    public static List<String> lossOnChoices() {
        return List.of("all", "label");
    }

    public StringProperty modelProperty() { return model; }
    public StringProperty trainProperty() { return train; }
    public StringProperty devProperty() { return dev; }
    public StringProperty objectiveProperty() { return objective; }
    public StringProperty templateProperty() { return template; }
    public StringProperty blockSizeProperty() { return blockSize; }
    public StringProperty lossOnProperty() { return lossOn; }
    public StringProperty trainableBlocksProperty() { return trainableBlocks; }
    public StringProperty epochsProperty() { return epochs; }
    public StringProperty batchProperty() { return batch; }
    public StringProperty learningRateProperty() { return learningRate; }
    public StringProperty seedProperty() { return seed; }
    public StringProperty outputFolderProperty() { return outputFolder; }
    public BooleanProperty resumeProperty() { return resume; }
    public ObservableStringValue loadedModelProperty() { return loadedModel; }

    public ReadOnlyBooleanProperty canResumeProperty() { return canResume.getReadOnlyProperty(); }
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Banner> bannerProperty() { return banner.getReadOnlyProperty(); }
    /** The input the last error was about (its field stays marked until the next Run); null when none. */
    public ReadOnlyObjectProperty<FineTuneInput> problemInputProperty() { return problemInput.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Path> resultProperty() { return result.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<FineTuneOutcome> outcomeProperty() { return outcome.getReadOnlyProperty(); }
    public ObservableList<EpochMetrics> epochRows() { return epochRows; }
    public BooleanBinding runningProperty() { return running; }
    public ObservableDoubleValue progressProperty() { return service.progressProperty(); }
    public ObservableStringValue progressTextProperty() { return service.messageProperty(); }
}
