package dev.logitscope.plot;

import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;

/**
 * A picture that can be drawn on any {@link Graphics2D}: a JavaFX canvas (through FXGraphics2D),
 * a PNG image or an SVG document. Renderers are immutable: their data and theme are fixed at
 * construction, and {@link #draw} fills the whole area, background included.
 */
public interface PlotRenderer {

    /** The size at which everything is legible without crowding, in user-space units (pixels at scale 1). */
    Dimension preferredSize();

    /** Draws into {@code area}; the graphics state of {@code g} is left as it was found. */
    void draw(Graphics2D g, Rectangle2D area);
}
