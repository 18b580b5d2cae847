package dev.logitscope.plot;

import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/** The point glyph of a series: a third cue besides colour and dash, so coinciding points stay apart. */
public enum Marker {
    CIRCLE, TRIANGLE, SQUARE, DIAMOND, TRIANGLE_DOWN, PENTAGON;

    /** The glyph centred on (x, y), about {@code size} across (shapes of equal visual weight). */
    Shape at(double x, double y, double size) {
        double r = size / 2;
        return switch (this) {
            case CIRCLE -> new Ellipse2D.Double(x - r, y - r, size, size);
            case SQUARE -> new Rectangle2D.Double(x - r * 0.9, y - r * 0.9, size * 0.9, size * 0.9);
            case TRIANGLE -> polygon(x, y + r * 0.15, r * 1.25, 3, -Math.PI / 2);
            case TRIANGLE_DOWN -> polygon(x, y - r * 0.15, r * 1.25, 3, Math.PI / 2);
            case DIAMOND -> polygon(x, y, r * 1.2, 4, -Math.PI / 2);
            case PENTAGON -> polygon(x, y, r * 1.1, 5, -Math.PI / 2);
        };
    }

    private static Shape polygon(double cx, double cy, double radius, int corners, double start) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < corners; i++) {
            double a = start + 2 * Math.PI * i / corners;
            double px = cx + radius * Math.cos(a);
            double py = cy + radius * Math.sin(a);
            if (i == 0) {
                p.moveTo(px, py);
            } else {
                p.lineTo(px, py);
            }
        }
        p.closePath();
        return p;
    }
}
