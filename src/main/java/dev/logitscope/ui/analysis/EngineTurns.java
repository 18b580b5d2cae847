package dev.logitscope.ui.analysis;

import dev.logitscope.model.ModelException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Whose turn it is on the loaded engine. The Evaluate tab borrows the loaded engine instead of
 * loading the model again; while its run has the engine, an analysis is refused with a message
 * (and runs again when the run ends), and the run starts only after an analysis in progress ends.
 * So the run's KV caches are its own and its numbers are the command line's, bit for bit.
 */
public final class EngineTurns {
    static final String BUSY = "The model is busy evaluating a dataset (Evaluate tab); the analysis continues when"
            + " the run ends, or press Stop there.";

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

    /** An analyzer that takes an analysis turn, or fails with {@link #BUSY} while a run has the engine. */
    public Analyzer guard(Analyzer analyzer) {
        return new Analyzer() {
            @Override
            public AnalysisResult analyze(AnalysisJob request) throws ModelException {
                return analyze(request, early -> { });
            }

            @Override
            public AnalysisResult analyze(AnalysisJob request, Consumer<AnalysisResult> early) throws ModelException {
                if (!lock.readLock().tryLock()) {
                    throw new ModelException(BUSY);
                }
                try {
                    return analyzer.analyze(request, early);
                } finally {
                    lock.readLock().unlock();
                }
            }
        };
    }

    /** A run's turn: waits for the analysis in progress, then holds analyses off. Eval thread. */
    public void evaluating() {
        lock.writeLock().lock();
    }

    /** The run is done with the engine (the same thread as {@link #evaluating()}). */
    public void evaluated() {
        lock.writeLock().unlock();
    }
}
