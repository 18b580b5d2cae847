package dev.logitscope.plot;

import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * A plot with a title block above it that says which model, condition and input it shows, so an
 * exported picture stands on its own. The title wraps to the plot's width (it never widens it).
 */
public final class Figure implements PlotRenderer {
    private static final double PAD = 14;
    private static final double MIN_WIDTH = 300;
    private static final int HEADLINE_LINES = 2;
    private static final int DETAIL_LINES = 2;

    private final FigureTitle title;
    private final PlotRenderer plot;
    private final PlotTheme theme;

    public Figure(FigureTitle title, PlotRenderer plot, PlotTheme theme) {
        this.title = title;
        this.plot = plot;
        this.theme = theme;
    }

    public FigureTitle title() {
        return title;
    }

    public PlotRenderer plot() {
        return plot;
    }

    /** The title's lines at a figure width: headline lines first, then the detail's. */
    public record Lines(List<String> headline, List<String> detail) {}

    public Lines lines(double width) {
        double w = Math.max(1, width - 2 * PAD);
        List<String> head = title.headline().isEmpty() ? List.of()
                : Text.wrap(theme.titleFont(), title.headline(), w, HEADLINE_LINES);
        List<String> detail = title.detail().isEmpty() ? List.of()
                : Text.wrap(theme.font(), title.detail(), w, DETAIL_LINES);
        return new Lines(head, detail);
    }

    @Override
    public Dimension preferredSize() {
        Dimension inner = plot.preferredSize();
        int w = (int) Math.max(MIN_WIDTH, inner.width);
        return new Dimension(w, (int) Math.ceil(titleHeight(w)) + inner.height);
    }

    private double titleHeight(double width) {
        Lines l = lines(width);
        if (l.headline().isEmpty() && l.detail().isEmpty()) {
            return 0;
        }
        return PAD + l.headline().size() * lineHeight(theme.titleFont()) + l.detail().size() * lineHeight(theme.font());
    }

    private static double lineHeight(Font font) {
        return Text.height(font) * 1.2;
    }

    @Override
    public void draw(Graphics2D g0, Rectangle2D area) {
        Graphics2D g = Text.begin(g0, area, theme.background());
        try {
            double th = Math.min(area.getHeight(), titleHeight(area.getWidth()));
            Lines l = lines(area.getWidth());
            double x = area.getX() + PAD;
            double y = area.getY() + PAD;
            g.setColor(theme.text());
            y = drawLines(g, l.headline(), theme.titleFont(), x, y);
            drawLines(g, l.detail(), theme.font(), x, y);
            plot.draw(g, Text.rect(area.getX(), area.getY() + th, area.getWidth(), area.getHeight() - th));
        } finally {
            g.dispose();
        }
    }

    private static double drawLines(Graphics2D g, List<String> lines, Font font, double x, double y) {
        g.setFont(font);
        double lh = lineHeight(font);
        for (String line : lines) {
            Text.draw(g, line, x, y + lh / 2, Text.Align.LEFT);
            y += lh;
        }
        return y;
    }
}
