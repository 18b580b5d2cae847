package dev.logitscope.plot;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one set of colours of a theme: the window's stylesheet reads them as looked-up colours
 * ({@code -ls-accent}, …, see {@link #css()}) and the plots through {@link PlotTheme}, so the
 * accent of a selected toggle is the plots' first series colour and the preview's label colours
 * are the heatmap's right/wrong colours. Chosen for WCAG AA: text and hints ≥ 4.5:1 on the
 * surfaces they sit on, a selected toggle ≥ 3:1 against an unselected one (a test checks).
 *
 * @param bg          window background
 * @param surface     cards, sidebars, plots
 * @param input       text fields and lists
 * @param control     buttons and unselected toggles
 * @param border      separators and card edges
 * @param text        body text
 * @param muted       hints, captions, axis labels
 * @param accent      selected toggles, focus, the query in the preview; the first series colour
 * @param onAccent    text on the accent
 * @param right       a correct label / a layer that was right
 * @param wrong       a flipped label / a layer that was wrong, the critical-layer marks
 * @param warn        warnings
 * @param demo        demonstrations in the preview
 * @param series      line colours of the plots, the accent first (Okabe–Ito based)
 */
public record ColorTokens(String name, Color bg, Color surface, Color input, Color control, Color border, Color text,
        Color muted, Color accent, Color onAccent, Color right, Color wrong, Color warn, Color demo, Color demoBg,
        Color labelBg, Color flippedBg, Color queryBg, Color infoBg, Color infoBorder, Color warningBg,
        Color warningBorder, Color errorBg, Color errorBorder, List<Color> series) {

    public ColorTokens {
        series = List.copyOf(series);
    }

    public static ColorTokens light() {
        return new ColorTokens("light", rgb(0xF4F6F8), rgb(0xFFFFFF), rgb(0xFFFFFF), rgb(0xE9ECEF), rgb(0xD0D6DD),
                rgb(0x1F2328), rgb(0x59636E), rgb(0x0072B2), rgb(0xFFFFFF), rgb(0x2B7A3B), rgb(0xC92A2A),
                rgb(0xB8470A), rgb(0x4F5B66), rgb(0xEEF1F4), rgb(0xD3F9D8), rgb(0xFFE3E3), rgb(0xE7F5FF),
                rgb(0xE7F5FF), rgb(0xA5D8FF), rgb(0xFFF4E6), rgb(0xFFC078), rgb(0xFFF5F5), rgb(0xFFA8A8),
                List.of(rgb(0x0072B2), rgb(0xD55E00), rgb(0x009E73), rgb(0xCC79A7), rgb(0xE69F00), rgb(0x56B4E9),
                        rgb(0x000000)));
    }

    public static ColorTokens dark() {
        return new ColorTokens("dark", rgb(0x15181C), rgb(0x1E2227), rgb(0x23282E), rgb(0x2E343B), rgb(0x3A414A),
                rgb(0xE6E8EB), rgb(0xA2AAB3), rgb(0x56B4E9), rgb(0x111418), rgb(0x69DB7C), rgb(0xFF8787),
                rgb(0xFFA94D), rgb(0xAAB4BF), rgb(0x262B31), rgb(0x1F3A27), rgb(0x45232A), rgb(0x1C3147),
                rgb(0x1C3A57), rgb(0x1971C2), rgb(0x4A3214), rgb(0xE8590C), rgb(0x4A1C1C), rgb(0xE03131),
                List.of(rgb(0x56B4E9), rgb(0xE69F00), rgb(0x3DD6A3), rgb(0xE08BC0), rgb(0xF0E442), rgb(0xFF8A5B),
                        rgb(0xFFFFFF)));
    }

    /**
     * The looked-up colours of the stylesheet, {@code -ls-<name>} in CSS order, plus the modena
     * colours derived from them ({@code -fx-base}, …) so the stock controls follow the theme.
     */
    public Map<String, Color> css() {
        Map<String, Color> m = new LinkedHashMap<>();
        m.put("-ls-bg", bg);
        m.put("-ls-surface", surface);
        m.put("-ls-input", input);
        m.put("-ls-control", control);
        m.put("-ls-border", border);
        m.put("-ls-text", text);
        m.put("-ls-muted", muted);
        m.put("-ls-accent", accent);
        m.put("-ls-on-accent", onAccent);
        m.put("-ls-right", right);
        m.put("-ls-wrong", wrong);
        m.put("-ls-warn", warn);
        m.put("-ls-demo", demo);
        m.put("-ls-demo-bg", demoBg);
        m.put("-ls-label-bg", labelBg);
        m.put("-ls-flipped-bg", flippedBg);
        m.put("-ls-query-bg", queryBg);
        m.put("-ls-info-bg", infoBg);
        m.put("-ls-info-border", infoBorder);
        m.put("-ls-warning-bg", warningBg);
        m.put("-ls-warning-border", warningBorder);
        m.put("-ls-error-bg", errorBg);
        m.put("-ls-error-border", errorBorder);
        m.put("-ls-error", wrong); // error text (a verdict that could not be computed)
        m.put("-ls-selected-bg", accent); // a selected segment
        m.put("-ls-selected-text", onAccent);
        m.put("-fx-base", control);
        m.put("-fx-background", surface);
        m.put("-fx-control-inner-background", input);
        m.put("-fx-text-base-color", text);
        m.put("-fx-text-background-color", text);
        m.put("-fx-text-inner-color", text);
        m.put("-fx-accent", accent);
        m.put("-fx-focus-color", accent);
        m.put("-fx-selection-bar-text", onAccent);
        return m;
    }

    /** A {@code .root} rule declaring {@link #css()}: the theme's part of the window's stylesheet. */
    public String rootRule() {
        StringBuilder s = new StringBuilder("/* generated from dev.logitscope.plot.ColorTokens." + name + "() */\n.root {\n");
        css().forEach((k, c) -> s.append("    ").append(k).append(": ").append(hex(c)).append(";\n"));
        s.append("    -fx-faint-focus-color: ").append(hex(accent)).append("22;\n"); // the focus halo: accent, faint
        return s.append("}\n").toString();
    }

    public static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    private static Color rgb(int rgb) {
        return new Color(rgb);
    }
}
