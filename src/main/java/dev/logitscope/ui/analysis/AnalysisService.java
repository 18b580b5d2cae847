package dev.logitscope.ui.analysis;

import javafx.concurrent.Service;
import javafx.concurrent.Task;

/** Runs one captured request off the FX thread; the engine itself queues the work on its model thread. */
final class AnalysisService extends Service<AnalysisResult> {
    private final Analyzer analyzer;
    private AnalysisJob request; // set on the FX thread before each start

    AnalysisService(Analyzer analyzer) {
        this.analyzer = analyzer;
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
        return new Task<>() {
            @Override
            protected AnalysisResult call() throws Exception {
                // updateValue publishes the early result to the value property on the FX thread.
                return analyzer.analyze(captured, this::updateValue);
            }
        };
    }
}
