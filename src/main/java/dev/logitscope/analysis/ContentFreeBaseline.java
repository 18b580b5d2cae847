package dev.logitscope.analysis;

import java.util.List;

/**
 * What each layer predicts when the review carries no content (Zhao et al.'s p_cf): the raw
 * full-vocabulary probabilities of the label tokens, averaged over the content-free inputs, then
 * normalised over the label set.
 *
 * @param inputs the content-free reviews used, e.g. "N/A", "", "[MASK]"
 * @param mean   [layer 0..L][label] the mean over the inputs of P(the label's first token)
 */
public record ContentFreeBaseline(List<String> inputs, double[][] mean) {

    public ContentFreeBaseline {
        inputs = List.copyOf(inputs);
        double[][] copy = new double[mean.length][];
        for (int l = 0; l < mean.length; l++) {
            if (mean[l].length != mean[0].length || mean[l].length < 2) {
                throw new IllegalArgumentException("layer " + l + " has " + mean[l].length + " labels");
            }
            copy[l] = mean[l].clone();
        }
        mean = copy;
    }

    /** The two-label baseline from its positive and negative columns. */
    public ContentFreeBaseline(List<String> inputs, double[] meanPositive, double[] meanNegative) {
        this(inputs, pairs(meanPositive, meanNegative));
    }

    private static double[][] pairs(double[] positive, double[] negative) {
        if (positive.length != negative.length) {
            throw new IllegalArgumentException(positive.length + " and " + negative.length + " layers");
        }
        double[][] out = new double[positive.length][];
        for (int l = 0; l < positive.length; l++) {
            out[l] = new double[] {positive[l], negative[l]};
        }
        return out;
    }

    @Override
    public double[][] mean() {
        double[][] out = new double[mean.length][];
        for (int l = 0; l < mean.length; l++) {
            out[l] = mean[l].clone();
        }
        return out;
    }

    public int labels() {
        return mean.length == 0 ? 0 : mean[0].length;
    }

    /** Per layer the mean raw probability of label 0 (positive for two labels). */
    public double[] meanPositive() {
        return column(0);
    }

    /** Per layer the mean raw probability of label 1 (negative for two labels). */
    public double[] meanNegative() {
        return column(1);
    }

    private double[] column(int label) {
        double[] out = new double[mean.length];
        for (int l = 0; l < out.length; l++) {
            out[l] = mean[l][label];
        }
        return out;
    }

    /** p_cf at {@code layer}: the mean raw probabilities normalised over the labels ({@link LabelOdds#normalize}). */
    public double[] normalized(int layer) {
        return LabelOdds.normalize(mean[layer]);
    }

    /** p_cf of the positive label at {@code layer} (label 0). */
    public double positive(int layer) {
        return normalized(layer)[0];
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
        return mean.length;
    }
}
