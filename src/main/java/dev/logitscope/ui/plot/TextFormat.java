package dev.logitscope.ui.plot;

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

    public static String top(List<TopToken> top) {
        return top.stream().map(t -> String.format(Locale.ROOT, "  %-14s %s", "'" + visible(t.token()) + "'", prob(t.prob())))
                .collect(Collectors.joining("\n"));
    }

    /**
     * Control characters shown as their Unicode control pictures (U+2400 …): a token can be any
     * byte, and raw control characters are invisible on screen and invalid in SVG (XML 1.0).
     */
    public static String visible(String token) {
        StringBuilder s = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x20) {
                s.append((char) (0x2400 + c));
            } else if (c == 0x7f) {
                s.append('\u2421');
            } else if (c >= 0x80 && c < 0xa0 || c == 0xfffe || c == 0xffff) {
                s.append('\ufffd');
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }
}
