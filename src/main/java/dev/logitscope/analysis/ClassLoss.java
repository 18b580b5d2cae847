package dev.logitscope.analysis;

import dev.logitscope.prompt.Sentiment;

/**
 * The loss method's reading of one class-conditioned prompt.
 *
 * @param cls             the class the prompt is conditioned on
 * @param prompt          the full prompt, e.g. "This is an example of positive text: …"
 * @param reviewPositions token positions scored (the review's tokens, each predicted by the
 *                        position before it)
 * @param meanLoss        per layer 0..L, the mean −ln p of those tokens under that layer's lens, in nats
 */
public record ClassLoss(Sentiment cls, String prompt, int[] reviewPositions, double[] meanLoss) {

    public ClassLoss {
        reviewPositions = reviewPositions.clone();
        meanLoss = meanLoss.clone();
    }

    @Override
    public int[] reviewPositions() {
        return reviewPositions.clone();
    }

    @Override
    public double[] meanLoss() {
        return meanLoss.clone();
    }

    public double loss(int layer) {
        return meanLoss[layer];
    }
}
