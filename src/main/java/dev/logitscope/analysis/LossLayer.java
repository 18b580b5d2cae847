package dev.logitscope.analysis;

import dev.logitscope.prompt.Sentiment;

/**
 * One layer's verdict by the loss method.
 *
 * @param lossPositive       mean loss of the positive-class prompt's scored tokens, nats per token
 * @param lossNegative       the same for the negative-class prompt
 * @param normalizedPositive exp(−loss_pos) / (exp(−loss_pos) + exp(−loss_neg)): the per-token
 *                           likelihoods renormalised over the two classes, so the overthinking
 *                           margin applies as for the next-token method
 * @param prediction         the class with the lower loss (positive on a tie)
 * @param correct            whether it matches the gold label; null without one
 */
public record LossLayer(int layer, String name, double lossPositive, double lossNegative, double normalizedPositive,
        Sentiment prediction, Boolean correct) {

    static LossLayer of(int layer, String name, double lossPositive, double lossNegative, Sentiment gold) {
        double normalized = LabelOdds.sigmoid(lossNegative - lossPositive);
        Sentiment prediction = LabelOdds.predict(normalized);
        return new LossLayer(layer, name, lossPositive, lossNegative, normalized, prediction,
                LabelOdds.correct(prediction, gold));
    }
}
