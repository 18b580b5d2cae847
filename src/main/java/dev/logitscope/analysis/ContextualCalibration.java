package dev.logitscope.analysis;

import dev.logitscope.prompt.Sentiment;
import java.util.ArrayList;
import java.util.List;

/**
 * Contextual calibration (Zhao et al., "Calibrate Before Use", 2021; {@code get_p_content_free} and
 * {@code eval_accuracy} in tonyzhaozh/few-shot-learning): p_cf is the mean over the content-free
 * inputs of the raw label probabilities, normalised to sum to 1; a query's label probabilities,
 * normalised over the labels, are multiplied by W = diag(p_cf)⁻¹ and the argmax is the calibrated
 * label. The raw numbers are kept; calibrated ones are added beside them.
 */
public final class ContextualCalibration {

    /** The content-free reviews of the paper. The empty one leaves the query format bare. */
    public static final List<String> CONTENT_FREE = List.of("N/A", "", "[MASK]");

    private ContextualCalibration() {}

    /**
     * Averages the raw label probabilities of the content-free inputs, per layer and label. The
     * normalisation comes after the mean, as in the paper's code; averaging already-normalised
     * probabilities gives another p_cf.
     *
     * @param perInput one array per input, indexed [layer 0..L][label] (0 = positive, 1 = negative for
     *                 two labels), each the full-vocabulary probability of that label's first token at
     *                 the last position
     */
    public static ContentFreeBaseline baseline(List<String> inputs, List<double[][]> perInput) {
        if (inputs.isEmpty() || inputs.size() != perInput.size()) {
            throw new IllegalArgumentException(inputs.size() + " inputs but " + perInput.size() + " readings");
        }
        int layers = perInput.get(0).length;
        int labels = layers == 0 ? 0 : perInput.get(0)[0].length;
        double[][] mean = new double[layers][labels];
        for (double[][] values : perInput) {
            if (values.length != layers) {
                throw new IllegalArgumentException("readings of " + values.length + " and " + layers + " layers");
            }
            for (int l = 0; l < layers; l++) {
                for (int c = 0; c < labels; c++) {
                    mean[l][c] += values[l][c];
                }
            }
        }
        for (int l = 0; l < layers; l++) {
            for (int c = 0; c < labels; c++) {
                mean[l][c] /= perInput.size();
            }
        }
        return new ContentFreeBaseline(inputs, mean);
    }

    /**
     * Calibrates one tap's label probabilities (normalised over the labels) against its p_cf: W·p
     * with W = diag(p_cf)⁻¹, renormalised; the argmax is the calibrated label, as in the paper's
     * {@code eval_accuracy}. Two labels go through {@link #calibrate(double, double, Sentiment)}
     * (log-odds, the numbers they always had); more work in log space, ln p_i − ln p_cf,i with
     * underflowed values floored, so a baseline of 0 stays finite.
     */
    public static double[] calibrate(double[] normalized, double[] contentFree) {
        if (normalized.length != contentFree.length) {
            throw new IllegalArgumentException(normalized.length + " labels but a baseline of " + contentFree.length);
        }
        if (normalized.length == 2) {
            double c = calibrate(normalized[0], contentFree[0], null).normalizedPositive();
            return new double[] {c, 1 - c};
        }
        double[] log = new double[normalized.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < log.length; i++) {
            log[i] = Math.log(Math.max(normalized[i], Double.MIN_VALUE)) - Math.log(Math.max(contentFree[i], Double.MIN_VALUE));
            max = Math.max(max, log[i]);
        }
        double sum = 0;
        for (int i = 0; i < log.length; i++) {
            log[i] = Math.exp(log[i] - max);
            sum += log[i];
        }
        for (int i = 0; i < log.length; i++) {
            log[i] /= sum;
        }
        return log;
    }

    /** The trajectory with each tap's p_cf and calibrated probabilities attached. */
    public static LabelTrajectory apply(LabelTrajectory raw, ContentFreeBaseline baseline) {
        if (raw.taps() != baseline.layers() || raw.labels() != baseline.labels()) {
            throw new IllegalArgumentException(raw.taps() + " taps × " + raw.labels() + " labels but a baseline of "
                    + baseline.layers() + " × " + baseline.labels());
        }
        double[][] contentFree = new double[raw.taps()][];
        double[][] calibrated = new double[raw.taps()][];
        double[][] normalized = raw.normalized();
        for (int t = 0; t < raw.taps(); t++) {
            contentFree[t] = baseline.normalized(t);
            calibrated[t] = calibrate(normalized[t], contentFree[t]);
        }
        return raw.withCalibration(contentFree, calibrated);
    }

    /**
     * Calibrates one renormalised P(positive) against the normalised content-free P(positive):
     * W·p with W = diag(1/p_cf), renormalised. Works in log-odds, ln(p/p_cf) − ln((1−p)/(1−p_cf)),
     * so a baseline of exactly 0 or 1 stays finite; the argmax is that of W·p.
     */
    public static Calibrated calibrate(double normalizedPositive, double contentFreePositive, Sentiment gold) {
        double logOdds = LabelOdds.logOdds(normalizedPositive, 1 - normalizedPositive)
                - LabelOdds.logOdds(contentFreePositive, 1 - contentFreePositive);
        double calibrated = LabelOdds.sigmoid(logOdds);
        Sentiment prediction = LabelOdds.predict(calibrated);
        return new Calibrated(calibrated, logOdds, prediction, LabelOdds.correct(prediction, gold));
    }

    /** The verdicts with each layer's calibrated verdict attached. */
    public static List<LayerVerdict> apply(List<LayerVerdict> verdicts, ContentFreeBaseline baseline, Sentiment gold) {
        if (verdicts.size() != baseline.layers()) {
            throw new IllegalArgumentException(verdicts.size() + " verdicts but a baseline of " + baseline.layers()
                    + " layers");
        }
        List<LayerVerdict> out = new ArrayList<>(verdicts.size());
        for (int l = 0; l < verdicts.size(); l++) {
            LayerVerdict v = verdicts.get(l);
            out.add(v.withCalibrated(calibrate(v.normalizedPositive(), baseline.positive(l), gold)));
        }
        return out;
    }
}
