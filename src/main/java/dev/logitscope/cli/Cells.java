package dev.logitscope.cli;

import dev.logitscope.tokenize.TokenDisplay;
import java.util.Locale;

/**
 * Text for the columns of the console tables, measured in terminal cells rather than Java chars:
 * a CJK character or an emoji takes two cells, a combining mark or a zero-width character none.
 * Token text is first put in its display form ({@link TokenDisplay#visible}, the form of the JSON's
 * {@code top[].token}), so a newline or a tab in a token never breaks a row.
 */
final class Cells {
    /** Code point ranges that terminals draw two cells wide (East Asian Wide/Fullwidth, emoji). */
    private static final int[][] WIDE = {
        {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3},
        {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
        {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA},
        {0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B},
        {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
        {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
        {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF}, {0xA960, 0xA97F},
        {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},
        {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
        {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F2FF}, {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF},
        {0x1F7E0, 0x1F7EB}, {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
    };

    private Cells() {}

    /** A token as the tables show it: the display form, so every token stays on its row. */
    static String token(String text) {
        return TokenDisplay.visible(text);
    }

    /**
     * A probability readable at every magnitude: four decimals from 0.001 up ("0.8123"), three
     * significant digits below ("6.40e-90"), as the app's tooltips write it; "0" for zero.
     */
    static String probability(double p) {
        if (Double.isNaN(p)) {
            return "n/a";
        }
        if (p == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, Math.abs(p) < 1e-3 ? "%.2e" : "%.4f", p);
    }

    /** Terminal cells the text takes. */
    static int width(String text) {
        int cells = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            cells += width(cp);
        }
        return cells;
    }

    static int width(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || cp >= 0x1160 && cp <= 0x11FF) {
            return 0;
        }
        for (int[] range : WIDE) {
            if (cp < range[0]) {
                return 1;
            }
            if (cp <= range[1]) {
                return 2;
            }
        }
        return 1;
    }

    /** The text cut to at most {@code cells} cells, with "…" where it was cut. */
    static String fit(String text, int cells) {
        if (width(text) <= cells) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int w = width(cp);
            if (used + w > cells - 1) {
                break;
            }
            out.appendCodePoint(cp);
            used += w;
            i += Character.charCount(cp);
        }
        return out.append('…').toString();
    }

    /** The text, cut to {@code cells} if longer, then padded with spaces on the right to exactly {@code cells}. */
    static String left(String text, int cells) {
        String t = fit(text, cells);
        return t + " ".repeat(cells - width(t));
    }

    /** The text, cut to {@code cells} if longer, then padded with spaces on the left to exactly {@code cells}. */
    static String right(String text, int cells) {
        String t = fit(text, cells);
        return " ".repeat(cells - width(t)) + t;
    }
}
