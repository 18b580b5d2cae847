package dev.logitscope.analysis;

import dev.logitscope.prompt.Sentiment;
import java.util.ArrayList;
import java.util.List;

/**
 * Contextual calibration (Zhao et al., "Calibrate Before Use", 2021): the bias a prompt gives a
 * label, measured with content-free reviews, is divided out: p_cal ∝ p / p_cf over the label set.
 * The raw numbers are kept; calibrated ones are added beside them.
 */
public final class ContextualCalibration {

    /** The content-free reviews of the paper. The empty one leaves the query format bare. */
    public static final List<String> CONTENT_FREE = List.of("N/A", "", "[MASK]");

    private ContextualCalibration() {}

    /**
     * Averages the per-layer renormalised P(positive) of each content-free input.
     *
     * @param perInput one array per input, each indexed by layer 0..L
     */
    public static ContentFreeBaseline baseline(List<String> inputs, List<double[]> perInput) {
        if (inputs.isEmpty() || inputs.size() != perInput.size()) {
            throw new IllegalArgumentException(inputs.size() + " inputs but " + perInput.size() + " readings");
        }
        int layers = perInput.get(0).length;
        double[] mean = new double[layers];
        for (double[] values : perInput) {
            if (values.length != layers) {
                throw new IllegalArgumentException("readings of " + values.length + " and " + layers + " layers");
            }
            for (int l = 0; l < layers; l++) {
                mean[l] += values[l] / perInput.size();
            }
        }
        return new ContentFreeBaseline(inputs, mean);
    }

    /**
     * Calibrates one renormalised P(positive) against a content-free P(positive). Works in
     * log-odds, ln(p/p_cf) − ln((1−p)/(1−p_cf)), so a baseline of exactly 0 or 1 stays finite.
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
