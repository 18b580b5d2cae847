package dev.logitscope.ui.finetune;

import dev.logitscope.train.EpochMetrics;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run has so far (while it runs) or in the end.
 *
 * @param epochs          every epoch done, the resumed run's earlier ones included
 * @param done            false while the run is still going
 * @param stopped         it ended on Stop before its last epoch
 * @param completedEpochs the epochs the output folder's checkpoint holds
 */
public record FineTuneOutcome(Path folder, List<EpochMetrics> epochs, int totalEpochs, boolean done, boolean stopped,
        int completedEpochs) {
    public FineTuneOutcome {
        epochs = List.copyOf(epochs);
    }
}
