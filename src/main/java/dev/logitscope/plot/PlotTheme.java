package dev.logitscope.plot;

import java.awt.Color;
import java.awt.Font;
import java.util.List;

/**
 * Colours and type of every plot. The series colours are the Okabe–Ito palette, which stays
 * distinguishable for the common forms of colour blindness and in greyscale print.
 *
 * @param missing fill of a cell whose value is not a number ("n/a")
 * @param accent  markers that must stand out: the critical layer, layers that were right
 */
public record PlotTheme(String name, Color background, Color text, Color mutedText, Color grid, Color axis,
        Color accent, Color missing, List<Color> series, String fontFamily, String monoFamily,
        float fontSize, float smallSize, float titleSize) {

    public PlotTheme {
        series = List.copyOf(series);
        if (series.isEmpty()) {
            throw new IllegalArgumentException("a theme needs at least one series colour");
        }
        if (fontSize <= 0 || smallSize <= 0 || titleSize <= 0) {
            throw new IllegalArgumentException("font sizes must be positive");
        }
    }

    public static PlotTheme light() {
        return of(ColorTokens.light(), new Color(0xE4E7EB), new Color(0x8C959F), new Color(0xEDEFF2));
    }

    public static PlotTheme dark() {
        return of(ColorTokens.dark(), new Color(0x34373C), new Color(0x6E7681), new Color(0x2B2D31));
    }

    /**
     * The plot side of a theme's colour tokens (the window's stylesheet is the other): surface,
     * text, hints, the series (accent first) and the alert colour are the tokens themselves;
     * only the plot-only greys (grid lines, axes, missing cells) are given here.
     */
    static PlotTheme of(ColorTokens t, Color grid, Color axis, Color missing) {
        return new PlotTheme(t.name(), t.surface(), t.text(), t.muted(), grid, axis, t.wrong(), missing, t.series(),
                Font.SANS_SERIF, Font.MONOSPACED, 12f, 10.5f, 14f);
    }

    public Font font() {
        return new Font(fontFamily, Font.PLAIN, 1).deriveFont(fontSize);
    }

    public Font boldFont() {
        return new Font(fontFamily, Font.BOLD, 1).deriveFont(fontSize);
    }

    public Font smallFont() {
        return new Font(fontFamily, Font.PLAIN, 1).deriveFont(smallSize);
    }

    public Font italicFont() {
        return new Font(fontFamily, Font.ITALIC, 1).deriveFont(fontSize);
    }

    public Font titleFont() {
        return new Font(fontFamily, Font.BOLD, 1).deriveFont(titleSize);
    }

    /** Token text: a monospaced face keeps visible-whitespace glyphs and short tokens aligned. */
    public Font monoFont() {
        return new Font(monoFamily, Font.PLAIN, 1).deriveFont(smallSize);
    }

    public Color seriesColor(int index) {
        return series.get(Math.floorMod(index, series.size()));
    }
}
