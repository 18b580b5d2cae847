package dev.logitscope.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The layer heatmap of one review read through several lenses, a column per lens: each cell is the
 * lens's decisive P(label | labels) at that layer (the single heatmap's renormalised column, on its
 * diverging scale — one scale for every column), with ✓/✗ against the gold label; the layers right
 * before a lens's overthinking reversal are dotted and its reversal cell outlined. Narrow enough to
 * sit beside the trajectory at the window's smallest size, where whole heatmaps side by side do not.
 */
public final class LensColumnsHeatmap implements PlotRenderer {
    private static final double PAD = 10;
    private static final double GAP = 6;
    private static final double MAX_HEADER = 130;

    private final List<String> keys;
    private final List<LabelHeatmapData> lenses;
    private final List<String> explanations;
    private final PlotTheme theme;

    /**
     * @param keys         the lenses' keys, one column each
     * @param lenses       each lens's heatmap data (the same layers)
     * @param explanations lines drawn under the picture (one per lens, exports), may be empty
     */
    public LensColumnsHeatmap(List<String> keys, List<LabelHeatmapData> lenses, List<String> explanations,
            PlotTheme theme) {
        if (keys.isEmpty() || keys.size() != lenses.size()) {
            throw new IllegalArgumentException("one key per lens, at least one");
        }
        this.keys = List.copyOf(keys);
        this.lenses = List.copyOf(lenses);
        this.explanations = List.copyOf(explanations);
        this.theme = theme;
    }

    private LabelHeatmapData first() {
        return lenses.get(0);
    }

    private int rows() {
        return first().rows().size();
    }

    /** What the cells are: P(positive | labels), or of the predicted label for more than two without gold. */
    private String caption() {
        LabelHeatmapData d = first();
        String what = d.positiveIndex() < 0 ? "predicted" : d.labels().get(d.positiveIndex());
        return "P(" + what + " | labels) by lens";
    }

    private ColorBar bar() {
        return new ColorBar(caption(), ColorScale.diverging(), ValueScale.linear(0, 1),
                List.of(0.0, 0.25, 0.5, 0.75, 1.0), false);
    }

    private record Metrics(double fh, double rowH, double captionH, double headerH, double labelW, double colW,
            List<String> footer, double footerH, double barW, double barH) {
        double width(int columns) {
            return labelW + GAP + columns * colW;
        }
    }

    private Metrics metrics() {
        Font font = theme.font();
        Font small = theme.smallFont();
        double fh = Text.height(font);
        double labelW = Text.width(small, "layer");
        for (LabelHeatmapData.Row row : first().rows()) {
            labelW = Math.max(labelW, Text.width(small, row.layerName()));
        }
        double colW = Text.width(small, "0.00e-0") + fh + 14;
        int headerLines = 1;
        for (String key : keys) {
            List<String> lines = Text.wrap(small, key, MAX_HEADER, 2);
            headerLines = Math.max(headerLines, lines.size());
            for (String line : lines) {
                colW = Math.max(colW, Math.min(MAX_HEADER, Text.width(small, line)) + 10);
            }
        }
        double gridW = labelW + GAP + keys.size() * colW;
        double barW = Math.max(gridW, Math.max(140, Text.width(small, caption()) + 8));
        List<String> footer = new ArrayList<>();
        for (String e : explanations) {
            footer.addAll(Text.wrap(theme.italicFont(), e, Math.max(barW, 260), 3));
        }
        double footerH = footer.isEmpty() ? 0 : footer.size() * (fh + 2) + 8;
        return new Metrics(fh, Math.ceil(fh + 7), Text.height(small) + 6, headerLines * Text.height(small) + 8, labelW,
                colW, footer, footerH, Math.min(ColorBar.PREFERRED_WIDTH, barW), ColorBar.height(theme) + 14);
    }

    @Override
    public Dimension preferredSize() {
        Metrics m = metrics();
        double w = PAD * 2 + Math.max(m.width(keys.size()), Math.max(m.barW, m.footer.isEmpty() ? 0 : 260));
        double h = PAD * 2 + m.captionH + m.headerH + rows() * m.rowH + m.footerH + m.barH;
        return new Dimension((int) Math.ceil(w), (int) Math.ceil(h));
    }

    /** The height below which rows would thin to bands under {@code thinRow} px. */
    public double leastHeight(double thinRow) {
        Metrics m = metrics();
        return PAD * 2 + m.captionH + m.headerH + rows() * thinRow + m.footerH + m.barH;
    }

    private record Layout(Metrics m, double left, double top, double gridTop, double rowH, double colW) {
        double colX(int c) {
            return left + m.labelW + GAP + c * colW;
        }
    }

    private Layout layout(Rectangle2D area) {
        Metrics m = metrics();
        double left = area.getX() + PAD;
        double top = area.getY() + PAD;
        double gridTop = top + m.captionH + m.headerH;
        double avail = area.getHeight() - 2 * PAD - m.captionH - m.headerH - m.footerH - m.barH;
        double rowH = rows() == 0 ? m.rowH : Math.max(0.5, Math.min(m.rowH * 1.5, avail / rows()));
        double extra = area.getWidth() - 2 * PAD - m.width(keys.size());
        double colW = m.colW + (extra > 0 ? Math.min(m.colW * 0.5, extra / keys.size()) : 0);
        return new Layout(m, left, top, gridTop, rowH, colW);
    }

