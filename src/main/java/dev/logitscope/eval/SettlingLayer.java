package dev.logitscope.eval;

/**
 * Where a model's per-layer accuracy settles: the first layer from which every later layer's
 * accuracy stays within {@code margin} of the final layer's. It turns "fine-tuning stabilises
 * predictions in earlier layers" into a number that two models (a base and its fine-tune) can be
 * compared by: the earlier it is, the sooner the layers agree with the model's own answer.
 *
 * <p>A layer whose accuracy is not a number (no examples) counts as not settled. The final layer
 * is always within the margin of itself, so the result is at most the final layer.
 */
public final class SettlingLayer {
    /** Two percentage points: below the noise of a few hundred examples, above float rounding. */
    public static final double DEFAULT_MARGIN = 0.02;

    private SettlingLayer() {}

    /**
     * @param accuracy per layer 0..L (0 = embeddings)
     * @param margin   the largest distance from the final accuracy that still counts as settled, ≥ 0
     * @return the settling layer in 0..L
     */
    public static int of(double[] accuracy, double margin) {
        if (accuracy.length == 0) {
            throw new IllegalArgumentException("no layers");
        }
        if (!(margin >= 0)) {
            throw new IllegalArgumentException("the margin must be 0 or more, got " + margin);
        }
        int last = accuracy.length - 1;
        double target = accuracy[last];
        int settled = last;
        // 0.80 − 0.75 is 0.05000000000000004 in doubles: a margin of 0.05 must still include it.
        double reach = margin + 1e-12;
        // Walk down from the final layer while the layers stay within the margin.
        for (int layer = last - 1; layer >= 0; layer--) {
            if (!(Math.abs(accuracy[layer] - target) <= reach)) {
                break;
            }
            settled = layer;
        }
        return settled;
    }
}
