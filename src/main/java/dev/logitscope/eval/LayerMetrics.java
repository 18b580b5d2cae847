package dev.logitscope.eval;

/**
 * One layer of one condition, over its examples.
 *
 * @param layer               0 = embeddings, i = after block i
 * @param accuracy            share predicted right (argmax over the two labels)
 * @param calibratedAccuracy  each label's renormalised probability thresholded at its median across
 *                            the examples, ½ credit at the median (Halawi et al.), see
 *                            {@link Metrics#medianThresholdAccuracy}
 * @param meanPGold           mean renormalised probability of the gold label
 * @param meanPGoldVocab      mean of the gold label's {@code p_positive}/{@code p_negative} as in
 *                            examples.csv (next-token: its full-vocabulary probability)
 * @param overthinkingRate    share of examples this layer gets right with margin δ while the final
 *                            layer gets them wrong (0 at the final layer)
 * @param contextualAccuracy  accuracy after contextual calibration ({@code --calibrate}), or null
 */
public record LayerMetrics(int layer, double accuracy, double calibratedAccuracy, double meanPGold,
        double meanPGoldVocab, double overthinkingRate, Double contextualAccuracy) {}
