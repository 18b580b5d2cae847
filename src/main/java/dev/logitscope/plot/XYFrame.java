package dev.logitscope.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.OptionalInt;

/**
 * The plotting rectangle of an x–y chart inside a given box, with the room its tick labels and
 * axis titles need, and the mapping from data to user space.
 */
final class XYFrame {
    final Rectangle2D plot;
    final Axis x;
    final Axis y;
    private final PlotTheme theme;

    private XYFrame(Rectangle2D plot, Axis x, Axis y, PlotTheme theme) {
        this.plot = plot;
        this.x = x;
        this.y = y;
        this.theme = theme;
    }

    /** Lays out the frame in {@code box}, leaving room for tick labels and the titles (either may be empty). */
    static XYFrame inside(Rectangle2D box, Axis x, Axis y, String xTitle, String yTitle, PlotTheme theme) {
        Font small = theme.smallFont();
        double lh = Text.height(small);
        double yLabels = 0;
        for (Axis.Tick t : y.ticks()) {
            yLabels = Math.max(yLabels, Text.width(small, t.label()));
        }
        double left = (yTitle.isEmpty() ? 0 : lh + 8) + yLabels + 8;
        double bottom = lh + 8 + (x.hasSublabels() ? lh + 2 : 0) + (xTitle.isEmpty() ? 0 : lh + 8);
        // room for the last x tick label, which is centred on the right edge
        double right = x.ticks().isEmpty() ? 8
                : Math.max(8, Text.width(small, x.ticks().get(x.ticks().size() - 1).label()) / 2 + 2);
        double top = lh / 2;
        Rectangle2D plot = Text.rect(box.getX() + left, box.getY() + top, box.getWidth() - left - right,
                box.getHeight() - top - bottom);
        return new XYFrame(plot, x, y, theme);
    }

    double px(double v) {
        return plot.getX() + x.scale().normalize(v) * plot.getWidth();
    }

    double py(double v) {
        return plot.getMaxY() - y.scale().normalize(v) * plot.getHeight();
    }

    /**
     * On a layer axis, the whole layer nearest {@code p} when p is over the plot (with half a
     * layer of slack beyond each end): what a tooltip describes.
     */
    OptionalInt layerAt(Point2D p) {
        double half = Math.abs(px(1) - px(0)) / 2;
        if (p.getX() < plot.getX() - half || p.getX() > plot.getMaxX() + half || p.getY() < plot.getY()
                || p.getY() > plot.getMaxY()) {
            return OptionalInt.empty();
        }
        double at = x.scale().valueAt((p.getX() - plot.getX()) / plot.getWidth());
        long layer = Math.max((long) Math.ceil(x.scale().min()), Math.min((long) Math.floor(x.scale().max()), Math.round(at)));
        return OptionalInt.of((int) layer);
    }

    /** The x value under {@code p} when p is over the plot (any axis). */
    java.util.OptionalDouble xAt(Point2D p) {
        if (p.getX() < plot.getX() || p.getX() > plot.getMaxX() || p.getY() < plot.getY() || p.getY() > plot.getMaxY()) {
            return java.util.OptionalDouble.empty();
        }
        return java.util.OptionalDouble.of(x.scale().valueAt((p.getX() - plot.getX()) / plot.getWidth()));
    }

    /** Grid lines, the two axis lines, tick labels and axis titles. */
    void drawAxes(Graphics2D g, String xTitle, String yTitle) {
        Font small = theme.smallFont();
        double lh = Text.height(small);
        g.setFont(small);
        g.setStroke(new BasicStroke(1f));
        for (Axis.Tick t : y.ticks()) {
            double yy = py(t.value());
            g.setColor(theme.grid());
            g.draw(new Line2D.Double(plot.getX(), yy, plot.getMaxX(), yy));
            g.setColor(theme.mutedText());
            Text.draw(g, t.label(), plot.getX() - 6, yy, Text.Align.RIGHT);
        }
        double lastRight = Double.NEGATIVE_INFINITY;
        for (Axis.Tick t : x.ticks()) {
            double xx = px(t.value());
            g.setColor(theme.axis());
            g.draw(new Line2D.Double(xx, plot.getMaxY(), xx, plot.getMaxY() + 4));
            double w = Math.max(Text.width(small, t.label()), Text.width(small, t.sublabel()));
            if (xx - w / 2 < lastRight + 6) {
                continue; // skip a label that would touch its neighbour
            }
            lastRight = xx + w / 2;
            g.setColor(theme.mutedText());
            Text.draw(g, t.label(), xx, plot.getMaxY() + 6 + lh / 2, Text.Align.CENTER);
            if (!t.sublabel().isEmpty()) {
                Text.draw(g, t.sublabel(), xx, plot.getMaxY() + 8 + lh * 1.5, Text.Align.CENTER);
            }
        }
        g.setColor(theme.axis());
        g.draw(new Line2D.Double(plot.getX(), plot.getY(), plot.getX(), plot.getMaxY()));
        g.draw(new Line2D.Double(plot.getX(), plot.getMaxY(), plot.getMaxX(), plot.getMaxY()));
        g.setColor(theme.text());
        if (!xTitle.isEmpty()) {
            double ty = plot.getMaxY() + 8 + lh + (x.hasSublabels() ? lh + 2 : 0) + 6 + lh / 2;
            Text.draw(g, fitTitle(small, xTitle, plot.getWidth()), plot.getCenterX(), ty, Text.Align.CENTER);
        }
        if (!yTitle.isEmpty()) {
            double yLabels = 0;
            for (Axis.Tick t : y.ticks()) {
                yLabels = Math.max(yLabels, Text.width(small, t.label()));
            }
            Text.drawVertical(g, yTitle, plot.getX() - 8 - yLabels - 8 - lh / 2, plot.getCenterY());
        }
    }

