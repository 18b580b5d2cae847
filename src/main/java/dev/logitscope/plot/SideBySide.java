package dev.logitscope.plot;

import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * Pictures in equal columns, left to right (two models' heatmaps of the same review): each drawn
 * into its own column, so each keeps its own layout and axis. When the columns are narrower than
 * the pictures need, their narrow forms are drawn instead (a heatmap without its per-label columns).
 */
public final class SideBySide implements PlotRenderer {
    private final List<PlotRenderer> parts;
    private final List<PlotRenderer> narrow;

    public SideBySide(List<PlotRenderer> parts) {
        this(parts, parts);
    }

    /** @param narrow the parts' narrow forms, in the same order, drawn when a column is too narrow for a part */
    public SideBySide(List<PlotRenderer> parts, List<PlotRenderer> narrow) {
        if (parts.isEmpty() || parts.size() != narrow.size()) {
            throw new IllegalArgumentException("a narrow form per part");
        }
        this.parts = List.copyOf(parts);
        this.narrow = List.copyOf(narrow);
    }

    /** As wide as the parts' widest, once per part (equal columns); as tall as the tallest. */
    @Override
    public Dimension preferredSize() {
        return size(parts);
    }

    /** The size of the narrow forms side by side. */
    public Dimension narrowSize() {
        return size(narrow);
    }

    private static Dimension size(List<PlotRenderer> renderers) {
        int w = 0;
        int h = 0;
        for (PlotRenderer p : renderers) {
            Dimension d = p.preferredSize();
            w = Math.max(w, d.width);
            h = Math.max(h, d.height);
        }
        return new Dimension(w * renderers.size(), h);
    }

    /** Whether {@code area} is too narrow for the full forms (the narrow ones are drawn). */
    public boolean narrow(Rectangle2D area) {
        return area.getWidth() + 0.5 < preferredSize().width; // a canvas scaled to fit gives back ~the width, not exactly
    }

    @Override
    public void draw(Graphics2D g, Rectangle2D area) {
        List<PlotRenderer> drawn = narrow(area) ? narrow : parts;
        for (int i = 0; i < drawn.size(); i++) {
            drawn.get(i).draw(g, column(area, i));
        }
    }

    /** Which column {@code x} falls in when drawn in {@code area}, −1 outside. */
    public int columnAt(Rectangle2D area, double x) {
        if (x < area.getX() || x >= area.getMaxX()) {
            return -1;
        }
        return (int) Math.min(parts.size() - 1, Math.floor((x - area.getX()) / (area.getWidth() / parts.size())));
    }

    /** The area column {@code i} is drawn in. */
    public Rectangle2D column(Rectangle2D area, int i) {
        double w = area.getWidth() / parts.size();
        return new Rectangle2D.Double(area.getX() + i * w, area.getY(), w, area.getHeight());
    }
}
