package dev.logitscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.prompt.Sentiment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-layer verdicts and contextual calibration on hand-built probabilities with known answers. */
class VerdictsAndCalibrationTest {

    @Test
    void aVerdictRenormalisesOverTheLabelSet() {
        LayerVerdict v = LayerVerdict.of(3, "block 3", 0.03, 0.01, Sentiment.NEGATIVE);
        assertThat(v.normalizedPositive()).isCloseTo(0.75, within(1e-12));
        assertThat(v.logOdds()).isCloseTo(Math.log(3), within(1e-12));
        assertThat(v.prediction()).isEqualTo(Sentiment.POSITIVE);
        assertThat(v.correct()).isFalse();
        assertThat(v.calibrated()).isNull();
        assertThat(LayerVerdict.of(0, "embed", 0.03, 0.01, null).correct()).isNull();
        assertThat(LayerVerdict.of(0, "embed", 0.01, 0.03, Sentiment.NEGATIVE).correct()).isTrue();
    }

    @Test
    void tiesGoPositiveAndUnderflowStaysFinite() {
        LayerVerdict tie = LayerVerdict.of(0, "embed", 0.2, 0.2, null);
        assertThat(tie.normalizedPositive()).isEqualTo(0.5);
        assertThat(tie.logOdds()).isZero();
        assertThat(tie.prediction()).isEqualTo(Sentiment.POSITIVE);

        LayerVerdict bothZero = LayerVerdict.of(0, "embed", 0, 0, null);
        assertThat(bothZero.normalizedPositive()).isEqualTo(0.5);
        assertThat(bothZero.logOdds()).isZero();

        LayerVerdict oneZero = LayerVerdict.of(0, "embed", 0, 1e-3, null);
        assertThat(oneZero.normalizedPositive()).isZero();
        assertThat(oneZero.logOdds()).isFinite().isNegative();
        assertThat(oneZero.prediction()).isEqualTo(Sentiment.NEGATIVE);
    }

    @Test
    void aContentFreeBiasTowardsPositiveFlipsAWeakPositivePrediction() {
        // p = (0.7, 0.3), p_cf = (0.8, 0.2): 0.7/0.8 = 0.875 vs 0.3/0.2 = 1.5 → p_cal = (0.368…, 0.631…).
        Calibrated c = ContextualCalibration.calibrate(0.7, 0.8, Sentiment.POSITIVE);
        assertThat(c.normalizedPositive()).isCloseTo(0.875 / (0.875 + 1.5), within(1e-12));
        assertThat(c.logOdds()).isCloseTo(Math.log(0.875 / 1.5), within(1e-12));
        assertThat(c.prediction()).isEqualTo(Sentiment.NEGATIVE);
        assertThat(c.correct()).isFalse();
    }

    @Test
    void anUnbiasedBaselineChangesNothingAndExtremeBaselinesStayFinite() {
        Calibrated same = ContextualCalibration.calibrate(0.7, 0.5, null);
        assertThat(same.normalizedPositive()).isCloseTo(0.7, within(1e-12));
        assertThat(same.correct()).isNull();
        Calibrated saturated = ContextualCalibration.calibrate(0.7, 1.0, Sentiment.NEGATIVE);
        assertThat(saturated.normalizedPositive()).isBetween(0.0, 1.0);
        assertThat(saturated.logOdds()).isFinite();
        assertThat(saturated.prediction()).isEqualTo(Sentiment.NEGATIVE);
    }

    @Test
    void theBaselineAveragesTheRawLabelProbabilitiesThenNormalisesAndCalibratesEachLayer() {
        // [layer][positive, negative], full-vocabulary probabilities of each content-free input.
        List<double[][]> perInput = List.of(
                new double[][] {{0.09, 0.01}, {0.006, 0.004}, {0.2, 0.2}},
                new double[][] {{0.07, 0.03}, {0.04, 0.06}, {0.001, 0.001}},
                new double[][] {{0.08, 0.02}, {0.05, 0.05}, {0.01, 0.01}});
        ContentFreeBaseline baseline = ContextualCalibration.baseline(ContextualCalibration.CONTENT_FREE, perInput);
        assertThat(baseline.inputs()).containsExactly("N/A", "", "[MASK]");
        assertThat(baseline.meanPositive()).containsExactly(new double[] {0.08, 0.032, 0.211 / 3}, within(1e-15));
        assertThat(baseline.meanNegative()).containsExactly(new double[] {0.02, 0.038, 0.211 / 3}, within(1e-15));
        // Zhao et al.: mean of the raw probabilities, then normalised. Layer 1: (0.032, 0.038) / 0.07
        // = 0.457…, where the mean of the normalised P(positive) would be (0.6 + 0.4 + 0.5) / 3 = 0.5.
        assertThat(baseline.normalizedPositive()).containsExactly(new double[] {0.8, 0.032 / 0.07, 0.5}, within(1e-12));

        List<LayerVerdict> raw = List.of(
                LayerVerdict.of(0, "embed", 0.07, 0.03, Sentiment.POSITIVE),
                LayerVerdict.of(1, "block 1", 0.0048, 0.0052, Sentiment.POSITIVE),
                LayerVerdict.of(2, "block 2", 0.002, 0.008, Sentiment.POSITIVE));
        List<LayerVerdict> calibrated = ContextualCalibration.apply(raw, baseline, Sentiment.POSITIVE);
        // Layer 0 is biased like the example above and flips.
        assertThat(calibrated.get(0).calibrated().prediction()).isEqualTo(Sentiment.NEGATIVE);
        assertThat(calibrated.get(0).calibrated().correct()).isFalse();
        // Layer 1: p = (0.48, 0.52), W·p = (0.48 / (0.032/0.07), 0.52 / (0.038/0.07)) → positive wins.
        double wPos = 0.48 / (0.032 / 0.07);
        double wNeg = 0.52 / (0.038 / 0.07);
        assertThat(calibrated.get(1).calibrated().normalizedPositive()).isCloseTo(wPos / (wPos + wNeg), within(1e-12));
        assertThat(calibrated.get(1).calibrated().prediction()).isEqualTo(Sentiment.POSITIVE);
        assertThat(calibrated.get(2).calibrated().normalizedPositive()).isCloseTo(0.2, within(1e-12));
        // The raw numbers are untouched.
        for (int l = 0; l < 3; l++) {
            assertThat(calibrated.get(l).normalizedPositive()).isEqualTo(raw.get(l).normalizedPositive());
            assertThat(calibrated.get(l).prediction()).isEqualTo(raw.get(l).prediction());
        }
    }

    @Test
    void lossLayersPickTheLowerLossAndRenormaliseLikelihoods() {
        LossLayer layer = LossLayer.of(2, "block 2", 3.0, 3.5, Sentiment.POSITIVE);
        assertThat(layer.prediction()).isEqualTo(Sentiment.POSITIVE);
        assertThat(layer.correct()).isTrue();
        assertThat(layer.normalizedPositive()).isCloseTo(Math.exp(-3.0) / (Math.exp(-3.0) + Math.exp(-3.5)), within(1e-12));
        assertThat(LossLayer.of(0, "embed", 4.0, 2.0, null).prediction()).isEqualTo(Sentiment.NEGATIVE);
        assertThat(LossLayer.of(0, "embed", 2.0, 2.0, null).prediction()).isEqualTo(Sentiment.POSITIVE);
    }
}
