package dev.logitscope.ui;

import dev.logitscope.plot.ColorTokens;
import dev.logitscope.plot.PlotTheme;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The light and dark looks, from one set of colour tokens ({@link ColorTokens}): the stylesheet
 * (structure, referring to {@code -ls-*} looked-up colours) plus a {@code .root} rule generated
 * from the tokens, and the plot theme built from the same tokens.
 */
public enum Theme {
    LIGHT(ColorTokens.light(), PlotTheme.light()),
    DARK(ColorTokens.dark(), PlotTheme.dark());

    static final String STYLESHEET = "/styles/logitscope.css";

    private final ColorTokens tokens;
    private final PlotTheme plotTheme;

    Theme(ColorTokens tokens, PlotTheme plotTheme) {
        this.tokens = tokens;
        this.plotTheme = plotTheme;
    }

    /** The stylesheet, then the tokens as a data URI (JavaFX reads {@code data:text/css} stylesheets). */
    public List<String> stylesheetUrls() {
        String rule = tokens.rootRule();
        String data = "data:text/css;base64," + Base64.getEncoder().encodeToString(rule.getBytes(StandardCharsets.UTF_8));
        return List.of(Theme.class.getResource(STYLESHEET).toExternalForm(), data);
    }

    public ColorTokens tokens() {
        return tokens;
    }

    public PlotTheme plotTheme() {
        return plotTheme;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Theme parse(String key) {
        return "dark".equalsIgnoreCase(key) ? DARK : LIGHT;
    }
}
