package dev.logitscope.ui.analysis;

import dev.logitscope.model.ModelException;

/** Turns a request into the numbers the window shows. Runs off the FX thread. */
@FunctionalInterface
public interface Analyzer {
    AnalysisResult analyze(AnalysisJob request) throws ModelException;
}
