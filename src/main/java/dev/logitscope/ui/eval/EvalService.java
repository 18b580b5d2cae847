package dev.logitscope.ui.eval;

import dev.logitscope.eval.EngineSource;
import dev.logitscope.eval.EvalRequest;
import dev.logitscope.hub.HubSettings;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.concurrent.Service;
import javafx.concurrent.Task;

/**
 * Runs evaluations on a thread of their own. The loaded model is evaluated on the loaded engine
 * (lent, not opened again); its model thread runs the evaluation's passes and the analysis's work
 * one at a time, so an analysis waits for the pass in progress. {@link #requestStop()} ends the run
 * at the next block of the batch in progress (redone on resume), with everything so
 * far written; cancelling would interrupt a model mid-example.
 */
public final class EvalService extends Service<EvalOutcome> {
    private final HubSettings hub;
    private final AtomicBoolean stop = new AtomicBoolean();
    private EvalRequest request;
    private EngineSource engines = EngineSource.OPEN;
    private EvalTask current;

    public EvalService(HubSettings hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
    }

    /** Captured on the FX thread before {@link #restart()}. */
    public void setRequest(EvalRequest request, EngineSource engines) {
        this.request = request;
        this.engines = engines == null ? EngineSource.OPEN : engines;
    }

    public void requestStop() {
        stop.set(true);
    }

    public boolean stopRequested() {
        return stop.get();
    }

    /** The running (or last) task's last warning, or "". */
    public String lastWarning() {
        return current == null ? "" : current.lastWarning();
    }

    @Override
    protected Task<EvalOutcome> createTask() {
        stop.set(false);
        current = new EvalTask(Objects.requireNonNull(request, "request"), hub, stop, engines);
        return current;
    }
}
