package dev.logitscope.ui.analysis;

import dev.logitscope.analysis.GridPositions;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.ui.prompt.PromptSettings;
import java.util.List;
import java.util.Objects;

/**
 * One analysis, captured on the FX thread and read on the analysis thread.
 *
 * @param generation the scheduler's counter when it was made; a result of an older generation is dropped
 * @param grid       also read the token × layer grid
 * @param gridPositions which positions the grid reads
 * @param compare    also run correct, flipped and zero-shot demonstrations for the trajectory overlay
 * @param lenses     the lenses to read through, the primary first (never empty)
 * @param gridLens   the lens the grid reads through (one of {@code lenses}; else the primary)
 * @param compared   a second model to analyse the same request with (before vs. after fine-tuning), or null
 * @param comparedLens the lens the second model is read through (a fine-tuned classifier's head, say), or null
 *                   for the primary lens
 */
public record AnalysisJob(long generation, LensEngine engine, PromptSettings settings, String review, boolean grid,
        GridPositions gridPositions, boolean compare, List<LensChoice> lenses, LensChoice gridLens, LensEngine compared,
        LensChoice comparedLens) {

    public AnalysisJob {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(review, "review");
        Objects.requireNonNull(gridPositions, "gridPositions");
        lenses = lenses == null || lenses.isEmpty() ? List.of(LensChoice.LOGIT) : List.copyOf(lenses);
        gridLens = gridLens != null && lenses.contains(gridLens) ? gridLens : lenses.get(0);
    }

    /** Through the logit lens alone. */
    public AnalysisJob(long generation, LensEngine engine, PromptSettings settings, String review, boolean grid,
            GridPositions gridPositions, boolean compare) {
        this(generation, engine, settings, review, grid, gridPositions, compare, null, null);
    }

    /** One model through {@code lenses}. */
    public AnalysisJob(long generation, LensEngine engine, PromptSettings settings, String review, boolean grid,
            GridPositions gridPositions, boolean compare, List<LensChoice> lenses, LensChoice gridLens) {
        this(generation, engine, settings, review, grid, gridPositions, compare, lenses, gridLens, null, null);
    }

    /**
     * The second model's part of this job: the same settings and review on its engine, through its
     * own lens (else the primary one), without the grid (the grid tab shows the first model).
     */
    public AnalysisJob forCompared() {
        LensChoice lens = comparedLens != null ? comparedLens : lenses.get(0);
        return new AnalysisJob(generation, compared, settings, review, false, gridPositions, compare, List.of(lens),
                lens, null, null);
    }
}
