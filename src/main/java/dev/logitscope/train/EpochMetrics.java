package dev.logitscope.train;

/**
 * What one epoch did.
 *
 * @param trainLoss         mean cross-entropy over the epoch's batches, weighted by batch size
 * @param devAccuracy       accuracy on the dev set after the epoch (NaN without one)
 * @param devLoss           mean cross-entropy on the dev set (NaN without one)
 * @param seconds           wall time of the epoch's training steps (the dev pass not included)
 * @param residentMb        the process's resident memory after the epoch (−1 where unknown)
 * @param batchMb           how far resident memory rose above its level before the epoch's first
 *                          step during the epoch's steps (peak RSS, VmHWM, reset per epoch): what a
 *                          batch's activations, graph and gradients take (−1 where unknown)
 * @param peakMb            the peak resident memory during the epoch's steps (VmHWM, reset per epoch; −1 where unknown)
 * @param liveArrays        DJL's native arrays alive under the run's manager after the epoch (weights, optimizer
 *                          state and nothing else when nothing leaks; −1 where unknown)
 * @param heapMb            the JVM heap committed after the epoch (part of {@code residentMb}; −1 where unknown)
 */
public record EpochMetrics(int epoch, double trainLoss, double devAccuracy, double devLoss, double seconds,
        double examplesPerSecond, long residentMb, long batchMb, long peakMb, long liveArrays, long heapMb) {

    /** An epoch whose peak, live arrays and heap are unknown (−1). */
    public EpochMetrics(int epoch, double trainLoss, double devAccuracy, double devLoss, double seconds,
            double examplesPerSecond, long residentMb, long batchMb) {
        this(epoch, trainLoss, devAccuracy, devLoss, seconds, examplesPerSecond, residentMb, batchMb, -1, -1, -1);
    }
}
