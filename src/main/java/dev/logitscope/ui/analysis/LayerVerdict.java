package dev.logitscope.ui.analysis;

import dev.logitscope.lens.TopToken;
import dev.logitscope.prompt.Sentiment;
import java.util.List;
import java.util.Optional;

/**
 * What one layer says about the label.
 *
 * @param layer      0 = embeddings, i = after block i
 * @param name       display name ("embed", "1", …)
 * @param pPositive  full-vocabulary probability of the positive label's first token
 * @param pNegative  the same for the negative label
 * @param normalised P(positive) renormalised over the two labels
 * @param calibrated the normalised probability after contextual calibration, or NaN when off
 * @param predicted  the label this layer would answer (from the calibrated value when calibration is on)
 * @param correct    whether that matches the gold label, when there is one
 * @param ranks      rank of each label token (positive, negative) in the layer's distribution
 * @param top        the layer's most likely next tokens
 */
public record LayerVerdict(int layer, String name, double pPositive, double pNegative, double normalised,
        double calibrated, Sentiment predicted, Optional<Boolean> correct, int[] ranks, List<TopToken> top) {

    public LayerVerdict {
        ranks = ranks.clone();
        top = List.copyOf(top);
    }

    /** The P(positive) the prediction is made from. */
    public double decisive() {
        return Double.isNaN(calibrated) ? normalised : calibrated;
    }
}
