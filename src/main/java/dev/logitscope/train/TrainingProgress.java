package dev.logitscope.train;

/**
 * Where a run is, after a batch.
 *
 * @param examples          examples done in this epoch
 * @param meanLoss          mean training loss of this epoch so far
 * @param examplesPerSecond over this epoch so far
 * @param secondsLeft       until the last epoch ends, at this rate
 */
public record TrainingProgress(int epoch, int epochs, int batch, int batches, int examples, int epochExamples,
        double meanLoss, double examplesPerSecond, double secondsLeft) {}
