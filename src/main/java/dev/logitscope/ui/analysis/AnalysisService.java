package dev.logitscope.ui.analysis;

import dev.logitscope.model.Cancellation;
import java.util.function.LongFunction;
import javafx.concurrent.Service;
import javafx.concurrent.Task;

/** Runs one captured request off the FX thread; the engine itself queues the work on its model thread. */
final class AnalysisService extends Service<AnalysisResult> {
    private final Analyzer analyzer;
    private final LongFunction<Cancellation> cancellation;
    private AnalysisJob request; // set on the FX thread before each start

    /** @param cancellation per generation, requested once that generation is superseded */
    AnalysisService(Analyzer analyzer, LongFunction<Cancellation> cancellation) {
        this.analyzer = analyzer;
        this.cancellation = cancellation;
        setExecutor(command -> {
            Thread t = new Thread(command, "analysis");
            t.setDaemon(true);
            t.start();
        });
    }

    void setRequest(AnalysisJob request) {
        this.request = request;
    }

    AnalysisJob request() {
        return request;
    }

    @Override
    protected Task<AnalysisResult> createTask() {
        AnalysisJob captured = request;
        Cancellation superseded = cancellation.apply(captured.generation());
        return new Task<>() {
            @Override
            protected AnalysisResult call() throws Exception {
                // Every engine call of the analysis stops between blocks once a newer one is asked for.
                // updateValue publishes the early result to the value property on the FX thread.
                return Cancellation.callWith(superseded, () -> analyzer.analyze(captured, this::updateValue));
            }
        };
    }
}
