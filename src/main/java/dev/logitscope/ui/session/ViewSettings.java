package dev.logitscope.ui.session;

import dev.logitscope.analysis.GridPositions;
import dev.logitscope.plot.TokenGridData;
import java.util.Locale;

/**
 * How the window was left: its place and size, the split positions, the selected tabs and the
 * Compare overlay. Sizes of 0 mean "not known yet" (the window picks its own).
 *
 * @param compare     the trajectory overlays correct, flipped and zero-shot demonstrations
 * @param x           the window's left edge (screen coordinates), when width is known
 * @param y           the window's top edge
 * @param width       the window's width when not maximised, 0 for unknown
 * @param height      the window's height when not maximised, 0 for unknown
 * @param maximized   the window was maximised
 * @param mainSplit   the divider between prompt setup and the review (0..1), 0 for the default
 * @param layersSplit the divider between heatmap and trajectory (0..1), 0 for the default
 * @param mode        the selected mode: analyze | evaluate | finetune (sessions written before say "analyse")
 * @param view        the selected view of a review: layers | grid
 * @param gridPositions which positions the token × layer grid reads: query | all
 *                    ({@link dev.logitscope.analysis.GridPositions#key()}); missing in old sessions = query
 * @param gridColour  what colours the grid's cells: probability | entropy | rank | kl; missing = probability
 */
public record ViewSettings(boolean compare, double x, double y, double width, double height, boolean maximized,
        double mainSplit, double layersSplit, String mode, String view, String gridPositions, String gridColour) {

    public static final String ANALYZE = "analyze";
    public static final String EVALUATE = "evaluate";
    public static final String FINETUNE = "finetune";
    public static final String LAYERS = "layers";
    public static final String GRID = "grid";

    public ViewSettings {
        x = finite(x);
        y = finite(y);
        width = Math.max(0, finite(width));
        height = Math.max(0, finite(height));
        mainSplit = fraction(mainSplit);
        layersSplit = fraction(layersSplit);
        mode = EVALUATE.equals(lower(mode)) ? EVALUATE : FINETUNE.equals(lower(mode)) ? FINETUNE : ANALYZE;
        view = GRID.equals(lower(view)) ? GRID : LAYERS;
        gridPositions = GridPositions.parse(gridPositions) == GridPositions.ALL ? GridPositions.ALL.key()
                : GridPositions.QUERY.key();
        gridColour = gridMode(gridColour).name().toLowerCase(Locale.ROOT);
    }

    /** The grid's colouring named by {@code key}, top-1 probability for anything unknown. */
    public static TokenGridData.Mode gridMode(String key) {
        for (TokenGridData.Mode m : TokenGridData.Mode.values()) {
            if (m.name().equalsIgnoreCase(key == null ? "" : key.strip())) {
                return m;
            }
        }
        return TokenGridData.Mode.PROBABILITY;
    }

    public static ViewSettings defaults() {
        return new ViewSettings(false, 0, 0, 0, 0, false, 0, 0, ANALYZE, LAYERS, GridPositions.QUERY.key(),
                "probability");
    }

    /** True when the window's size was saved (a first start has none). */
    public boolean hasBounds() {
        return width > 0 && height > 0;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    private static double fraction(double v) {
        return Double.isFinite(v) && v > 0 && v < 1 ? v : 0;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
