package dev.logitscope.analysis;

import java.util.List;

/**
 * What each layer predicts when the review carries no content (Zhao et al.'s p_cf): the raw
 * full-vocabulary probabilities of the label tokens, averaged over the content-free inputs, then
 * normalised over the label set.
 *
 * @param inputs       the content-free reviews used, e.g. "N/A", "", "[MASK]"
 * @param meanPositive per layer 0..L, the mean over the inputs of P(positive label's first token)
 * @param meanNegative per layer 0..L, the same for the negative label
 */
public record ContentFreeBaseline(List<String> inputs, double[] meanPositive, double[] meanNegative) {

    public ContentFreeBaseline {
        inputs = List.copyOf(inputs);
        if (meanPositive.length != meanNegative.length) {
            throw new IllegalArgumentException(meanPositive.length + " and " + meanNegative.length + " layers");
        }
        meanPositive = meanPositive.clone();
        meanNegative = meanNegative.clone();
    }

    @Override
    public double[] meanPositive() {
        return meanPositive.clone();
    }

    @Override
    public double[] meanNegative() {
        return meanNegative.clone();
    }

    /** p_cf of the positive label at {@code layer}: the mean raw probabilities normalised to sum to 1. */
    public double positive(int layer) {
        return LabelOdds.normalizedPositive(meanPositive[layer], meanNegative[layer]);
    }

    /** p_cf of the positive label per layer 0..L. */
    public double[] normalizedPositive() {
        double[] out = new double[layers()];
        for (int l = 0; l < out.length; l++) {
            out[l] = positive(l);
        }
        return out;
    }

    public int layers() {
        return meanPositive.length;
    }
}
