package dev.logitscope.ui.lens;

import dev.logitscope.eval.LensFitJob;
import dev.logitscope.eval.LensFitRequest;
import dev.logitscope.eval.LensFitText;
import dev.logitscope.eval.ModelRef;
import dev.logitscope.lens.FitProgress;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.Cancellation;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.concurrent.Service;
import javafx.concurrent.Task;

/**
 * Fits a lens off the FX thread on the loaded engine, through {@link LensFitJob} as {@code fit-lens}
 * does. {@link #requestStop()} ends the fit at the next block or chunk; the task then fails with
 * {@link dev.logitscope.model.RunCancelledException} after the staging folder is gone, so "stopped"
 * is only reported once nothing is left on disk (a Service cancel would report it while the model
 * thread still works).
 */
public final class FitLensService extends Service<LensFitJob.Outcome> {
    private final AtomicBoolean stop = new AtomicBoolean();
    private LensEngine engine;
    private ModelRef model;
    private LensFitRequest request;
    private Consumer<FitProgress> progress = p -> { };

    /** Captured on the FX thread before {@link #restart()}; {@code progress} is called on the model thread. */
    public void setRequest(LensEngine engine, ModelRef model, LensFitRequest request, Consumer<FitProgress> progress) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.model = Objects.requireNonNull(model, "model");
        this.request = Objects.requireNonNull(request, "request");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public void requestStop() {
        stop.set(true);
    }

    @Override
    protected Task<LensFitJob.Outcome> createTask() {
        stop.set(false);
        LensEngine e = engine;
        ModelRef m = model;
        LensFitRequest r = request;
        Consumer<FitProgress> p = progress;
        return new Task<>() {
            @Override
            protected LensFitJob.Outcome call() throws Exception {
                Path staging = null;
                try {
                    staging = LensFitJob.stage(r);
                    LensFitText text = LensFitJob.read(e, r);
                    Path stagingFolder = staging;
                    return Cancellation.callWith(stop::get, () -> LensFitJob.fit(e, m, r, text, stagingFolder, p));
                } finally {
                    LensFitJob.discard(staging);
                }
            }
        };
    }
}