    /**
     * A title that fits {@code width}: whole, else without its closing parenthetical remark
     * ("relative depth (layer / L)" → "relative depth"), else shortened with an ellipsis.
     */
    static String fitTitle(Font font, String title, double width) {
        if (Text.width(font, title) <= width) {
            return title;
        }
        int open = title.lastIndexOf(" (");
        String bare = open > 0 && title.endsWith(")") ? title.substring(0, open) : title;
        return Text.fit(font, bare, width);
    }

    /** A thin dashed horizontal line (chance, 0.5) with its name at the right end. */
    void drawReference(Graphics2D g, double value, String label) {
        if (Double.isNaN(value)) {
            return;
        }
        double yy = py(value);
        g.setColor(theme.axis());
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
        g.draw(new Line2D.Double(plot.getX(), yy, plot.getMaxX(), yy));
        if (!label.isEmpty()) {
            Font small = theme.smallFont();
            g.setFont(small);
            g.setColor(theme.mutedText());
            Text.draw(g, label, plot.getMaxX() - 4, yy - Text.height(small) / 2 - 1, Text.Align.RIGHT);
        }
    }

    /** A vertical accent line with its label at the top, on whichever side has room. */
    void drawMarker(Graphics2D g, LayerMarker marker) {
        if (marker == null || Double.isNaN(marker.depth())) {
            return;
        }
        double xx = px(marker.depth());
        g.setColor(theme.accent());
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 3f}, 0f));
        g.draw(new Line2D.Double(xx, plot.getY(), xx, plot.getMaxY()));
        Font small = theme.smallFont();
        double w = Text.width(small, marker.label());
        double lh = Text.height(small);
        boolean right = xx + 4 + w <= plot.getMaxX();
        double left = right ? xx + 4 : Math.max(plot.getX(), xx - 4 - w);
        g.setColor(theme.background());
        g.fill(Text.rect(left - 2, plot.getY() + 1, w + 4, lh + 2));
        g.setFont(small);
        g.setColor(theme.accent());
        Text.draw(g, marker.label(), left, plot.getY() + 2 + lh / 2, Text.Align.LEFT);
    }

    /** The series as a polyline clipped to the frame; NaN breaks the line; points when {@code points}. */
    void drawSeries(Graphics2D g, Series s, boolean points) {
        drawSeries(g, s, points, 0);
    }

    /**
     * The same, with the markers shifted {@code dodge} pixels sideways (the line stays at the true
     * x), so equal values of several series stay visible.
     */
    void drawSeries(Graphics2D g, Series s, boolean points, double dodge) {
        Color color = theme.seriesColor(s.colorIndex());
        Shape savedClip = g.getClip();
        // room for a whole marker at the frame's edges, short of the y tick labels (6 px left of the axis)
        g.clip(Text.rect(plot.getX() - 5, plot.getY() - 9, plot.getWidth() + 14, plot.getHeight() + 18));
        g.setColor(color);
        g.setStroke(Lines.stroke(s.dash(), Lines.WIDTH));
        Path2D path = new Path2D.Double();
        boolean open = false;
        int drawn = 0;
        for (int i = 0; i < s.size(); i++) {
            double vx = s.xAt(i);
            double vy = s.yAt(i);
            if (!Double.isFinite(vx) || !Double.isFinite(vy)) {
                open = false;
                continue;
            }
            if (open) {
                path.lineTo(px(vx), py(vy));
            } else {
                path.moveTo(px(vx), py(vy));
                open = true;
            }
            drawn++;
        }
        if (drawn > 0) {
            g.draw(path);
        }
        if (points || drawn == 1) { // a lone value would be invisible as a line
            for (int i = 0; i < s.size(); i++) {
                if (Double.isFinite(s.xAt(i)) && Double.isFinite(s.yAt(i))) {
                    Lines.marker(g, s.marker(), s.hollow(), px(s.xAt(i)) + dodge, py(s.yAt(i)), color,
                            theme.background());
                }
            }
        }
        g.setClip(savedClip);
    }

    /** A muted note in the middle of an empty frame. */
    void drawEmpty(Graphics2D g, String note) {
        g.setFont(theme.font());
        g.setColor(theme.mutedText());
        Text.draw(g, note, plot.getCenterX(), plot.getCenterY(), Text.Align.CENTER);
    }
}
