package dev.logitscope.ui.plot;

import dev.logitscope.plot.PlotRenderer;
import dev.logitscope.plot.PlotTheme;
import java.util.Optional;

/**
 * What a plot view shows: a renderer of the shared plot package (the same drawing as the CLI's
 * exports) in the window's theme, and the hover text under the pointer.
 */
public interface Plot {

    PlotRenderer renderer(PlotTheme theme);

    /** What to show when the pointer is at (x, y) of a plot drawn at width × height. */
    default Optional<String> describeAt(double x, double y, double width, double height) {
        return Optional.empty();
    }

    /** The size a scrolling view gives the plot; 0 means "fill what you get". */
    default double preferredWidth() {
        return 0;
    }

    default double preferredHeight() {
        return 0;
    }

    /**
     * The width the plot needs to draw everything at full size, or 0 when it lays itself out in
     * any width. A narrower canvas draws it scaled down, but never below
     * {@link PlotCanvas#MIN_SCALE}: that much room it asks of its layout.
     */
    default double naturalWidth(PlotTheme theme) {
        return 0;
    }

    /**
     * The width below which the plot cannot be drawn legibly, when it has a narrower form than its
     * natural width scaled down ({@link PairPlot}); 0: the natural width at {@link PlotCanvas#MIN_SCALE}.
     */
    default double leastWidth(PlotTheme theme) {
        return 0;
    }

    /** The height below which more than the plot's rows would be squeezed (its header, its legend); 0: any. */
    default double leastHeight(PlotTheme theme) {
        return 0;
    }

    /**
     * The plot as a file shows it, standing on its own outside the window (the heatmap adds the
     * verdict line the window shows above it).
     */
    default Plot forExport() {
        return this;
    }

    /** A plot with nothing to show yet, with a hint in the middle. */
    static Plot placeholder(String hint) {
        return new Placeholder(hint);
    }
}
