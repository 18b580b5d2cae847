package dev.logitscope.ui.analysis;

import dev.logitscope.model.ModelException;

/** Turns a request into the numbers the window shows. Runs off the FX thread. */
@FunctionalInterface
public interface Analyzer {
    AnalysisResult analyze(AnalysisJob request) throws ModelException;

    /**
     * As {@link #analyze(AnalysisJob)}, telling {@code early} a first result as soon as the label
     * heatmap's numbers exist, before the slower grid and overlay (an analyzer without slower parts
     * need not call it).
     */
    default AnalysisResult analyze(AnalysisJob request, java.util.function.Consumer<AnalysisResult> early)
            throws ModelException {
        return analyze(request);
    }
}
