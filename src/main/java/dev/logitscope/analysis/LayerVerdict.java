package dev.logitscope.analysis;

import dev.logitscope.prompt.Sentiment;

/**
 * What one layer concludes about a prompt (next-token method: the lens at the last position).
 *
 * @param layer              0 = embeddings, i = after block i
 * @param name               display name ("embed", "block 3")
 * @param pPositive          full-vocabulary probability of the positive label's first token
 * @param pNegative          full-vocabulary probability of the negative label's first token
 * @param normalizedPositive P(positive) renormalised over the two labels
 * @param logOdds            ln(p_pos / p_neg)
 * @param prediction         positive when {@code normalizedPositive ≥ 0.5}
 * @param correct            whether the prediction matches the gold label; null without one
 * @param calibrated         the calibrated verdict, or null when calibration was not asked for
 */
public record LayerVerdict(int layer, String name, double pPositive, double pNegative, double normalizedPositive,
        double logOdds, Sentiment prediction, Boolean correct, Calibrated calibrated) {

    /** The raw verdict of one layer from its two label probabilities. */
    public static LayerVerdict of(int layer, String name, double pPositive, double pNegative, Sentiment gold) {
        double normalized = LabelOdds.normalizedPositive(pPositive, pNegative);
        Sentiment prediction = LabelOdds.predict(normalized);
        return new LayerVerdict(layer, name, pPositive, pNegative, normalized, LabelOdds.logOdds(pPositive, pNegative),
                prediction, LabelOdds.correct(prediction, gold), null);
    }

    public LayerVerdict withCalibrated(Calibrated value) {
        return new LayerVerdict(layer, name, pPositive, pNegative, normalizedPositive, logOdds, prediction, correct, value);
    }

    /** P(positive) over the two labels as the prediction uses it: calibrated when calibration is on. */
    public double decisivePositive() {
        return calibrated == null ? normalizedPositive : calibrated.normalizedPositive();
    }
}
