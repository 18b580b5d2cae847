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

    /**
     * Label probabilities renormalised over the label set. Two labels give {n, 1 − n} with n =
     * {@link #normalizedPositive} (the numbers every two-label output has always shown); more give
     * p_i / Σp, or 1/N each when every probability is 0.
     */
    public static double[] normalize(double[] p) {
        if (p.length == 2) {
            double n = normalizedPositive(p[0], p[1]);
            return new double[] {n, 1 - n};
        }
        double sum = 0;
        for (double v : p) {
            sum += v;
        }
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = sum > 0 ? p[i] / sum : 1.0 / p.length;
        }
        return out;
    }

    /**
     * The predicted label: the largest probability, the earlier label on a tie. For {n, 1 − n} that
     * is exactly {@link #predict}'s n ≥ 0.5 (1 − n is exact for n ≥ ¼).
     */
    public static Sentiment argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return Sentiment.of(best);
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
