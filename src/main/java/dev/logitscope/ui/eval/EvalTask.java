package dev.logitscope.ui.eval;

import dev.logitscope.eval.Provenance;
import dev.logitscope.eval.Condition;
import dev.logitscope.eval.EngineSource;
import dev.logitscope.eval.EvalJob;
import dev.logitscope.eval.EvalListener;
import dev.logitscope.eval.EvalRequest;
import dev.logitscope.eval.EvalSummary;
import dev.logitscope.eval.ModelRef;
import dev.logitscope.hub.DownloadProgress;
import dev.logitscope.hub.HubClient;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.ModelLocator;
import dev.logitscope.hub.ModelSource;
import dev.logitscope.plot.EvalPlots;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.concurrent.Task;

/**
 * One evaluation off the FX thread: the shared {@link EvalJob} checks and reads everything, the
 * models are found (downloaded when needed), the run goes into the folder, and the plots are
 * written beside the numbers as the CLI writes them. The summary so far comes out as the task's
 * value each time a condition finishes; a stop request ends the run at the next block (the batch in progress is redone on resume).
 */
final class EvalTask extends Task<EvalOutcome> {
    private final EvalRequest request;
    private final HubSettings hub;
    private final AtomicBoolean stop;
    private final EngineSource engines;
    private final ProgressLine line = new ProgressLine();
    private volatile String activity = "";
    private volatile String lastWarning = "";

    /** @param engines the loaded model's engine, lent, and any other model opened for the run */
    EvalTask(EvalRequest request, HubSettings hub, AtomicBoolean stop, EngineSource engines) {
        this.request = request;
        this.hub = hub;
        this.stop = stop;
        this.engines = engines;
    }

    /** The last thing the run warned about (e.g. an example too long for the model), or "". */
    String lastWarning() {
        return lastWarning;
    }

    @Override
    protected EvalOutcome call() throws Exception {
        updateProgress(-1, 1);
        updateMessage("Reading " + request.dataset().getFileName() + " …");
        EvalJob job = EvalJob.prepare(request);
        if (!job.dataset().skipped().isEmpty()) {
            lastWarning = "skipped " + job.dataset().skipped().size() + " malformed line(s), first "
                    + job.dataset().skipped().get(0);
        }
        List<ModelRef> models = locate();
        EvalSummary summary = job.run(models, engines, new Listener(), this::stopRequested,
                partial -> updateValue(new EvalOutcome(partial, request.out(), job.datasetName(), false, null)));
        String plotWarning = null;
        if (!summary.conditions().isEmpty()) {
            try {
                EvalPlots.write(summary, request.out(), job.datasetName(),
                        Provenance.pictureText(request.out()));
            } catch (IOException | RuntimeException e) {
                plotWarning = "Could not write the plot files: " + e.getMessage(); // the numbers are written
            }
        }
        return new EvalOutcome(summary, request.out(), job.datasetName(), true, plotWarning);
    }

    private boolean stopRequested() {
        return stop.get() || isCancelled();
    }

    /** Every model first (downloading if needed), so a typo in the last fails before the first runs. */
    private List<ModelRef> locate() throws Exception {
        ModelLocator locator = new ModelLocator(new HubClient(hub));
        List<ModelRef> refs = new ArrayList<>();
        for (String model : request.models()) {
            updateMessage("Looking for " + model + " …");
            ModelSource source = locator.locate(model, this::downloading, this::stopRequested);
            refs.add(new ModelRef(model, source.folder()));
        }
        return refs;
    }

    private void downloading(DownloadProgress p) {
        updateMessage("Downloading " + p.describe());
        double fraction = p.fraction();
        updateProgress(fraction < 0 ? -1 : fraction, 1);
    }

    /** The runner's events as the task's progress and message. */
    private final class Listener implements EvalListener {
        @Override
        public void started(long total, long done) {
            line.started(total, done, System.nanoTime());
            updateProgress(done, total);
        }

        @Override
        public void loading(String model) {
            activity = "loading " + model;
            updateMessage(line.describe(System.nanoTime()) + " · " + activity + " …");
        }

        @Override
        public void step(Condition condition, String exampleId) {
            line.step();
            activity = condition.model() + " · " + condition.setting() + " · seed " + condition.seed();
            updateProgress(line.done(), line.total());
            updateMessage(line.describe(System.nanoTime()) + " · " + activity);
        }

        @Override
        public void warning(String message) {
            lastWarning = message;
        }
    }
}
