package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.plot.ColorTokens;
import dev.logitscope.plot.PlotTheme;
import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * WCAG 2.x AA in both themes: text and hints ≥ 4.5:1 on what they sit on, a selected toggle
 * ≥ 3:1 against an unselected one and the surface (1.4.11), its text ≥ 4.5:1; and the
 * stylesheet really draws those parts with those tokens.
 */
class ThemeContrastTest {
    private static final double TEXT = 4.5;
    private static final double STATE = 3.0;

    @ParameterizedTest
    @EnumSource(Theme.class)
    void textAndHintsMeetAa(Theme theme) {
        ColorTokens t = theme.tokens();
        for (Color back : new Color[] {t.bg(), t.surface(), t.input(), t.control()}) {
            assertRatio("text", t.text(), back, TEXT);
        }
        for (Color back : new Color[] {t.bg(), t.surface(), t.input()}) {
            assertRatio("hint", t.muted(), back, TEXT);
        }
        // the preview's coloured text: demonstrations, correct / flipped labels, the query
        for (Color fore : new Color[] {t.demo(), t.right(), t.wrong(), t.accent(), t.warn()}) {
            assertRatio("preview text", fore, t.surface(), TEXT);
        }
        for (Color back : new Color[] {t.infoBg(), t.warningBg(), t.errorBg()}) {
            assertRatio("banner text", t.text(), back, TEXT);
        }
    }

    @ParameterizedTest
    @EnumSource(Theme.class)
    void toggleStatesMeetAa(Theme theme) {
        ColorTokens t = theme.tokens();
        assertRatio("selected vs unselected toggle", t.accent(), t.control(), STATE);
        assertRatio("selected toggle vs the surface", t.accent(), t.surface(), STATE);
        assertRatio("selected toggle text", t.onAccent(), t.accent(), TEXT);
        assertRatio("unselected toggle text", t.text(), t.control(), TEXT);
    }

    @Test
    void theStylesheetDrawsTogglesAndHintsWithThoseTokens() throws IOException {
        String css = stylesheet();
        assertThat(rule(css, ".segmented-button .toggle-button:selected")).contains("-fx-background-color: -ls-accent, -ls-accent")
                .contains("-fx-text-fill: -ls-on-accent");
        assertThat(rule(css, ".segmented-button .toggle-button {")).contains("-ls-control").contains("-fx-text-fill: -ls-text");
        assertThat(rule(css, ".hint {")).contains("-fx-text-fill: -ls-muted");
        assertThat(css).doesNotContainPattern("#[0-9a-fA-F]{3,8}\\b"); // every colour is a token
    }

    @ParameterizedTest
    @EnumSource(Theme.class)
    void everyTokenTheStylesheetUsesIsDeclaredByTheGeneratedRule(Theme theme) throws IOException {
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("-ls-[a-z-]+[a-z]").matcher(stylesheet());
        while (m.find()) {
            used.add(m.group());
        }
        String url = theme.stylesheetUrls().get(1);
        assertThat(url).startsWith("data:text/css;base64,");
        String generated = new String(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1)),
                StandardCharsets.UTF_8);
        for (String token : used) {
            assertThat(generated).as(token).containsPattern(Pattern.quote(token) + ": #[0-9a-f]{6};");
        }
        assertThat(generated).contains("-ls-accent: " + ColorTokens.hex(theme.tokens().accent()) + ";");
    }

    @ParameterizedTest
    @EnumSource(Theme.class)
    void thePlotsUseTheSameTokens(Theme theme) {
        ColorTokens t = theme.tokens();
        PlotTheme p = theme.plotTheme();
        assertThat(p.background()).isEqualTo(t.surface());
        assertThat(p.text()).isEqualTo(t.text());
        assertThat(p.mutedText()).isEqualTo(t.muted());
        assertThat(p.seriesColor(0)).isEqualTo(t.accent()); // the CSS accent is the first series colour
        assertThat(p.series()).isEqualTo(t.series());
    }

    private static String stylesheet() throws IOException {
        try (InputStream in = Theme.class.getResourceAsStream(Theme.STYLESHEET)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The declarations of the first rule whose selector list holds {@code selector}. */
    private static String rule(String css, String selector) {
        int at = css.indexOf(selector);
        assertThat(at).as(selector).isNotNegative();
        int open = css.indexOf('{', at);
        return css.substring(open + 1, css.indexOf('}', open));
    }

    private static void assertRatio(String what, Color fore, Color back, double min) {
        assertThat(ratio(fore, back)).as("%s %s on %s", what, hex(fore), hex(back)).isGreaterThanOrEqualTo(min);
    }

    // WCAG 2.x: contrast ratio (L1 + 0.05) / (L2 + 0.05) of the relative luminances, L1 the lighter
    static double ratio(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    static double luminance(Color c) {
        return 0.2126 * channel(c.getRed()) + 0.7152 * channel(c.getGreen()) + 0.0722 * channel(c.getBlue());
    }

    private static double channel(int v8) {
        double c = v8 / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static String hex(Color c) {
        return String.format("#%06x", c.getRGB() & 0xFFFFFF);
    }
}
