package dev.logitscope.ui;

import dev.logitscope.ui.plot.PlotStyle;
import java.util.List;
import java.util.Locale;

/** The light and dark looks: stylesheets for the controls, a matching style for the plots. */
public enum Theme {
    LIGHT(List.of("/styles/logitscope.css"), PlotStyle.LIGHT),
    DARK(List.of("/styles/logitscope.css", "/styles/logitscope-dark.css"), PlotStyle.DARK);

    private final List<String> stylesheets;
    private final PlotStyle plotStyle;

    Theme(List<String> stylesheets, PlotStyle plotStyle) {
        this.stylesheets = stylesheets;
        this.plotStyle = plotStyle;
    }

    public List<String> stylesheetUrls() {
        return stylesheets.stream().map(s -> Theme.class.getResource(s).toExternalForm()).toList();
    }

    public PlotStyle plotStyle() {
        return plotStyle;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Theme parse(String key) {
        return "dark".equalsIgnoreCase(key) ? DARK : LIGHT;
    }
}
