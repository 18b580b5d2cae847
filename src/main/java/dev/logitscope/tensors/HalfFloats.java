package dev.logitscope.tensors;

/**
 * Conversions between float32 and the 16-bit float formats. BF16 must be widened in Java: DJL's
 * PyTorch engine aborts the JVM on BFLOAT16 arrays.
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** bfloat16 is the top half of a float32. */
    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Round to nearest even (NaN stays NaN). */
    public static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** IEEE 754 binary16 to float32 (exact). Java 17 has no Float.float16ToFloat. */
    public static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) { // zero or subnormal: mantissa * 2^-24
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** float32 to IEEE 754 binary16, round to nearest even, overflow to infinity. */
    public static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        if (Float.isNaN(value)) {
            return (short) (sign | 0x7e00);
        }
        float abs = Math.abs(value);
        if (abs >= 65520f) { // rounds to infinity
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x1p-14f) { // subnormal half: multiples of 2^-24
            // abs * 2^24 is exact; rint rounds half to even (Math.round would round half up).
            // A result of 1024 is the bit pattern of the smallest normal half, 2^-14, as it should be.
            return (short) (sign | (int) Math.rint(abs * 0x1p24f));
        }
        int exp = ((bits >>> 23) & 0xff) - 127 + 15;
        int mant = bits & 0x7fffff;
        int half = (exp << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++; // may carry into the exponent, which is still correct
        }
        return (short) (sign | half);
    }
}
