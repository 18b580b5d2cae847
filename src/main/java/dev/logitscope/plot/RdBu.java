package dev.logitscope.plot;

import java.awt.Color;

/**
 * ColorBrewer's 11-class RdBu (Brewer, Harrower), interpolated linearly in sRGB between its
 * classes: dark red at 0, the neutral #F7F7F7 exactly at 0.5, dark blue at 1.
 */
final class RdBu implements ColorScale {
    static final RdBu INSTANCE = new RdBu();

    private static final int[] RGB = {0x67001F, 0xB2182B, 0xD6604D, 0xF4A582, 0xFDDBC7, 0xF7F7F7, 0xD1E5F0,
            0x92C5DE, 0x4393C3, 0x2166AC, 0x053061};

    private RdBu() {}

    @Override
    public Color at(double t) {
        return Interpolation.rgb(RGB, t);
    }
}
