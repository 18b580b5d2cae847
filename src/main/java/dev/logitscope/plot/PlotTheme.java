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
        return new PlotTheme("light", new Color(0xFFFFFF), new Color(0x1F2328), new Color(0x59636E),
                new Color(0xE4E7EB), new Color(0x8C959F), new Color(0xD1495B), new Color(0xEDEFF2),
                List.of(new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
                        new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000)),
                Font.SANS_SERIF, Font.MONOSPACED, 12f, 10.5f, 14f);
    }

    public static PlotTheme dark() {
        return new PlotTheme("dark", new Color(0x1E1F22), new Color(0xE6E8EB), new Color(0xA2AAB3),
                new Color(0x34373C), new Color(0x6E7681), new Color(0xFF7B72), new Color(0x2B2D31),
                List.of(new Color(0x56B4E9), new Color(0xE69F00), new Color(0x3DD6A3), new Color(0xE08BC0),
                        new Color(0xF0E442), new Color(0xFF8A5B), new Color(0xFFFFFF)),
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
