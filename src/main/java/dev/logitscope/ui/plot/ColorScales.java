package dev.logitscope.ui.plot;

import java.awt.Color;

/** Perceptual (viridis) and diverging (red-blue) colour scales on [0, 1]. */
public final class ColorScales {
    private static final int[] VIRIDIS = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779,
        0x6ece58, 0xb5de2b, 0xfde725};
    /** Negative (red) through white to positive (blue). */
    private static final int[] RED_BLUE = {0xb2182b, 0xd6604d, 0xf4a582, 0xfddbc7, 0xf7f7f7, 0xd1e5f0, 0x92c5de,
        0x4393c3, 0x2166ac};

    private ColorScales() {}

    public static Color viridis(double t) {
        return interpolate(VIRIDIS, t);
    }

    public static Color diverging(double t) {
        return interpolate(RED_BLUE, t);
    }

    /** Black or white, whichever reads better on {@code background}. */
    public static Color textOn(Color background) {
        double luminance = (0.2126 * background.getRed() + 0.7152 * background.getGreen()
                + 0.0722 * background.getBlue()) / 255;
        return luminance > 0.55 ? new Color(0x1f2933) : Color.WHITE;
    }

    /** Probability to [0, 1]: linear, or log10 from 1e-6 to 1. */
    public static double probability(double p, boolean log) {
        if (Double.isNaN(p)) {
            return 0;
        }
        if (!log) {
            return clamp(p);
        }
        return clamp((Math.log10(Math.max(p, 1e-6)) + 6) / 6);
    }

    static double clamp(double t) {
        return Math.max(0, Math.min(1, t));
    }

    private static Color interpolate(int[] stops, double t) {
        double x = clamp(Double.isNaN(t) ? 0 : t) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(x));
        double f = x - i;
        Color a = new Color(stops[i]);
        Color b = new Color(stops[i + 1]);
        return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f), mix(a.getBlue(), b.getBlue(), f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
