package dev.logitscope.lens;

import java.util.List;

/**
 * What a KL-descent refinement did ({@link KlDescent}), for config.json and the table.
 *
 * @param steps           optimizer updates
 * @param learningRate    the peak learning rate (after the warm-up, before the linear decay)
 * @param warmupSteps     updates of linear warm-up from 0
 * @param weightDecay     AdamW's decoupled weight decay on every translator entry
 * @param clipNorm        the global L2 norm the gradients were clipped to
 * @param tokensPerStep   at most this many training tokens per update (one pass of documents)
 * @param tokens          training tokens seen over all updates (documents are cycled in file order)
 * @param checkTokens     tokens of the last training pass (not trained on by the descent unless it is
 *                        the only one), on which each layer's descended translator was checked
 *                        against its least-squares start
 * @param firstLoss       the training loss (Σ over layers of the mean KL) of the first update's batch
 * @param lastLoss        the same for the last update's batch
 * @param layers          per hidden state, held-out KL and R² before (the least-squares start) and after
 * @param seconds         the descent and the held-out pass after it
 */
public record KlDescentRecord(int steps, double learningRate, int warmupSteps, double weightDecay, double clipNorm,
        int tokensPerStep, long tokens, int checkTokens, double firstLoss, double lastLoss, List<RefinedLayer> layers, double seconds) {

    public KlDescentRecord {
        layers = List.copyOf(layers);
    }

    /**
     * One hidden state's held-out figures around the refinement.
     *
     * @param klBefore mean KL(final ‖ lens) of the least-squares translator, nats
     * @param klAfter  the same for the refined translator
     * @param r2After  1 − Σ‖h_L − (h + W·h + b)‖² / Σ‖h_L − h̄_L‖² of the refined translator
     * @param refined  whether the descended translator was kept (its loss on the check batch was lower),
     *                 else the least-squares one was (and klAfter is that one's)
     * @param checkBefore the least-squares translator's mean KL on the check batch
     * @param checkAfter  the descended translator's
     */
    public record RefinedLayer(int layer, double klBefore, double klAfter, double r2After, boolean refined,
            double checkBefore, double checkAfter) {}
}
