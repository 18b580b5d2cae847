package dev.logitscope.plot;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;
import java.awt.Color;
import java.util.Locale;

/**
 * The one mapping from a condition to its look, used by every chart and legend (accuracy by
 * layer, accuracy vs. size, the trajectory overlay): each condition has its own colour (an index
 * into the theme's palette, so light and dark follow the theme), its own dash and its own marker.
 * Correct is blue and solid, flipped vermillion and dashed, in every picture.
 */
public enum ConditionStyle {
    CORRECT(0, Series.Dash.SOLID, Marker.CIRCLE),
    FLIPPED(1, Series.Dash.DASHED, Marker.TRIANGLE),
    RANDOM(2, Series.Dash.DASH_DOT, Marker.DIAMOND),
    ZERO_SHOT(3, Series.Dash.DOTTED, Marker.SQUARE),
    /** The loss method (its prompt has no demonstrations). */
    LOSS(4, Series.Dash.DASH_DOT_DOT, Marker.TRIANGLE_DOWN),
    /** The app's "this prompt": the prompt as set up, whatever its demonstrations. */
    THIS_PROMPT(6, Series.Dash.LONG_DASH, Marker.PENTAGON);

    private final int colorIndex;
    private final Series.Dash dash;
    private final Marker marker;

    ConditionStyle(int colorIndex, Series.Dash dash, Marker marker) {
        this.colorIndex = colorIndex;
        this.dash = dash;
        this.marker = marker;
    }

    public int colorIndex() {
        return colorIndex;
    }

    public Series.Dash dash() {
        return dash;
    }

    public Marker marker() {
        return marker;
    }

    public Color color(PlotTheme theme) {
        return theme.seriesColor(colorIndex);
    }

    /** The style of an evaluation condition: no demonstrations is zero-shot (or loss), else its labels. */
    public static ConditionStyle of(int shots, DemoLabels labels, ScoringMethod method) {
        if (method == ScoringMethod.LOSS) {
            return LOSS;
        }
        if (shots == 0) {
            return ZERO_SHOT;
        }
        return switch (labels) {
            case CORRECT -> CORRECT;
            case FLIPPED -> FLIPPED;
            case RANDOM -> RANDOM;
        };
    }

    /**
     * The style of a run named the way the app and the CLI name overlay lines ("this prompt",
     * "4 correct", "flipped demos", "zero-shot"); null for a name that is no condition.
     */
    public static ConditionStyle named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("this prompt")) {
            return THIS_PROMPT;
        }
        if (n.contains("zero-shot") || n.contains("0-shot")) {
            return ZERO_SHOT;
        }
        if (n.contains("flipped")) {
            return FLIPPED;
        }
        if (n.contains("random")) {
            return RANDOM;
        }
        if (n.contains("correct")) {
            return CORRECT;
        }
        if (n.contains("loss")) {
            return LOSS;
        }
        return null;
    }
}
