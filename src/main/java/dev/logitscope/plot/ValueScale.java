package dev.logitscope.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps values in [min, max] to [0, 1], linearly or on a log scale, and names its ticks. Values
 * outside the range are clamped (a probability of 1e-9 on a 1e-6..1 scale is drawn as 1e-6);
 * NaN stays NaN so callers can draw it as missing.
 */
public record ValueScale(double min, double max, boolean log) {

    public ValueScale {
        if (!(max > min) || Double.isInfinite(min) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("a scale needs finite min < max, got " + min + ".." + max);
        }
        if (log && min <= 0) {
            throw new IllegalArgumentException("a log scale needs min > 0, got " + min);
        }
    }

    public static ValueScale linear(double min, double max) {
        return new ValueScale(min, max, false);
    }

    /** Probabilities: 0..1, or 1e-6..1 on a log scale. */
    public static ValueScale probability(boolean log) {
        return log ? new ValueScale(1e-6, 1, true) : new ValueScale(0, 1, false);
    }

    public double normalize(double v) {
        if (Double.isNaN(v)) {
            return Double.NaN;
        }
        double t = log
                ? (Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                : (v - min) / (max - min);
        return Math.max(0, Math.min(1, t));
    }

    /** The value at a normalised position (the inverse of {@link #normalize} inside the range). */
    public double valueAt(double t) {
        return log ? Math.pow(10, Math.log10(min) + t * (Math.log10(max) - Math.log10(min))) : min + t * (max - min);
    }

    /** About {@code target} round ticks inside the range: decades on a log scale, 1-2-5 steps otherwise. */
    public List<Double> ticks(int target) {
        List<Double> out = new ArrayList<>();
        if (log) {
            int lo = (int) Math.ceil(Math.log10(min) - 1e-9);
            int hi = (int) Math.floor(Math.log10(max) + 1e-9);
            int step = Math.max(1, (int) Math.ceil((hi - lo) / (double) Math.max(1, target - 1)));
            for (int e = hi; e >= lo; e -= step) {
                out.add(0, Math.pow(10, e));
            }
            return out;
        }
        double step = niceStep((max - min) / Math.max(1, target - 1));
        for (double v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
            out.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return out;
    }

    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / magnitude;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