    /** The (layer row, lens column) under {@code p}, when on a cell. */
    public Optional<int[]> hitTest(Rectangle2D area, Point2D p) {
        Layout l = layout(area);
        int n = rows();
        double gridLeft = l.colX(0);
        if (n == 0 || p.getX() < gridLeft || p.getX() >= l.colX(keys.size()) || p.getY() < l.gridTop
                || p.getY() >= l.gridTop + n * l.rowH) {
            return Optional.empty();
        }
        int row = (int) Math.min(n - 1, Math.floor((p.getY() - l.gridTop) / l.rowH));
        int col = (int) Math.min(keys.size() - 1, Math.floor((p.getX() - gridLeft) / l.colW));
        return Optional.of(new int[] {row, col});
    }

    @Override
    public void draw(Graphics2D g0, Rectangle2D area) {
        Graphics2D g = Text.begin(g0, area, theme.background());
        try {
            Layout l = layout(area);
            Font small = theme.smallFont();
            g.setFont(small);
            g.setColor(theme.text());
            Text.draw(g, Text.fit(small, caption(), area.getWidth() - 2 * PAD), l.left, l.top + Text.height(small) / 2,
                    Text.Align.LEFT);
            drawHeader(g, l);
            for (int r = 0; r < rows(); r++) {
                drawRow(g, l, r);
            }
            drawFooter(g, l, area);
        } finally {
            g.dispose();
        }
    }

    private void drawHeader(Graphics2D g, Layout l) {
        Font small = theme.smallFont();
        g.setFont(small);
        g.setColor(theme.mutedText());
        double lh = Text.height(small);
        double bottom = l.gridTop - 5 - lh / 2;
        Text.draw(g, "layer", l.left + l.m.labelW, bottom, Text.Align.RIGHT);
        g.setColor(theme.text());
        for (int c = 0; c < keys.size(); c++) {
            List<String> lines = Text.wrap(small, keys.get(c), l.colW - 6, 2);
            for (int i = 0; i < lines.size(); i++) {
                Text.draw(g, Text.fit(small, lines.get(i), l.colW - 4), l.colX(c) + l.colW / 2,
                        bottom - (lines.size() - 1 - i) * lh, Text.Align.CENTER);
            }
        }
    }

    private void drawRow(Graphics2D g, Layout l, int r) {
        double y = l.gridTop + r * l.rowH;
        double h = l.rowH;
        boolean text = h >= l.m.fh * 0.85;
        Font small = theme.smallFont();
        int every = (int) Math.ceil(Text.height(small) * 1.1 / h);
        if (r % every == 0) {
            g.setFont(small);
            g.setColor(theme.mutedText());
            Text.draw(g, first().rows().get(r).layerName(), l.left + l.m.labelW, y + h / 2, Text.Align.RIGHT);
        }
        ColorBar bar = bar();
        double inset = h >= 4 ? 0.5 : 0;
        for (int c = 0; c < keys.size(); c++) {
            LabelHeatmapData.Row row = lenses.get(c).rows().get(r);
            Rectangle2D cell = Text.rect(l.colX(c) + 1, y + inset, l.colW - 2, h - 2 * inset);
            double v = row.normalizedPositive();
            Color fill = Double.isNaN(v) ? theme.missing() : bar.color(v);
            g.setColor(fill);
            g.fill(cell);
            double icon = Math.min(l.m.fh * 0.55, h * 0.6);
            Color ink = Double.isNaN(v) ? theme.mutedText() : Contrast.textOn(fill);
            if (text) {
                g.setFont(small);
                g.setColor(ink);
                Text.draw(g, Numbers.probability(v), cell.getCenterX() - icon / 2, cell.getCenterY(), Text.Align.CENTER);
            }
            if (row.verdict() != LabelHeatmapData.Verdict.UNKNOWN && icon >= 2) {
                double x = cell.getMaxX() - icon - 4;
                g.setColor(ink);
                g.setStroke(new BasicStroke((float) Math.max(1, icon / 6), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(row.verdict() == LabelHeatmapData.Verdict.RIGHT ? check(x, cell.getCenterY(), icon)
                        : cross(x, cell.getCenterY(), icon));
            }
            if (row.overthinkingRight()) {
                double d = Math.max(2, Math.min(6, h * 0.4));
                g.setColor(ink);
                g.fill(new Ellipse2D.Double(cell.getX() + 3, cell.getCenterY() - d / 2, d, d));
            }
            if (row.reversal()) {
                g.setColor(theme.text());
                g.setStroke(new BasicStroke(2f));
                g.draw(Text.rect(cell.getX() - 0.5, y - 1, cell.getWidth() + 1, h + 2));
            }
        }
    }

    private void drawFooter(Graphics2D g, Layout l, Rectangle2D area) {
        double y = l.gridTop + rows() * l.rowH + 8;
        if (!l.m.footer().isEmpty()) {
            Font italic = theme.italicFont();
            g.setFont(italic);
            g.setColor(theme.text());
            for (String line : l.m.footer()) {
                Text.draw(g, Text.fit(italic, line, area.getWidth() - 2 * PAD), l.left, y + l.m.fh / 2, Text.Align.LEFT);
                y += l.m.fh + 2;
            }
            y += 8;
        }
        bar().draw(g, theme, l.left, y + 6, Math.min(l.m.barW(), area.getWidth() - 2 * PAD));
    }

    private static Path2D check(double x, double cy, double s) {
        Path2D p = new Path2D.Double();
        p.moveTo(x, cy);
        p.lineTo(x + s * 0.38, cy + s * 0.4);
        p.lineTo(x + s, cy - s * 0.45);
        return p;
    }

    private static Path2D cross(double x, double cy, double s) {
        double h = s / 2;
        Path2D p = new Path2D.Double();
        p.moveTo(x, cy - h);
        p.lineTo(x + s, cy + h);
        p.moveTo(x, cy + h);
        p.lineTo(x + s, cy - h);
        return p;
    }
}
