package dev.logitscope.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SettlingLayerTest {

    @Test
    void theFirstLayerFromWhichEveryLaterLayerStaysNearTheFinalOne() {
        // Layer 2 is near the final 0.80 but layer 3 dips away again: the settling layer is 4, not 2.
        double[] accuracy = {0.50, 0.55, 0.79, 0.60, 0.81, 0.80, 0.80};
        assertThat(SettlingLayer.of(accuracy, 0.02)).isEqualTo(4);
        // A wider margin reaches past the dip.
        assertThat(SettlingLayer.of(accuracy, 0.25)).isEqualTo(1);
        assertThat(SettlingLayer.of(accuracy, 0.30)).isEqualTo(0);
    }

    @Test
    void aFineTuneThatAgreesEarlierSettlesEarlier() {
        double[] base = {0.50, 0.52, 0.55, 0.60, 0.70, 0.86, 0.90};
        double[] fineTuned = {0.50, 0.70, 0.89, 0.91, 0.90, 0.90, 0.90};
        assertThat(SettlingLayer.of(fineTuned, SettlingLayer.DEFAULT_MARGIN))
                .isLessThan(SettlingLayer.of(base, SettlingLayer.DEFAULT_MARGIN));
        assertThat(SettlingLayer.of(fineTuned, SettlingLayer.DEFAULT_MARGIN)).isEqualTo(2);
        assertThat(SettlingLayer.of(base, SettlingLayer.DEFAULT_MARGIN)).isEqualTo(6);
    }

    @Test
    void theMarginIsInclusiveAndNotANumberIsNeverSettled() {
        assertThat(SettlingLayer.of(new double[] {0.75, 0.80}, 0.05)).isEqualTo(0);
        assertThat(SettlingLayer.of(new double[] {0.70, Double.NaN, 0.80, 0.80}, 0.5)).isEqualTo(2);
        assertThat(SettlingLayer.of(new double[] {0.9}, 0)).isEqualTo(0);
        assertThatThrownBy(() -> SettlingLayer.of(new double[] {0.5}, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SettlingLayer.of(new double[0], 0.02)).isInstanceOf(IllegalArgumentException.class);
    }
}
