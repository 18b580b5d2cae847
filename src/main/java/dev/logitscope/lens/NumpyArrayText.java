package dev.logitscope.lens;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code numpy.array_str(a, precision=1)} of a 2-D float32 array under numpy's default print options
 * (numpy ≥ 1.14: line width 75, threshold 1000, 3 edge items, {@code floatmode='maxprec'}): the text
 * tuned-lens hashes as a model's {@code unembed_hash}. A port of numpy's {@code arrayprint}:
 * {@code FloatingFormat.fillFormat}/{@code __call__} (Dragon4 of the exact float32 value, rounded half
 * to even, which for one or two digits is also its shortest round-trip form) and {@code _formatArray}.
 */
final class NumpyArrayText {
    static final int LINE_WIDTH = 75;
    static final int THRESHOLD = 1000;
    static final int EDGE_ITEMS = 3;
    private static final int PRECISION = 1;

    private NumpyArrayText() {}

    /**
     * The text of a {@code rows × cols} array given by the block numpy looks at: the whole array when
     * it has at most {@link #THRESHOLD} elements, else its first and last {@link #EDGE_ITEMS} rows
     * and columns (an axis of at most 6 kept whole), as {@link #shown(int, int)} says.
     */
    static String arrayStr(int rows, int cols, float[][] block) {
        boolean summary = (long) rows * cols > THRESHOLD;
        boolean rowsCut = summary && rows > 2 * EDGE_ITEMS;
        boolean colsCut = summary && cols > 2 * EDGE_ITEMS;
        Format format = Format.of(block);
        // _formatArray: the outer level with hanging indent " ", each row with "  " and width 74 − 1
        String rowIndent = "  ";
        int elemWidth = LINE_WIDTH - 1 - 1;
        List<String> rowTexts = new ArrayList<>();
        for (float[] row : block) {
            rowTexts.add(row(row, colsCut, format, rowIndent, elemWidth));
        }
        StringBuilder s = new StringBuilder();
        String indent = " ";
        int shown = rowTexts.size();
        int lead = rowsCut ? EDGE_ITEMS : 0;
        for (int i = 0; i < lead; i++) {
            s.append(indent).append(rowTexts.get(i)).append('\n');
        }
        if (rowsCut) {
            s.append(indent).append("...").append('\n');
        }
        for (int i = lead; i < shown - 1; i++) {
            s.append(indent).append(rowTexts.get(i)).append('\n');
        }
        s.append(indent).append(rowTexts.get(shown - 1));
        return "[" + s.substring(indent.length()) + "]";
    }

    /** Which rows (or columns) of an axis of {@code n} numpy shows: all, or the first and last 3. */
    static int[] shown(int n, boolean summary) {
        if (!summary || n <= 2 * EDGE_ITEMS) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        return new int[] {0, 1, 2, n - 3, n - 2, n - 1};
    }

    private static String row(float[] values, boolean cut, Format format, String indent, int width) {
        StringBuilder s = new StringBuilder();
        StringBuilder line = new StringBuilder(indent);
        int lead = cut ? EDGE_ITEMS : 0;
        for (int i = 0; i < lead; i++) {
            extend(s, line, format.apply(values[i]), width, indent);
            line.append(' ');
        }
        if (cut) {
            extend(s, line, "...", width, indent);
            line.append(' ');
        }
        for (int i = lead; i < values.length - 1; i++) {
            extend(s, line, format.apply(values[i]), width, indent);
            line.append(' ');
        }
        extend(s, line, format.apply(values[values.length - 1]), width, indent);
        s.append(line);
        return "[" + s.substring(indent.length()) + "]";
    }

    /** {@code _extendLine}: wrap before a word that would pass the width, unless the line holds only the indent. */
    private static void extend(StringBuilder s, StringBuilder line, String word, int width, String indent) {
        boolean wrap = line.length() + word.length() > width && line.length() > indent.length();
        if (wrap) {
            s.append(line.toString().stripTrailing()).append('\n');
            line.setLength(0);
            line.append(indent);
        }
        line.append(word);
    }

