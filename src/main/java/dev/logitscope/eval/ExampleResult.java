package dev.logitscope.eval;

import dev.logitscope.analysis.LabelOdds;
import dev.logitscope.prompt.Sentiment;
import java.util.Objects;

/**
 * What every layer said about one example in one condition. Arrays are indexed by layer 0..L.
 *
 * @param pPositive  next-token: full-vocabulary probability of the positive label's first token;
 *                   loss: the per-token likelihood exp(−loss) of the positive prompt's scored tokens
 *                   (the whole prompt or the review's: summary.json's {@code loss_span})
 * @param pNegative  the same for the negative label
 * @param normalized P(positive) renormalised over the two labels (the loss method's own
 *                   renormalisation for {@code --method loss})
 * @param contextual P(positive) after contextual calibration, or null when not asked for
 */
public record ExampleResult(Condition condition, String id, Sentiment gold, double[] pPositive, double[] pNegative,
        double[] normalized, double[] contextual) {

    public ExampleResult {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(gold, "gold");
        int n = normalized.length;
        if (n == 0 || pPositive.length != n || pNegative.length != n || (contextual != null && contextual.length != n)) {
            throw new IllegalArgumentException("per-layer arrays of different lengths");
        }
        pPositive = pPositive.clone();
        pNegative = pNegative.clone();
        normalized = normalized.clone();
        contextual = contextual == null ? null : contextual.clone();
    }

    public int layers() {
        return normalized.length;
    }

    /** The prediction of a layer: positive when its renormalised P(positive) ≥ 0.5. */
    public Sentiment prediction(int layer) {
        return LabelOdds.predict(normalized[layer]);
    }

    /** The same numbers filed under another condition (one computed prompt serving several). */
    public ExampleResult under(Condition other) {
        return new ExampleResult(other, id, gold, pPositive, pNegative, normalized, contextual);
    }

    public String key() {
        return condition.key() + '\u0000' + id;
    }
}
