package dev.logitscope.eval;

import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.prompt.Sentiment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What every layer said about one example in one condition: its label trajectory over layers
 * 0..L, with the example's gold label.
 *
 * <p>Next-token method: the lens's label probabilities (calibrated values attached with {@code
 * --calibrate}). Loss method: per label the per-token likelihood exp(−loss) of its prompt's scored
 * tokens (the whole prompt or the review's: summary.json's {@code loss_span}), renormalised by the
 * loss method's own rule.
 */
public record ExampleResult(Condition condition, String id, LabelTrajectory trajectory) {

    /** The label words of a trajectory read back from examples.csv, which keeps the labels' names only. */
    static final List<String> TWO_LABELS = List.of("positive", "negative");

    public ExampleResult {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trajectory, "trajectory");
        Objects.requireNonNull(trajectory.gold(), "gold");
    }

    /**
     * A two-label result from its per-layer columns.
     *
     * @param pPositive  per layer the positive label's probability (see the class comment)
     * @param pNegative  the same for the negative label
     * @param normalized P(positive) renormalised over the two labels
     * @param contextual P(positive) after contextual calibration, or null when not asked for
     */
    public ExampleResult(Condition condition, String id, Sentiment gold, double[] pPositive, double[] pNegative,
            double[] normalized, double[] contextual) {
        this(condition, id, twoLabels(gold, pPositive, pNegative, normalized, contextual));
    }

    private static LabelTrajectory twoLabels(Sentiment gold, double[] pPositive, double[] pNegative,
            double[] normalized, double[] contextual) {
        int n = normalized.length;
        if (n == 0 || pPositive.length != n || pNegative.length != n || (contextual != null && contextual.length != n)) {
            throw new IllegalArgumentException("per-layer arrays of different lengths");
        }
        double[][] vocab = new double[n][];
        double[][] norm = new double[n][];
        double[][] cal = contextual == null ? null : new double[n][];
        for (int l = 0; l < n; l++) {
            vocab[l] = new double[] {pPositive[l], pNegative[l]};
            norm[l] = new double[] {normalized[l], 1 - normalized[l]};
            if (cal != null) {
                cal[l] = new double[] {contextual[l], 1 - contextual[l]};
            }
        }
        return new LabelTrajectory(TWO_LABELS, depths(n), names(n), vocab, null, norm, null, cal, gold);
    }

    static int[] depths(int n) {
        int[] out = new int[n];
        for (int l = 0; l < n; l++) {
            out[l] = l;
        }
        return out;
    }

    static List<String> names(int n) {
        List<String> out = new ArrayList<>(n);
        for (int l = 0; l < n; l++) {
            out.add(l == 0 ? "embed" : "block " + l);
        }
        return out;
    }

    public Sentiment gold() {
        return trajectory.gold();
    }

    public int layers() {
        return trajectory.taps();
    }

    /** The prediction of a layer: the argmax of its renormalised label probabilities. */
    public Sentiment prediction(int layer) {
        return trajectory.prediction(layer);
    }

    /** Per layer the first label's (positive's) probability. */
    public double[] pPositive() {
        return trajectory.vocabColumn(Sentiment.POSITIVE);
    }

    /** Per layer the second label's (negative's) probability. */
    public double[] pNegative() {
        return trajectory.vocabColumn(Sentiment.NEGATIVE);
    }

    /** Per layer the first label's renormalised probability (P(positive) of two labels). */
    public double[] normalized() {
        return trajectory.column(Sentiment.POSITIVE, false);
    }

    /** Per layer the first label's calibrated probability, or null without calibration. */
    public double[] contextual() {
        return trajectory.isCalibrated() ? trajectory.column(Sentiment.POSITIVE, true) : null;
    }

    /** The same numbers filed under another condition (one computed prompt serving several). */
    public ExampleResult under(Condition other) {
        return new ExampleResult(other, id, trajectory);
    }

    public String key() {
        return condition.key() + '\u0000' + id;
    }
}
