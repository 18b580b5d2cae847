package dev.logitscope.ui;

import dev.logitscope.plot.PlotTheme;
import java.util.List;
import java.util.Locale;

/** The light and dark looks: stylesheets for the controls, a matching style for the plots. */
public enum Theme {
    LIGHT(List.of("/styles/logitscope.css"), PlotTheme.light()),
    DARK(List.of("/styles/logitscope.css", "/styles/logitscope-dark.css"), PlotTheme.dark());

    private final List<String> stylesheets;
    private final PlotTheme plotTheme;

    Theme(List<String> stylesheets, PlotTheme plotTheme) {
        this.stylesheets = stylesheets;
        this.plotTheme = plotTheme;
    }

    public List<String> stylesheetUrls() {
        return stylesheets.stream().map(s -> Theme.class.getResource(s).toExternalForm()).toList();
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
