package dev.logitscope.train;

import java.util.List;

/**
 * How far a run has got: after a whole epoch only, since a checkpoint is only taken there.
 *
 * @param completedEpochs epochs done (0 before training)
 * @param steps           optimizer updates done
 */
public record TrainingState(int completedEpochs, long steps, List<EpochMetrics> epochs) {
    public TrainingState {
        epochs = List.copyOf(epochs);
    }

    public static final TrainingState START = new TrainingState(0, 0, List.of());
}
