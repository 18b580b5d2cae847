package dev.logitscope.lens;

/**
 * What to read from a forward pass.
 *
 * @param trackedIds token ids whose probabilities and ranks are reported at every layer
 * @param topK       how many top tokens per layer and position (0 for none)
 * @param positions  the last position only, or every position (the token × layer grid)
 * @param midBlock   also read the mid-block taps (after attention, before the MLP)
 */
public record LensRequest(int[] trackedIds, int topK, Positions positions, boolean midBlock) {

    public enum Positions { LAST, ALL }

    public LensRequest {
        trackedIds = trackedIds.clone();
        if (topK < 0 || topK > 1000) {
            throw new IllegalArgumentException("top-k must be between 0 and 1000, got " + topK);
        }
    }

    public static LensRequest lastPosition(int[] trackedIds, int topK) {
        return new LensRequest(trackedIds, topK, Positions.LAST, false);
    }
}
