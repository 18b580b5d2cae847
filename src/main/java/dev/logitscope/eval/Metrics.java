package dev.logitscope.eval;

import dev.logitscope.analysis.LabelOdds;
import dev.logitscope.prompt.Sentiment;
import java.util.Arrays;

/**
 * The numbers of an evaluation, on plain arrays: one value per example (for one layer), or one
 * value per layer (for one condition).
 */
public final class Metrics {
    /** Rounding slack when comparing a gap with half the final gap. */
    private static final double TOLERANCE = 1e-12;

    private Metrics() {}

    /** Share of examples whose prediction (P(positive) ≥ 0.5 → positive) matches the gold label. */
    public static double accuracy(double[] normalizedPositive, Sentiment[] gold) {
        check(normalizedPositive, gold);
        int right = 0;
        for (int i = 0; i < gold.length; i++) {
            if (LabelOdds.predict(normalizedPositive[i]) == gold[i]) {
                right++;
            }
        }
        return (double) right / gold.length;
    }

    /**
     * Calibrated accuracy (Halawi et al., {@code dev/metrics.py}, {@code get_cal_correct_over_incorrect}):
     * each label's renormalised probability has a threshold, its median over the inputs (the
     * (n_labels − 1)/n_labels quantile); an input scores 1 when its gold label's probability is
     * above that label's threshold, 1/n_labels = ½ when exactly at it, 0 below; the mean over the
     * inputs. With an odd count the middle input always sits at the median.
     */
    public static double medianThresholdAccuracy(double[] normalizedPositive, Sentiment[] gold) {
        check(normalizedPositive, gold);
        int n = gold.length;
        double[] negative = new double[n];
        for (int i = 0; i < n; i++) {
            negative[i] = LabelOdds.probabilityOf(Sentiment.NEGATIVE, normalizedPositive[i]);
        }
        double positiveThreshold = median(normalizedPositive);
        double negativeThreshold = median(negative);
        double credit = 0;
        for (int i = 0; i < n; i++) {
            boolean positive = gold[i] == Sentiment.POSITIVE;
            double p = positive ? normalizedPositive[i] : negative[i];
            double threshold = positive ? positiveThreshold : negativeThreshold;
            credit += p > threshold ? 1 : p == threshold ? 0.5 : 0;
        }
        return credit / n;
    }

    /** Share of examples whose prediction (the argmax of their label probabilities) matches the gold label. */
    public static double accuracy(double[][] probabilities, Sentiment[] gold) {
        check(probabilities.length, gold);
        int right = 0;
        for (int i = 0; i < gold.length; i++) {
            if (LabelOdds.argmax(probabilities[i]) == gold[i]) {
                right++;
            }
        }
        return (double) right / gold.length;
    }

    /**
     * Halawi et al.'s calibrated accuracy for any number of labels ({@code get_thresholds} and
     * {@code get_cal_correct_over_incorrect}): each label's threshold is the (n_labels − 1)/n_labels
     * quantile of its renormalised probability over the inputs (torch.quantile's linear
     * interpolation); an input scores 1 above its gold label's threshold, 1/n_labels exactly at it.
     * Two labels go through {@link #medianThresholdAccuracy} (the median, the numbers they always had).
     */
    public static double calibratedAccuracy(double[][] probabilities, Sentiment[] gold) {
        check(probabilities.length, gold);
        int labels = probabilities[0].length;
        int n = gold.length;
        if (labels == 2) {
            double[] positive = new double[n];
            for (int i = 0; i < n; i++) {
                positive[i] = probabilities[i][0];
            }
            return medianThresholdAccuracy(positive, gold);
        }
        double[] thresholds = new double[labels];
        for (int c = 0; c < labels; c++) {
            double[] column = new double[n];
            for (int i = 0; i < n; i++) {
                column[i] = probabilities[i][c];
            }
            thresholds[c] = quantile(column, (labels - 1) / (double) labels);
        }
        double credit = 0;
        for (int i = 0; i < n; i++) {
            double p = probabilities[i][gold[i].index()];
            double threshold = thresholds[gold[i].index()];
            credit += p > threshold ? 1 : p == threshold ? 1.0 / labels : 0;
        }
        return credit / n;
    }

    /** The q-quantile with linear interpolation between order statistics (numpy's and torch's default). */
    public static double quantile(double[] values, double q) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int lo = (int) Math.floor(position);
        int hi = (int) Math.ceil(position);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
    }

    /** The median; the mean of the two middle values for an even count. */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Mean probability of the gold label, from per-example P(positive) and P(negative). */
    public static double meanProbabilityOfGold(double[] pPositive, double[] pNegative, Sentiment[] gold) {
        check(pPositive, gold);
        check(pNegative, gold);
        double sum = 0;
        for (int i = 0; i < gold.length; i++) {
            sum += gold[i] == Sentiment.POSITIVE ? pPositive[i] : pNegative[i];
        }
        return sum / gold.length;
    }

    /**
     * The best layer for early exit: the highest accuracy, the earliest such layer on a tie
     * (exiting earlier is cheaper).
     */
    public static int bestLayer(double[] accuracyPerLayer) {
        if (accuracyPerLayer.length == 0) {
            throw new IllegalArgumentException("no layers");
        }
        int best = 0;
        for (int l = 1; l < accuracyPerLayer.length; l++) {
            if (accuracyPerLayer[l] > accuracyPerLayer[best]) {
                best = l;
            }
        }
        return best;
    }

    /**
     * The critical layer (Halawi et al.): the first layer where acc_correct − acc_flipped reaches
     * half the final layer's gap; null when the final gap is not positive (flipped demonstrations
     * did not pull the model below correct ones, so there is nothing to locate).
     */
    public static Integer criticalLayer(double[] correct, double[] flipped) {
        if (correct.length != flipped.length || correct.length == 0) {
            throw new IllegalArgumentException(correct.length + " and " + flipped.length + " layers");
        }
        int last = correct.length - 1;
        double finalGap = correct[last] - flipped[last];
        if (!(finalGap > 0)) {
            return null;
        }
        for (int l = 0; l <= last; l++) {
            if (correct[l] - flipped[l] >= 0.5 * finalGap - TOLERANCE) {
                return l;
            }
        }
        return last; // unreachable: the last layer always reaches its own gap
    }

    private static void check(double[] values, Sentiment[] gold) {
        check(values.length, gold);
    }

    private static void check(int values, Sentiment[] gold) {
        if (values != gold.length) {
            throw new IllegalArgumentException(values + " values for " + gold.length + " examples");
        }
        if (gold.length == 0) {
            throw new IllegalArgumentException("no examples");
        }
    }
}
