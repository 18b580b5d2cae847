package dev.logitscope.analysis;

import dev.logitscope.prompt.Sentiment;

/**
 * The loss method's reading of one class-conditioned prompt.
 *
 * @param cls             the class the prompt is conditioned on
 * @param prompt          the full prompt, e.g. "This is an example of positive text: …"
 * @param scoredPositions token positions whose loss is averaged (each predicted by the position
 *                        before it): 1..n−1 for {@link LossSpan#WHOLE}, the review's for {@link LossSpan#REVIEW}
 * @param reviewPositions the review's token positions (position 0 aside), whatever the span
 * @param meanLoss        per layer 0..L, the mean −ln p of the scored tokens under that layer's lens, in nats
 */
public record ClassLoss(Sentiment cls, String prompt, int[] scoredPositions, int[] reviewPositions, double[] meanLoss) {

    public ClassLoss {
        scoredPositions = scoredPositions.clone();
        reviewPositions = reviewPositions.clone();
        meanLoss = meanLoss.clone();
    }

    @Override
    public int[] scoredPositions() {
        return scoredPositions.clone();
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
