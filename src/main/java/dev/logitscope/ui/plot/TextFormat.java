package dev.logitscope.ui.plot;

import dev.logitscope.eval.Wilson;
import dev.logitscope.tokenize.TokenDisplay;
import dev.logitscope.lens.TopToken;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How numbers and tokens are written in cells and tooltips. */
public final class TextFormat {
    private TextFormat() {}

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

    /** " [0.490, 0.943] (n = 10)": an accuracy's 95% Wilson interval; "" when n is unknown. */
    public static String interval(double accuracy, int n) {
        Wilson w = Wilson.of(accuracy, n);
        return w.defined() ? " " + w.text() + " (n = " + n + ")" : "";
    }

    public static String top(List<TopToken> top) {
        return top.stream().map(t -> String.format(Locale.ROOT, "  %-14s %s", "'" + visible(t.token()) + "'", prob(t.prob())))
                .collect(Collectors.joining("\n"));
    }

    /** A token's printable form (whitespace and control characters made visible). */
    public static String visible(String token) {
        return TokenDisplay.visible(token);
    }
}
