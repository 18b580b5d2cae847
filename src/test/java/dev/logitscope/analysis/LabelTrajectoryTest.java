package dev.logitscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.prompt.Sentiment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trajectory's shape is checked when it is made, and what it derives follows the definitions. */
class LabelTrajectoryTest {
    private static final List<String> THREE = List.of(" no", " maybe", " yes");
    private static final int[] DEPTHS = {0, 1};
    private static final List<String> NAMES = List.of("embed", "block 1");

    @Test
    void everyShapeMistakeIsRefusedWithWhatIsWrong() {
        double[][] vocab = {{0.1, 0.2, 0.3}, {0.3, 0.2, 0.1}};
        assertThatThrownBy(() -> LabelTrajectory.of(List.of(" only"), new int[] {0}, List.of("embed"),
                new double[][] {{0.1}}, null, null)).hasMessageContaining("at least two labels");
        assertThatThrownBy(() -> LabelTrajectory.of(THREE, DEPTHS, List.of("embed"), vocab, null, null))
                .hasMessageContaining("1 tap names for 2 taps");
        assertThatThrownBy(() -> LabelTrajectory.of(THREE, DEPTHS, NAMES, new double[][] {{0.1, 0.2, 0.3}}, null, null))
                .hasMessageContaining("vocab: 1 rows for 2 taps");
        assertThatThrownBy(() -> LabelTrajectory.of(THREE, DEPTHS, NAMES, new double[][] {{0.1, 0.2}, {0.1, 0.2}}, null,
                null)).hasMessageContaining("tap 0 has 2 values for 3 labels");
        assertThatThrownBy(() -> LabelTrajectory.of(THREE, DEPTHS, NAMES, new double[][] {{0.1, 0.2, 1.5}, {0.1, 0.2, 0.3}},
                null, null)).hasMessageContaining("1.5, not a probability");
        assertThatThrownBy(() -> LabelTrajectory.of(THREE, DEPTHS, NAMES, vocab, new int[][] {{1, 2, 3}}, null))
                .hasMessageContaining("ranks: 1 rows for 2 taps");
        assertThatThrownBy(() -> LabelTrajectory.of(THREE, DEPTHS, NAMES, vocab, null, Sentiment.of(3)))
                .hasMessageContaining("gold label 3 is not one of 3 labels");
        LabelTrajectory t = LabelTrajectory.of(THREE, DEPTHS, NAMES, vocab, null, null);
        assertThatThrownBy(() -> t.withCalibration(null, new double[][] {{0.5, 0.5, 0.5}, {0.2, 0.3, 0.5}}))
                .hasMessageContaining("calibrated: tap 0 sums to 1.5");
        assertThatThrownBy(() -> new LabelTrajectory(THREE, DEPTHS, NAMES, vocab, null, t.normalized(),
                t.normalized(), null, null)).hasMessageContaining("content-free baseline comes with calibrated values");
        assertThatThrownBy(() -> t.column(Sentiment.POSITIVE, true)).hasMessageContaining("calibration was not asked for");
    }

    @Test
    void renormalisesArgmaxesAndCalibratesAsTheDefinitionsSay() {
        double[][] vocab = {{0.1, 0.2, 0.3}, {0.3, 0.3, 0.1}};
        LabelTrajectory t = LabelTrajectory.of(THREE, DEPTHS, NAMES, vocab, new int[][] {{9, 5, 2}, {0, 1, 7}},
                Sentiment.of(2));
        assertThat(t.normalized()[0]).containsExactly(new double[] {1 / 6.0, 2 / 6.0, 3 / 6.0}, within(1e-15));
        assertThat(t.prediction(0)).isEqualTo(Sentiment.of(2));
        assertThat(t.prediction(1)).isEqualTo(Sentiment.of(0)); // a tie goes to the earlier label
        assertThat(t.correct(0)).isTrue();
        assertThat(t.correct(1)).isFalse();
        assertThat(t.logOdds(0)).isNull();
        assertThat(t.labelNames()).containsExactly("no", "maybe", "yes");
        // Zhao et al.: W = diag(p_cf)^-1, W p renormalised
        double[] pcf = {0.5, 0.25, 0.25};
        LabelTrajectory calibrated = ContextualCalibration.apply(t,
                new ContentFreeBaseline(List.of("N/A"), new double[][] {{0.2, 0.1, 0.1}, {0.2, 0.1, 0.1}}));
        double[] w = {(1 / 6.0) / pcf[0], (2 / 6.0) / pcf[1], (3 / 6.0) / pcf[2]};
        double sum = w[0] + w[1] + w[2];
        assertThat(calibrated.calibrated()[0]).containsExactly(new double[] {w[0] / sum, w[1] / sum, w[2] / sum},
                within(1e-12));
        assertThat(calibrated.contentFree()[0]).containsExactly(pcf, within(1e-15));
        assertThat(calibrated.calibratedPrediction(1)).isEqualTo(Sentiment.of(1));
        assertThat(calibrated.decisivePrediction(1)).isEqualTo(Sentiment.of(1));
        // values are copies: the trajectory cannot be changed from outside
        calibrated.vocab()[0][0] = 0.9;
        assertThat(calibrated.vocab(0, Sentiment.POSITIVE)).isEqualTo(0.1);
    }

    @Test
    void twoLabelsKeepTheirVerdictsBitForBit() {
        double pos = 0.0048;
        double neg = 0.0052;
        LabelTrajectory t = LabelTrajectory.of(List.of(" positive", " negative"), new int[] {0}, List.of("embed"),
                new double[][] {{pos, neg}}, null, Sentiment.POSITIVE);
        LayerVerdict old = LayerVerdict.of(0, "embed", pos, neg, Sentiment.POSITIVE);
        assertThat(t.verdict(0)).isEqualTo(old);
        assertThat(t.normalized()[0]).containsExactly(old.normalizedPositive(), 1 - old.normalizedPositive());
        LabelTrajectory c = ContextualCalibration.apply(t, new ContentFreeBaseline(List.of("N/A"), new double[] {0.07},
                new double[] {0.03}));
        Calibrated want = ContextualCalibration.calibrate(old.normalizedPositive(), 0.07 / 0.1, Sentiment.POSITIVE);
        assertThat(c.verdict(0).calibrated()).isEqualTo(want);
    }
}
