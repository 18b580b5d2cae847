package dev.logitscope.ui.lens;

import dev.logitscope.eval.LensFitException;
import dev.logitscope.eval.LensFitInput;
import dev.logitscope.eval.LensFitJob;
import dev.logitscope.eval.LensFitRequest;
import dev.logitscope.eval.ModelRef;
import dev.logitscope.lens.AffineLensFit;
import dev.logitscope.lens.AffineLensFolder;
import dev.logitscope.lens.FitProgress;
import dev.logitscope.lens.KlDescentSettings;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.RunCancelledException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The "Fit a lens…" dialog's state: its fields as text, a fit on the loaded engine (the same
 * {@link LensFitJob} as {@code fit-lens}), its progress and the outcome. An input error names the
 * field ({@link #problemInputProperty()}); Cancel stops the fit and leaves no folder; a finished
 * fit offers the lens to the prompt setup when the window gave a way to use it.
 */
public final class FitLensViewModel {
    private final LensEngine engine;
    private final ModelRef model;
    private final Consumer<Path> useLens;
    private final FitLensService service = new FitLensService();

    private final StringProperty data = new SimpleStringProperty(this, "data", "");
    private final StringProperty tokenBudget = new SimpleStringProperty(this, "tokenBudget",
            Long.toString(LensFitRequest.DEFAULT_MAX_TOKENS));
    private final StringProperty ridge = new SimpleStringProperty(this, "ridge", "1e-3");
    private final StringProperty refineSteps = new SimpleStringProperty(this, "refineSteps", "0");
    private final StringProperty out = new SimpleStringProperty(this, "out", "");

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyBooleanWrapper stopping = new ReadOnlyBooleanWrapper(this, "stopping");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper(this, "progressText", "");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyBooleanWrapper messageIsError = new ReadOnlyBooleanWrapper(this, "messageIsError");
    private final ReadOnlyObjectWrapper<LensFitInput> problemInput = new ReadOnlyObjectWrapper<>(this, "problemInput");
    private final ReadOnlyObjectWrapper<Path> saved = new ReadOnlyObjectWrapper<>(this, "saved");
    /** The latest progress from the model thread, shown at most once per FX pulse. */
    private final AtomicReference<FitProgress> latest = new AtomicReference<>();

    /**
     * @param modelName  how the model was named when loaded (recorded in config.json)
     * @param defaultOut the output folder the dialog proposes
     * @param useLens    makes a saved lens the prompt setup's lens, or null when the window has no way to
     */
    public FitLensViewModel(LensEngine engine, String modelName, Path defaultOut, Consumer<Path> useLens) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.model = new ModelRef(modelName, engine.folder());
        this.useLens = useLens;
        out.set(defaultOut == null ? "" : defaultOut.toString());
        service.setOnSucceeded(e -> finished(service.getValue()));
        service.setOnFailed(e -> failed(service.getException()));
    }

    /** A lens folder under {@code root} named after the model that does not exist yet: root/NAME-affine[-N]. */
    public static Path proposedFolder(Path root, String modelName) {
        String stem = modelName.replaceAll(".*[/\\\\]", "").replaceAll("[^A-Za-z0-9._-]+", "-") + "-affine";
        Path candidate = root.resolve(stem);
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = root.resolve(stem + "-" + n);
        }
        return candidate;
    }

    /** Starts a fit with the fields as they are, or says which field to fix. */
    public void fit() {
        if (running.get()) {
            return;
        }
        problemInput.set(null);
        saved.set(null);
        LensFitRequest request;
        try {
            request = request();
            request.check();
        } catch (LensFitException e) {
            problem(e);
            return;
        }
        message.set("");
        messageIsError.set(false);
        progress.set(0);
        progressText.set("Reading " + request.data().getFileName() + "…");
        running.set(true);
        stopping.set(false);
        service.setRequest(engine, model, request, this::report);
        service.restart();
    }

    /** Stops the fit in progress at the next block; nothing is written. */
    public void cancel() {
        if (running.get()) {
            stopping.set(true);
            progressText.set("Stopping…");
            service.requestStop();
        }
    }

    /** Makes the saved lens the prompt setup's lens. */
    public void useSavedLens() {
        if (useLens != null && saved.get() != null) {
            useLens.accept(saved.get());
        }
    }

    private LensFitRequest request() {
        Path dataPath = path(data.get(), LensFitInput.DATA);
        Path outPath = path(out.get(), LensFitInput.OUT);
        long budget = whole(tokenBudget.get(), LensFitInput.MAX_TOKENS, "100000");
        double lambda = number(ridge.get(), LensFitInput.RIDGE, "1e-3");
        long steps = whole(refineSteps.get(), LensFitInput.REFINE_STEPS, "0 or 50");
        if (steps > Integer.MAX_VALUE) {
            throw new LensFitException(LensFitInput.REFINE_STEPS, w -> w.name(LensFitInput.REFINE_STEPS) + " is too large.");
        }
        return new LensFitRequest(dataPath, outPath, budget, lambda, LensFitRequest.DEFAULT_HELD_OUT, (int) steps,
                KlDescentSettings.DEFAULT_LEARNING_RATE);
    }

    private static Path path(String text, LensFitInput input) {
        if (text == null || text.isBlank()) {
            return null; // the request's check says what to choose
        }
        try {
            return Path.of(text.strip());
        } catch (InvalidPathException e) {
            throw new LensFitException(input, w -> w.name(input) + " is not a path: " + e.getReason() + ".");
        }
    }

    private static long whole(String text, LensFitInput input, String example) {
        try {
            return Long.parseLong(text.strip().replace("_", "").replace(",", ""));
        } catch (NumberFormatException | NullPointerException e) {
            throw new LensFitException(input, w -> w.name(input) + " must be a whole number, like " + example + ".");
        }
    }

    private static double number(String text, LensFitInput input, String example) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new LensFitException(input, w -> w.name(input) + " must be a number, like " + example + ".");
        }
    }

    /** Model thread: keeps the latest report and shows it on the FX thread. */
    private void report(FitProgress p) {
        if (latest.getAndSet(p) == null) {
            Platform.runLater(() -> {
                FitProgress now = latest.getAndSet(null);
                if (now != null && running.get() && !stopping.get()) {
                    progress.set(now.fraction());
                    progressText.set(describe(now, engine.info().shape().nLayer()));
                }
            });
        }
    }

    static String describe(FitProgress p, int layers) {
        String left = Double.isNaN(p.secondsLeft()) ? "" : " · " + duration(p.secondsLeft()) + " left";
        return String.format(Locale.ROOT, "%s · %,d / %,d tokens · %d layers%s", p.phase(), p.tokensDone(), p.tokensTotal(),
                layers, left);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private void finished(LensFitJob.Outcome outcome) {
        running.set(false);
        stopping.set(false);
        progress.set(1);
        AffineLensFit fit = outcome.fit();
        double before = 0;
        double after = 0;
        for (var q : fit.quality()) {
            before += q.klLogitLens();
            after += fit.refined() ? fit.refinement().layers().get(q.layer()).klAfter() : q.klAffineLens();
        }
        int n = fit.quality().size();
        progressText.set(String.format(Locale.ROOT, "Done: mean held-out KL to the final layer %.3f (logit lens) → %.3f (%s)",
                before / n, after / n, fit.refined() ? AffineLensFolder.NAME_REFINED : AffineLensFolder.NAME));
        message.set("Saved to " + outcome.folder() + (useLens == null ? " (inspect --lens reads it)." : "."));
        messageIsError.set(false);
        saved.set(outcome.folder());
    }

    private void failed(Throwable error) {
        running.set(false);
        boolean wasStopping = stopping.get();
        stopping.set(false);
        progress.set(0);
        progressText.set("");
        if (error instanceof RunCancelledException) {
            message.set("Stopped: nothing was written.");
            messageIsError.set(false);
        } else if (error instanceof LensFitException e) {
            problem(e);
        } else if (error instanceof ModelException) {
            message.set(error.getMessage());
            messageIsError.set(true);
        } else {
            message.set((wasStopping ? "Stopped: " : "The fit failed: ") + error.getMessage());
            messageIsError.set(true);
        }
    }

    private void problem(LensFitException e) {
        message.set(e.message(FitLensWords.INSTANCE));
        messageIsError.set(true);
        problemInput.set(e.input().orElse(null));
    }

    public StringProperty dataProperty() {
        return data;
    }

    public StringProperty tokenBudgetProperty() {
        return tokenBudget;
    }

    public StringProperty ridgeProperty() {
        return ridge;
    }

    public StringProperty refineStepsProperty() {
        return refineSteps;
    }

    public StringProperty outProperty() {
        return out;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty stoppingProperty() {
        return stopping.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty messageIsErrorProperty() {
        return messageIsError.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<LensFitInput> problemInputProperty() {
        return problemInput.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> savedProperty() {
        return saved.getReadOnlyProperty();
    }

    public boolean canUseLens() {
        return useLens != null;
    }

    public String modelName() {
        return model.name();
    }
}
