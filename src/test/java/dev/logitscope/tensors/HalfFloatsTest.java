package dev.logitscope.tensors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    private static short h(int bits) {
        return (short) bits;
    }

    @Test
    void halfKnownValues() {
        assertThat(HalfFloats.halfToFloat(h(0x3C00))).isEqualTo(1.0f);
        assertThat(HalfFloats.halfToFloat(h(0xC000))).isEqualTo(-2.0f);
        assertThat(HalfFloats.halfToFloat(h(0x7BFF))).isEqualTo(65504f);
        assertThat(HalfFloats.halfToFloat(h(0x0001))).isEqualTo(0x1p-24f);
        assertThat(HalfFloats.halfToFloat(h(0x03FF))).isEqualTo(1023 * 0x1p-24f);
        assertThat(HalfFloats.halfToFloat(h(0x0400))).isEqualTo(0x1p-14f);
        assertThat(HalfFloats.halfToFloat(h(0x7C00))).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloats.halfToFloat(h(0xFC00))).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(HalfFloats.halfToFloat(h(0x7E00))).isNaN();
        assertThat(Float.floatToRawIntBits(HalfFloats.halfToFloat(h(0x8000)))).isEqualTo(0x80000000);
    }

    @Test
    void floatToHalfKnownValues() {
        assertThat(HalfFloats.floatToHalf(1.0f)).isEqualTo(h(0x3C00));
        assertThat(HalfFloats.floatToHalf(-2.0f)).isEqualTo(h(0xC000));
        assertThat(HalfFloats.floatToHalf(65504f)).isEqualTo(h(0x7BFF));
        assertThat(HalfFloats.floatToHalf(0x1p-24f)).isEqualTo(h(0x0001));
        assertThat(HalfFloats.floatToHalf(0x1p-14f)).isEqualTo(h(0x0400));
        assertThat(HalfFloats.floatToHalf(-0.0f)).isEqualTo(h(0x8000));
        assertThat(HalfFloats.floatToHalf(Float.POSITIVE_INFINITY)).isEqualTo(h(0x7C00));
        assertThat(HalfFloats.floatToHalf(Float.NEGATIVE_INFINITY)).isEqualTo(h(0xFC00));
        assertThat(HalfFloats.halfToFloat(HalfFloats.floatToHalf(Float.NaN))).isNaN();
    }

    @Test
    void floatToHalfOverflowsToInfinityAtTheHalfwayPointAboveMax() {
        assertThat(HalfFloats.floatToHalf(65519.99f)).isEqualTo(h(0x7BFF));
        assertThat(HalfFloats.floatToHalf(65520f)).isEqualTo(h(0x7C00)); // tie, 0x7BFF is odd
        assertThat(HalfFloats.floatToHalf(-1e6f)).isEqualTo(h(0xFC00));
    }

    @Test
    void floatToHalfRoundsToNearestEven() {
        // Normal range: halfway between 1 and 1 + 2^-10 goes to the even 1.0.
        assertThat(HalfFloats.floatToHalf(1 + 0x1p-11f)).isEqualTo(h(0x3C00));
        assertThat(HalfFloats.floatToHalf(1 + 3 * 0x1p-11f)).isEqualTo(h(0x3C02));
        assertThat(HalfFloats.floatToHalf(1 + 0x1p-11f + 0x1p-20f)).isEqualTo(h(0x3C01));
        // Rounding up carries into the exponent.
        assertThat(HalfFloats.floatToHalf(2 - 0x1p-12f)).isEqualTo(h(0x4000));
        // Subnormal range: ties go to the even multiple of 2^-24.
        assertThat(HalfFloats.floatToHalf(0.5f * 0x1p-24f)).isEqualTo(h(0x0000));
        assertThat(HalfFloats.floatToHalf(1.5f * 0x1p-24f)).isEqualTo(h(0x0002));
        assertThat(HalfFloats.floatToHalf(2.5f * 0x1p-24f)).isEqualTo(h(0x0002));
        assertThat(HalfFloats.floatToHalf(-2.5f * 0x1p-24f)).isEqualTo(h(0x8002));
        assertThat(HalfFloats.floatToHalf(0.75f * 0x1p-24f)).isEqualTo(h(0x0001));
        // The largest subnormal plus half a step rounds up to the smallest normal.
        assertThat(HalfFloats.floatToHalf(1023.5f * 0x1p-24f)).isEqualTo(h(0x0400));
    }

    @Test
    void everyHalfSurvivesARoundTrip() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            float f = HalfFloats.halfToFloat(h(bits));
            if (Float.isNaN(f)) {
                assertThat(HalfFloats.halfToFloat(HalfFloats.floatToHalf(f))).isNaN();
            } else {
                assertThat(HalfFloats.floatToHalf(f)).as("half 0x%04x", bits).isEqualTo(h(bits));
            }
        }
    }

    @Test
    void bfloat16KnownValues() {
        assertThat(HalfFloats.bfloat16ToFloat(h(0x3F80))).isEqualTo(1.0f);
        assertThat(HalfFloats.bfloat16ToFloat(h(0xC000))).isEqualTo(-2.0f);
        assertThat(HalfFloats.bfloat16ToFloat(h(0x7F80))).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloats.bfloat16ToFloat(h(0x7FC0))).isNaN();
        assertThat(HalfFloats.floatToBfloat16(1.0f)).isEqualTo(h(0x3F80));
        assertThat(HalfFloats.floatToBfloat16(-2.0f)).isEqualTo(h(0xC000));
        assertThat(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(Float.NaN))).isNaN();
    }

    @Test
    void floatToBfloat16RoundsToNearestEven() {
        assertThat(HalfFloats.floatToBfloat16(Float.intBitsToFloat(0x3F808000))).isEqualTo(h(0x3F80));
        assertThat(HalfFloats.floatToBfloat16(Float.intBitsToFloat(0x3F818000))).isEqualTo(h(0x3F82));
        assertThat(HalfFloats.floatToBfloat16(Float.intBitsToFloat(0x3F808001))).isEqualTo(h(0x3F81));
        assertThat(HalfFloats.floatToBfloat16(Float.MAX_VALUE)).isEqualTo(h(0x7F80)); // rounds to infinity
    }

    @Test
    void everyBfloat16SurvivesARoundTrip() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            float f = HalfFloats.bfloat16ToFloat(h(bits));
            if (!Float.isNaN(f)) {
                assertThat(HalfFloats.floatToBfloat16(f)).as("bf16 0x%04x", bits).isEqualTo(h(bits));
            }
        }
    }
}
