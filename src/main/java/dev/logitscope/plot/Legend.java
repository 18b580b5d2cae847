package dev.logitscope.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.util.List;

/** A one- or multi-line legend flowing left to right: a line sample (and point) then the name. */
final class Legend {
    private static final double SAMPLE = 24;
    private static final double ITEM_GAP = 18;

    /** NOTE: a text-only entry (a footnote such as "† post-LN, no final norm"). */
    enum Glyph { LINE, LINE_AND_POINT, RING, REFERENCE, NOTE }

    record Entry(String name, Color color, Series.Dash dash, Glyph glyph, Marker marker, boolean hollow) {
        Entry(String name, Color color, Series.Dash dash, Glyph glyph) {
            this(name, color, dash, glyph, Marker.CIRCLE, false);
        }
    }

    private Legend() {}

    static double height(List<Entry> entries, double width, PlotTheme theme) {
        if (entries.isEmpty()) {
            return 0;
        }
        return lines(entries, width, theme) * lineHeight(theme);
    }

    static void draw(Graphics2D g, List<Entry> entries, double x, double y, double width, PlotTheme theme) {
        Font small = theme.smallFont();
        double lh = lineHeight(theme);
        double cx = x;
        double cy = y + lh / 2;
        for (Entry e : entries) {
            double w = itemWidth(e, small);
            if (cx > x && cx + w > x + width) {
                cx = x;
                cy += lh;
            }
            Lines.sample(g, e, cx, cy, SAMPLE, theme);
            g.setFont(small);
            g.setColor(theme.text());
            Text.draw(g, Text.fit(small, e.name(), width - SAMPLE - 6), cx + SAMPLE + 6, cy, Text.Align.LEFT);
            cx += w + ITEM_GAP;
        }
    }

    private static int lines(List<Entry> entries, double width, PlotTheme theme) {
        Font small = theme.smallFont();
        int lines = 1;
        double cx = 0;
        for (Entry e : entries) {
            double w = itemWidth(e, small);
            if (cx > 0 && cx + w > width) {
                lines++;
                cx = 0;
            }
            cx += w + ITEM_GAP;
        }
        return lines;
    }

    static double naturalWidth(List<Entry> entries, PlotTheme theme) {
        double w = 0;
        for (Entry e : entries) {
            w += itemWidth(e, theme.smallFont()) + ITEM_GAP;
        }
        return Math.max(0, w - ITEM_GAP);
    }

    private static double itemWidth(Entry e, Font small) {
        return SAMPLE + 6 + Text.width(small, e.name());
    }

    private static double lineHeight(PlotTheme theme) {
        return Text.height(theme.smallFont()) + 6;
    }
}
