package dev.logitscope.plot;

import java.awt.Color;

/** Text colour for a filled cell: whichever of near-black and white has the higher WCAG contrast. */
public final class Contrast {
    private static final Color DARK = new Color(0x111418);
    private static final Color LIGHT = Color.WHITE;

    private Contrast() {}

    public static Color textOn(Color fill) {
        double l = luminance(fill);
        double onDark = (l + 0.05) / (luminance(DARK) + 0.05);
        double onLight = (luminance(LIGHT) + 0.05) / (l + 0.05);
        return onDark >= onLight ? DARK : LIGHT;
    }

    /** WCAG 2 relative luminance of an sRGB colour. */
    static double luminance(Color c) {
        return 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
    }

    private static double linear(int channel) {
        double s = channel / 255.0;
        return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    }
}
