package dev.logitscope.plot;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;

/** Strokes and point glyphs shared by the charts and their legends. */
final class Lines {
    static final float WIDTH = 2f;
    static final double POINT = 5;
    static final double RING = 13;

    private Lines() {}

    static Stroke stroke(Series.Dash dash, float width) {
        return switch (dash) {
            case SOLID -> new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
            case DASHED -> new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {7f, 4f}, 0f);
            case DOTTED -> new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {0.1f, 4.5f}, 0f);
        };
    }

    static void point(Graphics2D g, double x, double y) {
        g.fill(new Ellipse2D.Double(x - POINT / 2, y - POINT / 2, POINT, POINT));
    }

    static void ring(Graphics2D g, double x, double y) {
        g.setStroke(new BasicStroke(1.6f));
        g.draw(new Ellipse2D.Double(x - RING / 2, y - RING / 2, RING, RING));
    }

    static void sample(Graphics2D g, Legend.Entry e, double x, double cy, double width, PlotTheme theme) {
        g.setColor(e.color());
        if (e.glyph() == Legend.Glyph.RING) {
            ring(g, x + width / 2, cy);
            return;
        }
        g.setStroke(stroke(e.dash(), WIDTH));
        g.draw(new Line2D.Double(x, cy, x + width, cy));
        if (e.glyph() == Legend.Glyph.LINE_AND_POINT) {
            point(g, x + width / 2, cy);
        }
    }
}
