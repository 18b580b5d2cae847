package dev.logitscope.analysis;

import java.util.List;

/**
 * What each layer predicts when the review carries no content: the average, over the
 * content-free inputs, of the label distribution renormalised over the label set (p_cf).
 *
 * @param inputs             the content-free reviews used, e.g. "N/A", "", "[MASK]"
 * @param normalizedPositive per layer 0..L, the averaged renormalised P(positive)
 */
public record ContentFreeBaseline(List<String> inputs, double[] normalizedPositive) {

    public ContentFreeBaseline {
        inputs = List.copyOf(inputs);
        normalizedPositive = normalizedPositive.clone();
    }

    @Override
    public double[] normalizedPositive() {
        return normalizedPositive.clone();
    }

    public double positive(int layer) {
        return normalizedPositive[layer];
    }

    public int layers() {
        return normalizedPositive.length;
    }
}
