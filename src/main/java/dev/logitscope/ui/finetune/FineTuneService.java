package dev.logitscope.ui.finetune;

import dev.logitscope.finetune.FineTuneJob;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.train.EpochMetrics;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.concurrent.Service;
import javafx.concurrent.Task;

/**
 * Runs fine-tuning on a thread of its own (the job trains on a model thread of its own, so the
 * analysis keeps the loaded model). {@link #requestStop()} ends the run at the next batch, as
 * Ctrl-C does for {@code finetune}: the last complete epoch's checkpoint stays; cancelling would
 * interrupt a checkpoint being written.
 */
public final class FineTuneService extends Service<FineTuneOutcome> {
    private final HubSettings hub;
    private final AtomicBoolean stop = new AtomicBoolean();
    private FineTuneJob job;
    private List<EpochMetrics> earlier = List.of();
    private FineTuneTask current;

    public FineTuneService(HubSettings hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
    }

    /** Captured on the FX thread before {@link #restart()}. */
    public void setJob(FineTuneJob job, List<EpochMetrics> earlier) {
        this.job = job;
        this.earlier = List.copyOf(earlier);
    }

    public void requestStop() {
        stop.set(true);
    }

    public boolean stopRequested() {
        return stop.get();
    }

    /** The running (or last) run's report on its data, or "". */
    public String note() {
        return current == null ? "" : current.note();
    }

    @Override
    protected Task<FineTuneOutcome> createTask() {
        stop.set(false);
        current = new FineTuneTask(Objects.requireNonNull(job, "job"), hub, stop, earlier);
        return current;
    }
}
