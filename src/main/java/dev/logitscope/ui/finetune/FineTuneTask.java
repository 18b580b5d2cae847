package dev.logitscope.ui.finetune;

import dev.logitscope.finetune.FineTuneJob;
import dev.logitscope.hub.DownloadProgress;
import dev.logitscope.hub.HubClient;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.ModelLocator;
import dev.logitscope.hub.ModelSource;
import dev.logitscope.train.EpochMetrics;
import dev.logitscope.train.TrainingListener;
import dev.logitscope.train.TrainingOutcome;
import dev.logitscope.train.TrainingProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.concurrent.Task;

/**
 * One fine-tuning run off the FX thread: finds the base model (downloading it when needed), then
 * the shared {@link FineTuneJob} reads the data and trains on its own model thread. Progress and
 * the line beside the bar follow every batch; the epochs so far come out as the task's value after
 * each epoch. A stop request ends the run at the next batch (the last complete epoch stays saved).
 */
final class FineTuneTask extends Task<FineTuneOutcome> {
    private final FineTuneJob job;
    private final HubSettings hub;
    private final AtomicBoolean stop;
    private final List<EpochMetrics> earlier;
    private volatile String note = "";

    /** @param earlier the epochs a resumed run did before (shown with the new ones) */
    FineTuneTask(FineTuneJob job, HubSettings hub, AtomicBoolean stop, List<EpochMetrics> earlier) {
        this.job = job;
        this.hub = hub;
        this.stop = stop;
        this.earlier = List.copyOf(earlier);
    }

    /** The job's last report on the data (examples, tokens), or "". */
    String note() {
        return note;
    }

    @Override
    protected FineTuneOutcome call() throws Exception {
        updateProgress(-1, 1);
        Path folder = null;
        String name = null;
        if (job.modelToFind() != null) {
            updateMessage("Looking for " + job.modelToFind() + " …");
            ModelSource source = new ModelLocator(new HubClient(hub)).locate(job.modelToFind(), this::downloading,
                    this::stopRequested);
            folder = source.folder();
            name = source.name();
        }
        updateMessage("Reading the data and loading the model …");
        List<EpochMetrics> epochs = new ArrayList<>(earlier);
        int total = job.recipe().epochs();
        TrainingOutcome outcome = job.run(folder, name, this::noted, this::stopRequested, new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress p) {
                long all = (long) p.epochs() * p.epochExamples();
                updateProgress((long) (p.epoch() - 1) * p.epochExamples() + p.examples(), all);
                updateMessage(FineTuneProgressText.describe(p));
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                epochs.add(m);
                updateValue(new FineTuneOutcome(job.out(), epochs, total, false, false, m.epoch()));
            }
        });
        return new FineTuneOutcome(job.out(), outcome.state().epochs(), total, true, outcome.stopped(),
                outcome.state().completedEpochs());
    }

    private void noted(String line) {
        note = line;
        updateMessage(line);
    }

    private boolean stopRequested() {
        return stop.get() || isCancelled();
    }

    private void downloading(DownloadProgress p) {
        updateMessage("Downloading " + p.describe());
        double fraction = p.fraction();
        updateProgress(fraction < 0 ? -1 : fraction, 1);
    }
}
