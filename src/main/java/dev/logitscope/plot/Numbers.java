package dev.logitscope.plot;

import java.util.Locale;

/** Number formats for labels: short, locale-independent (a plot must read the same everywhere). */
public final class Numbers {
    private static final String SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    private Numbers() {}

    /** A probability in a cell: "0.42", "3.1e-4", "0", "n/a". */
    public static String probability(double p) {
        if (Double.isNaN(p)) {
            return "n/a";
        }
        if (p == 0) {
            return "0";
        }
        if (Math.abs(p) >= 0.01) {
            return String.format(Locale.ROOT, "%.2f", p);
        }
        return scientific(p);
    }

    /** A general value with about three significant digits: "2.31", "17.4", "412", "3.1e-4". */
    public static String value(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a < 0.01 || a >= 1e5) {
            return scientific(v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, a >= 10 ? "%.1f" : "%.2f", v);
    }

    /** A tick label: the shortest form that tells the tick apart, "10⁻⁴" for powers of ten below 0.01. */
    public static String tick(double v, boolean log) {
        if (log) {
            int e = (int) Math.round(Math.log10(v));
            if (Math.abs(Math.log10(v) - e) < 1e-9 && (e < -2 || e > 4)) {
                return "10" + superscript(e);
            }
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** A layer depth: "12", or "2.5" for a mid-block tap. */
    public static String depth(double d) {
        return d == Math.rint(d) ? Integer.toString((int) d) : tick(d, false);
    }

    /**
     * A parameter count: "82M", "124M", "1.5B". Billions are truncated to one decimal, which gives
     * the names the models are known by (gpt2-xl's 1.56 billion is "1.5B" in the GPT-2 paper).
     */
    public static String parameters(long n) {
        if (n >= 1_000_000_000L) {
            double b = Math.floor(n / 1e8) / 10;
            return (b == Math.rint(b) ? String.format(Locale.ROOT, "%.0f", b) : String.format(Locale.ROOT, "%.1f", b)) + "B";
        }
        if (n >= 1_000_000L) {
            return Math.round(n / 1e6) + "M";
        }
        if (n >= 1_000L) {
            return Math.round(n / 1e3) + "K";
        }
        return Long.toString(n);
    }

    private static String scientific(double v) {
        int e = (int) Math.floor(Math.log10(Math.abs(v)));
        double m = v / Math.pow(10, e);
        if (Math.abs(Math.round(m * 10) / 10.0) >= 10) {
            e++;
            m = v / Math.pow(10, e);
        }
        String mantissa = String.format(Locale.ROOT, "%.1f", m);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        return mantissa + "e" + e;
    }

    private static String superscript(int e) {
        StringBuilder out = new StringBuilder(e < 0 ? "⁻" : "");
        for (char c : Integer.toString(Math.abs(e)).toCharArray()) {
            out.append(SUPERSCRIPT.charAt(c - '0'));
        }
        return out.toString();
    }
}
