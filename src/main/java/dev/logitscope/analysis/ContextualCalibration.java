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
     * @param perInput one array per input, indexed [layer 0..L][0 = positive, 1 = negative], each the
     *                 full-vocabulary probability of that label's first token at the last position
     */
    public static ContentFreeBaseline baseline(List<String> inputs, List<double[][]> perInput) {
        if (inputs.isEmpty() || inputs.size() != perInput.size()) {
            throw new IllegalArgumentException(inputs.size() + " inputs but " + perInput.size() + " readings");
        }
        int layers = perInput.get(0).length;
        double[] positive = new double[layers];
        double[] negative = new double[layers];
        for (double[][] values : perInput) {
            if (values.length != layers) {
                throw new IllegalArgumentException("readings of " + values.length + " and " + layers + " layers");
            }
            for (int l = 0; l < layers; l++) {
                positive[l] += values[l][0];
                negative[l] += values[l][1];
            }
        }
        for (int l = 0; l < layers; l++) {
            positive[l] /= perInput.size();
            negative[l] /= perInput.size();
        }
        return new ContentFreeBaseline(inputs, positive, negative);
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
