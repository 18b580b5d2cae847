package dev.logitscope.ui.session;

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
 * @param mode        the selected mode: analyse | evaluate
 * @param view        the selected view of a review: layers | grid
 */
public record ViewSettings(boolean compare, double x, double y, double width, double height, boolean maximized,
        double mainSplit, double layersSplit, String mode, String view) {

    public static final String ANALYSE = "analyse";
    public static final String EVALUATE = "evaluate";
    public static final String LAYERS = "layers";
    public static final String GRID = "grid";

    public ViewSettings {
        x = finite(x);
        y = finite(y);
        width = Math.max(0, finite(width));
        height = Math.max(0, finite(height));
        mainSplit = fraction(mainSplit);
        layersSplit = fraction(layersSplit);
        mode = EVALUATE.equals(lower(mode)) ? EVALUATE : ANALYSE;
        view = GRID.equals(lower(view)) ? GRID : LAYERS;
    }

    public static ViewSettings defaults() {
        return new ViewSettings(false, 0, 0, 0, 0, false, 0, 0, ANALYSE, LAYERS);
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