    /** {@code FloatingFormat} with precision 1, maxprec, sign '-', not suppressing small values. */
    private record Format(boolean exp, int precision, int padLeft, int padRight) {

        static Format of(float[][] block) {
            float max = 0;
            float min = Float.POSITIVE_INFINITY;
            for (float[] row : block) {
                for (float v : row) {
                    if (!Float.isFinite(v)) {
                        throw new IllegalArgumentException("the unembedding has non-finite values");
                    }
                    float a = Math.abs(v);
                    if (a != 0) {
                        max = Math.max(max, a);
                        min = Math.min(min, a);
                    }
                }
            }
            // numpy compares float32 scalars with Python floats, and divides in float32
            boolean exp = max != 0 && (max >= 1.e8f || min < 0.0001f || max / min > 1000.f);
            int padLeft = 0;
            int padRight = 0;
            int precision = PRECISION;
            for (float[] row : block) {
                for (float v : row) {
                    String[] parts = (exp ? scientific(v, PRECISION, true) : positional(v)).split("\\.", -1);
                    padLeft = Math.max(padLeft, parts[0].length());
                    String frac = exp ? parts[1].substring(0, parts[1].indexOf('e')) : parts[1];
                    padRight = Math.max(padRight, frac.length());
                }
            }
            if (exp) {
                precision = padRight; // the longest trimmed mantissa fraction, then printed with zeros kept
            }
            return new Format(exp, precision, padLeft, padRight);
        }

        String apply(float v) {
            String s = exp ? scientific(v, precision, false) : positional(v);
            int dot = s.indexOf('.');
            String left = " ".repeat(Math.max(0, padLeft - dot)) + s;
            if (exp) {
                return left;
            }
            int frac = left.length() - left.indexOf('.') - 1;
            return left + " ".repeat(Math.max(0, padRight - frac));
        }
    }

    /** Dragon4 positional, one fractional digit, trailing zeros trimmed to the dot ({@code trim='.'}). */
    static String positional(float v) {
        BigDecimal r = new BigDecimal(v).setScale(PRECISION, RoundingMode.HALF_EVEN);
        boolean negative = v < 0 || (v == 0 && 1 / v < 0);
        BigDecimal a = r.abs();
        String digits = a.toPlainString(); // "I.F"
        int dot = digits.indexOf('.');
        String whole = digits.substring(0, dot);
        String frac = digits.substring(dot + 1).replaceAll("0+$", "");
        return (negative ? "-" : "") + whole + "." + frac;
    }

    /**
     * Dragon4 scientific with {@code digits} fractional mantissa digits: trimmed to the dot
     * ({@code trim='.'}) when {@code trim}, else zero-padded to {@code digits} ({@code trim='k'},
     * {@code min_digits=digits}); the exponent signed and of at least two digits.
     */
    static String scientific(float v, int digits, boolean trim) {
        boolean negative = v < 0 || (v == 0 && 1 / v < 0);
        String mantissa;
        int exponent;
        if (v == 0) {
            mantissa = "0" + "0".repeat(digits);
            exponent = 0;
        } else {
            BigDecimal r = new BigDecimal(Math.abs(v)).round(new MathContext(digits + 1, RoundingMode.HALF_EVEN));
            String unscaled = r.unscaledValue().toString();
            exponent = unscaled.length() - 1 - r.scale();
            mantissa = (unscaled + "0".repeat(digits + 1)).substring(0, digits + 1);
        }
        String frac = mantissa.substring(1);
        if (trim) {
            frac = frac.replaceAll("0+$", "");
        }
        String exp = String.format(java.util.Locale.ROOT, "%02d", Math.abs(exponent));
        return (negative ? "-" : "") + mantissa.charAt(0) + "." + frac + "e" + (exponent < 0 ? "-" : "+") + exp;
    }
}
