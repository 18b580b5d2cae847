package dev.logitscope.analysis;

import dev.logitscope.prompt.Sentiment;

/**
 * Arithmetic on a two-label distribution: renormalising over the label set, log-odds and the
 * decision rule shared by every method, so all of them break ties the same way.
 */
public final class LabelOdds {

    /** A probability that underflowed to 0 counts as this, so log-odds stay finite (|x| ≤ ~745). */
    private static final double FLOOR = Double.MIN_VALUE;

    private LabelOdds() {}

    /** P(positive) renormalised over the two labels; 0.5 when both probabilities are 0. */
    public static double normalizedPositive(double pPositive, double pNegative) {
        double sum = pPositive + pNegative;
        return sum > 0 ? pPositive / sum : 0.5;
    }

    /** ln(p_pos / p_neg), finite even when a probability underflowed to 0. */
    public static double logOdds(double pPositive, double pNegative) {
        return Math.log(Math.max(pPositive, FLOOR)) - Math.log(Math.max(pNegative, FLOOR));
    }

    /** The inverse of the log-odds: the renormalised P(positive). */
    public static double sigmoid(double logOdds) {
        return logOdds >= 0 ? 1 / (1 + Math.exp(-logOdds)) : Math.exp(logOdds) / (1 + Math.exp(logOdds));
    }

    /** The predicted label: positive when its renormalised probability is at least 0.5 (ties go positive). */
    public static Sentiment predict(double normalizedPositive) {
        return normalizedPositive >= 0.5 ? Sentiment.POSITIVE : Sentiment.NEGATIVE;
    }

    /** The renormalised probability of {@code label}. */
    public static double probabilityOf(Sentiment label, double normalizedPositive) {
        return label == Sentiment.POSITIVE ? normalizedPositive : 1 - normalizedPositive;
    }

    /** Whether {@code prediction} matches {@code gold}, or null when there is no gold label. */
    public static Boolean correct(Sentiment prediction, Sentiment gold) {
        return gold == null ? null : prediction == gold;
    }
}
