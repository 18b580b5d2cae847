package dev.logitscope.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;

/** Strokes and point glyphs shared by the charts and their legends. */
final class Lines {
    static final float WIDTH = 2f;
    static final double POINT = 5;
    static final double RING = 13;
    static final double MARKER = 7.5;

    /** The thin dashed line of a reference value (chance). */
    static final Stroke REFERENCE = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {4f, 3f}, 0f);

    private Lines() {}

    static Stroke stroke(Series.Dash dash, float width) {
        return switch (dash) {
            case SOLID -> new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
            case DASHED -> new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {7f, 4f}, 0f);
            case DOTTED -> new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {0.1f, 4.5f}, 0f);
            case DASH_DOT -> new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {8f, 3.5f, 1.5f, 3.5f}, 0f);
            case LONG_DASH -> new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {13f, 5f}, 0f);
            case DASH_DOT_DOT -> new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {8f, 3f, 1.5f, 3f, 1.5f, 3f}, 0f);
        };
    }

    static void point(Graphics2D g, double x, double y) {
        g.fill(new Ellipse2D.Double(x - POINT / 2, y - POINT / 2, POINT, POINT));
    }

    /**
     * A series' marker with a ring of the background around it, so a point on top of another
     * (two conditions at the same accuracy) leaves the one below visible at its edge.
     */
    static void marker(Graphics2D g, Marker marker, boolean hollow, double x, double y, Color color, Color background) {
        Shape shape = marker.at(x, y, MARKER);
        g.setStroke(new BasicStroke(2.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(background);
        g.draw(shape);
        g.fill(shape);
        g.setColor(color);
        if (hollow) {
            g.setStroke(new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(shape);
        } else {
            g.fill(shape);
        }
    }

    static void ring(Graphics2D g, double x, double y) {
        g.setStroke(new BasicStroke(1.6f));
        g.draw(new Ellipse2D.Double(x - RING / 2, y - RING / 2, RING, RING));
    }

    static void sample(Graphics2D g, Legend.Entry e, double x, double cy, double width, PlotTheme theme) {
        g.setColor(e.color());
        if (e.glyph() == Legend.Glyph.NOTE) {
            java.awt.FontMetrics fm = g.getFontMetrics();
            g.drawString("†", (float) (x + (width - fm.stringWidth("†")) / 2), (float) (cy + fm.getAscent() / 2.0 - 1));
            return;
        }
        if (e.glyph() == Legend.Glyph.RING) {
            ring(g, x + width / 2, cy);
            return;
        }
        if (e.glyph() == Legend.Glyph.REFERENCE) {
            g.setStroke(REFERENCE);
            g.draw(new Line2D.Double(x, cy, x + width, cy));
            return;
        }
        g.setStroke(stroke(e.dash(), WIDTH));
        g.draw(new Line2D.Double(x, cy, x + width, cy));
        if (e.glyph() == Legend.Glyph.LINE_AND_POINT) {
            marker(g, e.marker(), e.hollow(), x + width / 2, cy, e.color(), theme.background());
        }
    }
}
