package dev.logitscope.plot;

import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.OptionalInt;

/**
 * Several pictures left to right in one (the heatmap of each lens, side by side). Each panel gets
 * a share of the width in proportion to its preferred width and the full height, so panels of one
 * kind line up row for row; their colour scales are the panels' own, fixed ones (a probability is
 * the same colour in every panel).
 */
public final class SideBySide implements PlotRenderer {
    /** The space between two panels, in user-space units. */
    public static final double GAP = 12;
    private final List<? extends PlotRenderer> panels;
    private final java.awt.Color background;

    public SideBySide(List<? extends PlotRenderer> panels, PlotTheme theme) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("no panel to draw");
        }
        this.panels = List.copyOf(panels);
        this.background = theme.background();
    }

    @Override
    public Dimension preferredSize() {
        double w = GAP * (panels.size() - 1);
        double h = 0;
        for (PlotRenderer p : panels) {
            Dimension d = p.preferredSize();
            w += d.getWidth();
            h = Math.max(h, d.getHeight());
        }
        return new Dimension((int) Math.ceil(w), (int) Math.ceil(h));
    }

    /** Where panel {@code i} is drawn when the whole is drawn in {@code area}. */
    public Rectangle2D panel(Rectangle2D area, int i) {
        double natural = 0;
        for (PlotRenderer p : panels) {
            natural += p.preferredSize().getWidth();
        }
        double room = Math.max(0, area.getWidth() - GAP * (panels.size() - 1));
        double x = area.getX();
        for (int k = 0; k < i; k++) {
            x += room * panels.get(k).preferredSize().getWidth() / natural + GAP;
        }
        double w = room * panels.get(i).preferredSize().getWidth() / natural;
        return new Rectangle2D.Double(x, area.getY(), w, area.getHeight());
    }

    /** The panel under x, when any. */
    public OptionalInt panelAt(Rectangle2D area, double x) {
        for (int i = 0; i < panels.size(); i++) {
            Rectangle2D r = panel(area, i);
            if (x >= r.getMinX() && x < r.getMaxX()) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    public List<? extends PlotRenderer> panels() {
        return panels;
    }

    @Override
    public void draw(Graphics2D g0, Rectangle2D area) {
        Graphics2D g = (Graphics2D) g0.create();
        try {
            g.setColor(background);
            g.fill(area);
            for (int i = 0; i < panels.size(); i++) {
                panels.get(i).draw(g, panel(area, i));
            }
        } finally {
            g.dispose();
        }
    }
}
