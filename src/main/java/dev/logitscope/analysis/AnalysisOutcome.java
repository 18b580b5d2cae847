package dev.logitscope.analysis;

import dev.logitscope.prompt.PromptException;

/**
 * One review's result in {@link PromptAnalyzer#analyzeAll}: its analysis, or why its prompt could
 * not be built (the others are analysed all the same).
 */
public record AnalysisOutcome(PromptAnalysis analysis, PromptException problem) {

    public AnalysisOutcome {
        if ((analysis == null) == (problem == null)) {
            throw new IllegalArgumentException("an outcome is either an analysis or a problem");
        }
    }

    static AnalysisOutcome of(PromptAnalysis analysis) {
        return new AnalysisOutcome(analysis, null);
    }

    static AnalysisOutcome failed(PromptException problem) {
        return new AnalysisOutcome(null, problem);
    }
}
