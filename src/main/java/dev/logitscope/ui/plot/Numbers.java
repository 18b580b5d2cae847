package dev.logitscope.ui.plot;

import dev.logitscope.lens.TopToken;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How numbers and tokens are written in cells and tooltips. */
public final class Numbers {
    private Numbers() {}

    /** Four significant digits; scientific below 0.001. */
    public static String prob(double p) {
        if (Double.isNaN(p)) {
            return "–";
        }
        if (p != 0 && Math.abs(p) < 1e-3) {
            return String.format(Locale.ROOT, "%.2e", p);
        }
        return String.format(Locale.ROOT, "%.4f", p);
    }

    /** A cell's short form: two decimals, or 1e-5 style when tiny. */
    public static String shortProb(double p) {
        if (p != 0 && p < 0.005) {
            return String.format(Locale.ROOT, "%.0e", p);
        }
        return String.format(Locale.ROOT, "%.2f", p);
    }

    public static String top(List<TopToken> top) {
        return top.stream().map(t -> String.format(Locale.ROOT, "  %-14s %s", "'" + t.token() + "'", prob(t.prob())))
                .collect(Collectors.joining("\n"));
    }
}
