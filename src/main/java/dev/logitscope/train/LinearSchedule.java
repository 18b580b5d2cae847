package dev.logitscope.train;

/**
 * transformers' {@code get_linear_schedule_with_warmup}: the learning rate rises linearly from 0
 * over the warm-up steps, then falls linearly to 0 at the last step. Step k (from 0) is the k-th
 * optimizer update, so the first update of a run with warm-up has learning rate 0, as there.
 *
 * @param totalSteps  every update of the run (all epochs)
 * @param warmupSteps ⌊warm-up ratio × total⌋
 */
public record LinearSchedule(long totalSteps, long warmupSteps) {

    public static LinearSchedule of(long totalSteps, double warmupRatio) {
        return new LinearSchedule(totalSteps, (long) Math.floor(warmupRatio * totalSteps));
    }

    /** The multiplier of the base learning rate at update {@code step}. */
    public double factor(long step) {
        if (step < warmupSteps) {
            return (double) step / Math.max(1, warmupSteps);
        }
        return Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }
}
