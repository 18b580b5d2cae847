package dev.logitscope.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import org.junit.jupiter.api.Test;

class ColorScaleTest {

    @Test
    void viridisEndpointsAndMidpointMatchThePublishedTable() {
        assertThat(hex(ColorScale.viridis().at(0))).isEqualTo("440154");
        assertThat(hex(ColorScale.viridis().at(1))).isEqualTo("fde725");
        // entry 128 of 256 is #21918c; 0.5 falls between entries 127 and 128
        assertThat(distance(ColorScale.viridis().at(0.5), new Color(0x21918C))).isLessThan(3);
    }

    @Test
    void viridisGetsBrighterMonotonically() {
        double last = -1;
        for (int i = 0; i <= 100; i++) {
            double l = Contrast.luminance(ColorScale.viridis().at(i / 100.0));
            assertThat(l).isGreaterThanOrEqualTo(last - 1e-3);
            last = l;
        }
    }

    @Test
    void divergingIsNeutralAtOneHalfRedBelowBlueAbove() {
        Color mid = ColorScale.diverging().at(0.5);
        assertThat(hex(mid)).isEqualTo("f7f7f7");
        Color low = ColorScale.diverging().at(0);
        Color high = ColorScale.diverging().at(1);
        assertThat(low.getRed()).isGreaterThan(low.getBlue());
        assertThat(high.getBlue()).isGreaterThan(high.getRed());
        assertThat(ColorScale.diverging().at(0.45).getRed()).isGreaterThan(ColorScale.diverging().at(0.45).getBlue());
    }

    @Test
    void outOfRangeAndNaNAreClampedNotThrown() {
        assertThat(ColorScale.viridis().at(-3)).isEqualTo(ColorScale.viridis().at(0));
        assertThat(ColorScale.viridis().at(7)).isEqualTo(ColorScale.viridis().at(1));
        assertThat(ColorScale.viridis().at(Double.NaN)).isNotNull();
        assertThat(ColorScale.viridis().reversed().at(0)).isEqualTo(ColorScale.viridis().at(1));
    }

    @Test
    void textContrastPicksWhiteOnDarkAndDarkOnLight() {
        assertThat(Contrast.textOn(ColorScale.viridis().at(0))).isEqualTo(Color.WHITE);
        assertThat(Contrast.textOn(ColorScale.viridis().at(1))).isNotEqualTo(Color.WHITE);
        assertThat(Contrast.textOn(ColorScale.diverging().at(0.5))).isNotEqualTo(Color.WHITE);
        assertThat(Contrast.textOn(ColorScale.diverging().at(0))).isEqualTo(Color.WHITE);
        assertThat(Contrast.textOn(ColorScale.diverging().at(1))).isEqualTo(Color.WHITE);
    }

    @Test
    void logScaleMapsDecadesEvenly() {
        ValueScale log = ValueScale.probability(true);
        assertThat(log.normalize(1e-6)).isEqualTo(0);
        assertThat(log.normalize(1e-3)).isCloseTo(0.5, within(1e-12));
        assertThat(log.normalize(1)).isEqualTo(1);
        assertThat(log.normalize(1e-12)).isEqualTo(0);
        assertThat(log.normalize(0)).isEqualTo(0);
        assertThat(log.normalize(Double.NaN)).isNaN();
        assertThat(log.valueAt(0.5)).isCloseTo(1e-3, within(1e-12));
        assertThat(log.ticks(7)).containsExactly(1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0);
        assertThat(ValueScale.probability(false).ticks(5)).containsExactly(0.0, 0.25, 0.5, 0.75, 1.0);
        assertThatThrownBy(() -> new ValueScale(0, 1, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ValueScale.linear(1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numbersReadTheSameInEveryLocale() {
        assertThat(Numbers.probability(0.4242)).isEqualTo("0.42");
        assertThat(Numbers.probability(3.14e-4)).isEqualTo("3.1e-4");
        assertThat(Numbers.probability(9.97e-5)).isEqualTo("1e-4");
        assertThat(Numbers.probability(0)).isEqualTo("0");
        assertThat(Numbers.probability(Double.NaN)).isEqualTo("n/a");
        assertThat(Numbers.tick(1e-4, true)).isEqualTo("10⁻⁴");
        assertThat(Numbers.tick(0.01, true)).isEqualTo("0.01");
        assertThat(Numbers.tick(0.25, false)).isEqualTo("0.25");
        assertThat(Numbers.tick(1, false)).isEqualTo("1");
        assertThat(Numbers.depth(2.5)).isEqualTo("2.5");
        assertThat(Numbers.depth(17)).isEqualTo("17");
    }

    @Test
    void parameterCountsUseTheModelsUsualNames() {
        assertThat(Numbers.parameters(81_912_576L)).isEqualTo("82M");
        assertThat(Numbers.parameters(124_439_808L)).isEqualTo("124M");
        assertThat(Numbers.parameters(354_823_168L)).isEqualTo("355M");
        assertThat(Numbers.parameters(774_030_080L)).isEqualTo("774M");
        assertThat(Numbers.parameters(1_557_611_200L)).isEqualTo("1.5B");
        assertThat(Numbers.parameters(2_000_000_000L)).isEqualTo("2B");
    }

    private static String hex(Color c) {
        return String.format("%06x", c.getRGB() & 0xFFFFFF);
    }

    private static int distance(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) + Math.abs(a.getGreen() - b.getGreen())
                + Math.abs(a.getBlue() - b.getBlue());
    }
}
