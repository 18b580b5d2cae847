package dev.logitscope.ui.analysis;

import dev.logitscope.model.ModelException;
import dev.logitscope.model.RunCancelledException;
import java.util.concurrent.atomic.AtomicLong;
import dev.logitscope.prompt.PromptException;
import java.util.function.LongFunction;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs analyses one at a time. A request made while one runs waits; a newer one replaces it, so
 * typing fast never builds a queue. Every request takes a generation number, and a result whose
 * generation is no longer the latest is dropped. The running analysis is also cancelled as soon
 * as a newer request (or an invalidation) comes: it stops at its next block, so the newer one
 * does not wait for a stale run to finish. FX thread only.
 */
public final class AnalysisScheduler {
    private static final Logger log = LoggerFactory.getLogger(AnalysisScheduler.class);

    private final AnalysisService service;
    private final ReadOnlyObjectWrapper<AnalysisResult> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    /** Why the latest request failed, "" when it did not (or a newer one replaced it). */
    private final ReadOnlyStringWrapper failure = new ReadOnlyStringWrapper(this, "failure", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private long generation;
    /** {@link #generation}, readable from the model thread: a run whose generation differs is superseded. */
    private final AtomicLong latest = new AtomicLong();
    private AnalysisJob pending;

    public AnalysisScheduler(Analyzer analyzer) {
        service = new AnalysisService(analyzer, mine -> () -> latest.get() != mine);
        service.setOnSucceeded(e -> finished(service.getValue(), null));
        // An early result (the heatmap before the grid and overlay) is shown while its request is current.
        service.valueProperty().addListener((obs, old, early) -> {
            if (early != null && service.isRunning() && early.generation() == generation) {
                result.set(early);
            }
        });
        service.setOnFailed(e -> finished(null, service.getException()));
    }

    /** Makes a request with the next generation and runs it now or after the running one. */
    public void submit(LongFunction<AnalysisJob> request) {
        AnalysisJob next = request.apply(++generation);
        latest.set(generation);
        busy.set(true);
        if (service.isRunning()) {
            pending = next;
        } else {
            start(next);
        }
    }

    /** Drops whatever is running or pending (the model changed, the review was cleared). */
    public void invalidate(String message) {
        generation++;
        latest.set(generation);
        pending = null;
        failure.set("");
        error.set(message);
        busy.set(service.isRunning());
    }

    public long generation() {
        return generation;
    }

    private void start(AnalysisJob next) {
        service.setRequest(next);
        service.reset();
        service.start();
    }

    private void finished(AnalysisResult value, Throwable failure) {
        // A cancelled run was superseded: nothing to show, the newer request follows.
        boolean current = service.request().generation() == generation && !(failure instanceof RunCancelledException);
        if (current && value != null) {
            this.failure.set("");
            result.set(value);
            error.set("");
        } else if (current) {
            String why = message(failure);
            this.failure.set(why);
            error.set(why);
        }
        if (pending != null) {
            AnalysisJob next = pending;
            pending = null;
            start(next);
        } else {
            busy.set(false);
        }
    }

    private static String message(Throwable failure) {
        if (failure instanceof ModelException || failure instanceof PromptException) {
            return failure.getMessage();
        }
        log.error("analysis failed", failure);
        return "The analysis failed: " + failure;
    }

    public ReadOnlyObjectProperty<AnalysisResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty failureProperty() {
        return failure.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}
