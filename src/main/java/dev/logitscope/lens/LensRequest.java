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
 * @param windowStart with {@link Positions#ALL}, the first position to read (0 for all)
 * @param windowEnd  with {@link Positions#ALL}, one past the last position to read, or -1 for the
 *                   end of the prompt (the app reads the grid's visible columns first)
 * @param lens       which lens reads the layers (the tracked ids are class indices for the classifier-head lens)
 */
public record LensRequest(int[] trackedIds, int topK, Positions positions, boolean midBlock, boolean nextTokenLogProbs,
        int windowStart, int windowEnd, LensChoice lens) {

    public enum Positions { LAST, ALL }

    public LensRequest {
        trackedIds = trackedIds.clone();
        lens = lens == null ? LensChoice.LOGIT : lens;
        if (topK < 0 || topK > 1000) {
            throw new IllegalArgumentException("top-k must be between 0 and 1000, got " + topK);
        }
        if (windowStart < 0 || (windowEnd != -1 && windowEnd <= windowStart)) {
            throw new IllegalArgumentException("bad position window " + windowStart + ".." + windowEnd);
        }
    }

    /** Read through the plain logit lens. */
    public LensRequest(int[] trackedIds, int topK, Positions positions, boolean midBlock, boolean nextTokenLogProbs) {
        this(trackedIds, topK, positions, midBlock, nextTokenLogProbs, 0, -1, LensChoice.LOGIT);
    }

    public LensRequest(int[] trackedIds, int topK, Positions positions, boolean midBlock, boolean nextTokenLogProbs,
            LensChoice lens) {
        this(trackedIds, topK, positions, midBlock, nextTokenLogProbs, 0, -1, lens);
    }

    /** The same request read through {@code other}. */
    public LensRequest withLens(LensChoice other) {
        return new LensRequest(trackedIds, topK, positions, midBlock, nextTokenLogProbs, windowStart, windowEnd, other);
    }

    /** Positions {@code from .. to-1} only (clipped to the prompt): the visible part of the grid. */
    public static LensRequest window(int[] trackedIds, int topK, int from, int to) {
        return new LensRequest(trackedIds, topK, Positions.ALL, false, false, from, to, LensChoice.LOGIT);
    }

    /** The first position read in a prompt of {@code length} tokens. */
    public int firstPosition(int length) {
        return positions == Positions.LAST ? length - 1 : Math.min(windowStart, length - 1);
    }

    /** One past the last position read in a prompt of {@code length} tokens. */
    public int endPosition(int length) {
        return positions == Positions.LAST || windowEnd == -1 ? length : Math.max(Math.min(windowEnd, length), firstPosition(length) + 1);
    }

    public static LensRequest lastPosition(int[] trackedIds, int topK) {
        return new LensRequest(trackedIds, topK, Positions.LAST, false, false);
    }

    /** Every position, with the log-probability of each next prompt token. */
    public static LensRequest allPositions(int[] trackedIds, int topK, boolean nextTokenLogProbs) {
        return new LensRequest(trackedIds, topK, Positions.ALL, false, nextTokenLogProbs);
    }
}
