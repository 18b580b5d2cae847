package dev.logitscope.ui.eval;

import dev.logitscope.eval.EvalSummary;
import java.nio.file.Path;

/**
 * What an evaluation has so far (while it runs) or in the end.
 *
 * @param folder      the run folder
 * @param datasetName how the plots name the dataset
 * @param finished    false while the run is still going
 * @param plotWarning why the plot files could not be written, or null
 */
public record EvalOutcome(EvalSummary summary, Path folder, String datasetName, boolean finished, String plotWarning) {
}
