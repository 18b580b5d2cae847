package dev.logitscope.ui.plot;

import java.awt.Graphics2D;
import java.util.Optional;

/**
 * A picture drawn on Graphics2D: the same code paints the window's canvas (through FXGraphics2D),
 * PNG files (a BufferedImage) and SVG files (JFreeSVG).
 */
public interface Plot {

    void draw(Graphics2D g, double width, double height, PlotStyle style);

    /** What to show when the pointer is at (x, y): exact numbers, top tokens. */
    default Optional<String> describeAt(double x, double y, double width, double height) {
        return Optional.empty();
    }

    /** The size the plot wants (a scrollable grid); 0 means "fill what you get". */
    default double preferredWidth() {
        return 0;
    }

    default double preferredHeight() {
        return 0;
    }

    /** A plot with nothing to show yet, with a hint in the middle. */
    static Plot placeholder(String hint) {
        return (g, width, height, style) -> {
            g.setColor(style.background());
            g.fill(new java.awt.geom.Rectangle2D.Double(0, 0, width, height));
            g.setColor(style.muted());
            g.setFont(style.font(java.awt.Font.PLAIN, 14));
            int w = g.getFontMetrics().stringWidth(hint);
            g.drawString(hint, (float) Math.max(8, (width - w) / 2), (float) height / 2);
        };
    }
}
