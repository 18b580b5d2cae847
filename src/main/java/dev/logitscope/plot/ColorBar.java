package dev.logitscope.plot;

import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.util.List;

/** A horizontal colour-bar legend: title, bar, tick marks with labels. */
record ColorBar(String title, ColorScale colors, ValueScale scale, List<Double> ticks, boolean reversed) {
    static final double BAR_HEIGHT = 10;
    static final double PREFERRED_WIDTH = 180;

    ColorBar {
        ticks = List.copyOf(ticks);
    }

    static ColorBar of(String title, ColorScale colors, ValueScale scale) {
        return new ColorBar(title, colors, scale, scale.ticks(5), false);
    }

    /** The colour of a value, as cells draw it. */
    java.awt.Color color(double value) {
        double t = scale.normalize(value);
        return colors.at(reversed ? 1 - t : t);
    }

    static double height(PlotTheme theme) {
        return Text.height(theme.smallFont()) * 2 + BAR_HEIGHT + 6;
    }

    double minWidth(PlotTheme theme) {
        return Math.max(PREFERRED_WIDTH, Text.width(theme.smallFont(), title) + 8);
    }

    void draw(Graphics2D g, PlotTheme theme, double x, double y, double width) {
        Font small = theme.smallFont();
        double lh = Text.height(small);
        g.setFont(small);
        g.setColor(theme.text());
        Text.draw(g, Text.fit(small, title, width), x, y + lh / 2, Text.Align.LEFT);
        double barY = y + lh + 2;
        int strips = (int) Math.max(2, Math.min(256, Math.ceil(width)));
        double sw = width / strips;
        for (int i = 0; i < strips; i++) {
            double t = (i + 0.5) / strips;
            g.setColor(colors.at(reversed ? 1 - t : t));
            // overlap by a hair so antialiasing leaves no seams between strips
            g.fill(Text.rect(x + i * sw, barY, sw + (i < strips - 1 ? 0.6 : 0), BAR_HEIGHT));
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(theme.axis());
        double tickY = barY + BAR_HEIGHT;
        double lastRight = Double.NEGATIVE_INFINITY;
        for (double v : ticks) {
            double tx = x + scale.normalize(v) * width;
            g.draw(new Line2D.Double(tx, tickY, tx, tickY + 3));
            String label = Numbers.tick(v, scale.log());
            double w = Text.width(small, label);
            double left = Math.max(x - 2, Math.min(tx - w / 2, x + width + 2 - w));
            if (left > lastRight + 4) { // never let tick labels collide
                g.setColor(theme.mutedText());
                Text.draw(g, label, left, tickY + 4 + lh / 2, Text.Align.LEFT);
                g.setColor(theme.axis());
                lastRight = left + w;
            }
        }
    }
}
