package dev.logitscope.plot;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/** What the line charts share: the title and legend stacked above the frame, and ranges over series. */
final class ChartParts {
    static final double PAD = 14;

    private ChartParts() {}

    /** Draws the title and legend at the top of {@code area} and returns the box left for the chart. */
    static Rectangle2D header(Graphics2D g, Rectangle2D area, String title, List<Legend.Entry> legend, PlotTheme theme) {
        double x = area.getX() + PAD;
        double y = area.getY() + PAD;
        double w = area.getWidth() - 2 * PAD;
        if (!title.isEmpty()) {
            g.setFont(theme.titleFont());
            g.setColor(theme.text());
            double th = Text.height(theme.titleFont());
            Text.draw(g, Text.fit(theme.titleFont(), title, w), x, y + th / 2, Text.Align.LEFT);
            y += th + 8;
        }
        if (!legend.isEmpty()) {
            Legend.draw(g, legend, x, y, w, theme);
        }
        return belowHeader(area, title, legend, theme);
    }

    /** The box {@link #header} leaves for the chart, computed without drawing (for hit tests). */
    static Rectangle2D belowHeader(Rectangle2D area, String title, List<Legend.Entry> legend, PlotTheme theme) {
        double x = area.getX() + PAD;
        double y = area.getY() + PAD;
        double w = area.getWidth() - 2 * PAD;
        if (!title.isEmpty()) {
            y += Text.height(theme.titleFont()) + 8;
        }
        if (!legend.isEmpty()) {
            y += Legend.height(legend, w, theme) + 6;
        }
        return Text.rect(x, y, w, area.getMaxY() - PAD - y);
    }

    static List<Legend.Entry> legend(List<Series> series, PlotTheme theme, boolean points) {
        List<Legend.Entry> out = new ArrayList<>();
        for (Series s : series) {
            // a negative colour: a key entry for a dash (the neutral text colour, a line without a point)
            boolean glyphOnly = s.colorIndex() < 0;
            out.add(new Legend.Entry(s.name(), s.colorIndex() < 0 ? theme.text() : theme.seriesColor(s.colorIndex()),
                    s.dash(), points && !glyphOnly ? Legend.Glyph.LINE_AND_POINT : Legend.Glyph.LINE, s.marker(),
                    s.hollow()));
        }
        return out;
    }

    /** The legend entry of a reference line ("chance"), so its label never sits on the data. */
    static Legend.Entry reference(String name, PlotTheme theme) {
        return new Legend.Entry(name, theme.axis(), Series.Dash.DASHED, Legend.Glyph.REFERENCE);
    }

    /**
     * Horizontal offsets, in pixels, for the markers of {@code count} series drawn at the same x:
     * a few pixels apart, centred, so equal values side by side stay visible.
     */
    static double dodge(int index, int count) {
        double step = count <= 2 ? 5.0 : 10.0 / (count - 1); // never more than ±5 px off the true x
        return count < 2 ? 0 : (index - (count - 1) / 2.0) * step;
    }

    /** {min, max} of the finite x values of all series, or null when there are none. */
    static double[] xRange(List<Series> series) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.size(); i++) {
                if (Double.isFinite(s.xAt(i))) {
                    lo = Math.min(lo, s.xAt(i));
                    hi = Math.max(hi, s.xAt(i));
                }
            }
        }
        return lo <= hi ? new double[] {lo, hi} : null;
    }

    static boolean hasValues(List<Series> series) {
        for (Series s : series) {
            for (int i = 0; i < s.size(); i++) {
                if (Double.isFinite(s.xAt(i)) && Double.isFinite(s.yAt(i))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Points are drawn when the lines are short enough for them to be told apart. */
    static boolean points(List<Series> series) {
        int longest = 0;
        for (Series s : series) {
            longest = Math.max(longest, s.size());
        }
        return longest <= 16;
    }
}
