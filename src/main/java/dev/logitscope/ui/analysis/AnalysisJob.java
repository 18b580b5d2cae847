package dev.logitscope.ui.analysis;

import dev.logitscope.analysis.GridPositions;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.ui.prompt.PromptSettings;
import java.util.Objects;

/**
 * One analysis, captured on the FX thread and read on the analysis thread.
 *
 * @param generation the scheduler's counter when it was made; a result of an older generation is dropped
 * @param grid       also read the token × layer grid
 * @param gridPositions which positions the grid reads
 * @param compare    also run correct, flipped and zero-shot demonstrations for the trajectory overlay
 */
public record AnalysisJob(long generation, LensEngine engine, PromptSettings settings, String review, boolean grid,
        GridPositions gridPositions, boolean compare) {

    public AnalysisJob {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(review, "review");
        Objects.requireNonNull(gridPositions, "gridPositions");
    }
}
