package dev.logitscope.lens;

/**
 * What to read from a forward pass.
 *
 * @param trackedIds token ids whose probabilities and ranks are reported at every layer
 * @param topK       how many top tokens per layer and position (0 for none)
 * @param positions  the last position only, or every position (the token × layer grid)
 * @param midBlock   also read the mid-block taps (after attention, before the MLP)
 * @param nextTokenLogProbs also report, at each position but the last, the log-probability of the
 *                   prompt's actual next token (what loss-based scoring needs)
 */
public record LensRequest(int[] trackedIds, int topK, Positions positions, boolean midBlock, boolean nextTokenLogProbs) {

    public enum Positions { LAST, ALL }

    public LensRequest {
        trackedIds = trackedIds.clone();
        if (topK < 0 || topK > 1000) {
            throw new IllegalArgumentException("top-k must be between 0 and 1000, got " + topK);
        }
    }

    public static LensRequest lastPosition(int[] trackedIds, int topK) {
        return new LensRequest(trackedIds, topK, Positions.LAST, false, false);
    }

    /** Every position, with the log-probability of each next prompt token. */
    public static LensRequest allPositions(int[] trackedIds, int topK, boolean nextTokenLogProbs) {
        return new LensRequest(trackedIds, topK, Positions.ALL, false, nextTokenLogProbs);
    }
}
