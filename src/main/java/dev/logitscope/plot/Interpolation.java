package dev.logitscope.plot;

import java.awt.Color;

/** Piecewise-linear interpolation through equally spaced colour stops. */
final class Interpolation {
    private Interpolation() {}

    static Color rgb(int[] stops, double t) {
        double x = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int i = Math.min((int) Math.floor(x), stops.length - 2);
        double f = x - i;
        int a = stops[i];
        int b = stops[i + 1];
        return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
    }

    private static int mix(int a, int b, double f) {
        int ca = a & 0xFF;
        int cb = b & 0xFF;
        return (int) Math.round(ca + (cb - ca) * f);
    }
}
