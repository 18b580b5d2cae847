package dev.logitscope.plot;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.Optional;

/**
 * Token × layer grid: prompt tokens as column headers, layer names down the side, each cell the
 * layer's top-1 next token on its value's colour. Draws the column range it was given, so a
 * scrolling view renders only what is visible; narrow columns drop their text and the header
 * shows position numbers instead.
 */
public final class TokenGrid implements PlotRenderer {
    /** Natural column width: about nine characters of token text. */
    public static final double COLUMN_WIDTH = 72;
    private static final double PAD = 14;
    private static final double GAP = 8;

    private final TokenGridData data;
    private final PlotTheme theme;
    private final int from;
    private final int to;

    /** Rows run in forward order, embeddings at the top, as in the label heatmap. */
    public TokenGrid(TokenGridData data, PlotTheme theme) {
        this(data, theme, 0, data.columns().size());
    }

    private TokenGrid(TokenGridData data, PlotTheme theme, int from, int to) {
        this.data = data;
        this.theme = theme;
        this.from = Math.max(0, Math.min(from, data.columns().size()));
        this.to = Math.max(this.from, Math.min(to, data.columns().size()));
    }

    /** The same grid showing only columns {@code from} (inclusive) to {@code to} (exclusive), clamped. */
    public TokenGrid withColumns(int from, int to) {
        return new TokenGrid(data, theme, from, to);
    }

    public int firstColumn() {
        return from;
    }

    public int endColumn() {
        return to;
    }

    /** How many columns of natural width fit in {@code width}: the page size of a scrolling view. */
    public int columnsThatFit(double width) {
        return (int) Math.max(1, Math.floor((width - 2 * PAD - labelWidth() - GAP) / COLUMN_WIDTH));
    }

    @Override
    public Dimension preferredSize() {
        double w = 2 * PAD + labelWidth() + GAP + Math.max(1, to - from) * COLUMN_WIDTH;
        w = Math.max(w, 2 * PAD + bar().minWidth(theme));
        double h = 2 * PAD + headerHeight() + data.rows() * rowHeight() + footerHeight();
        return new Dimension((int) Math.ceil(w), (int) Math.ceil(h));
    }

    @Override
    public void draw(Graphics2D g0, Rectangle2D area) {
        Graphics2D g = Text.begin(g0, area, theme.background());
        try {
            Layout l = new Layout(area);
            drawHeader(g, l);
            drawRows(g, l);
            bar().draw(g, theme, l.left, l.gridTop + data.rows() * l.rowH + 12, bar().minWidth(theme));
        } finally {
            g.dispose();
        }
    }

    /** The cell under {@code p} when drawn in {@code area}, for a tooltip with the top-5. */
    public Optional<GridCell> hitTest(Rectangle2D area, Point2D p) {
        Layout l = new Layout(area);
        int n = data.rows();
        double x = p.getX() - l.cellsLeft;
        double y = p.getY() - l.gridTop;
        if (n == 0 || to == from || x < 0 || y < 0 || x >= (to - from) * l.colW || y >= n * l.rowH) {
            return Optional.empty();
        }
        int column = from + (int) Math.min(to - from - 1, Math.floor(x / l.colW));
        int row = (int) Math.min(n - 1, Math.floor(y / l.rowH));
        return Optional.of(new GridCell(row, column, data.columns().get(column).position()));
    }

    /** Bounds of the cell at data {@code row} and data {@code column} (which must be in the drawn range). */
    public Rectangle2D cellBounds(Rectangle2D area, int row, int column) {
        if (column < from || column >= to) {
            throw new IllegalArgumentException("column " + column + " is outside the drawn range " + from + ".." + to);
        }
        Layout l = new Layout(area);
        return Text.rect(l.cellsLeft + (column - from) * l.colW, l.gridTop + row * l.rowH,
                l.colW, l.rowH);
    }

    // ---- layout

    private final class Layout {
        final double left;
        final double cellsLeft;
        final double gridTop;
        final double rowH;
        final double colW;

        Layout(Rectangle2D area) {
            left = area.getX() + PAD;
            cellsLeft = left + labelWidth() + GAP;
            gridTop = area.getY() + PAD + headerHeight();
            int n = data.rows();
            double availH = area.getHeight() - 2 * PAD - headerHeight() - footerHeight();
            rowH = n == 0 ? rowHeight() : Math.max(0.5, Math.min(rowHeight() * 1.5, availH / n));
            int cols = Math.max(1, to - from);
            colW = Math.max(0.25, Math.min(COLUMN_WIDTH * 1.5, (area.getMaxX() - PAD - cellsLeft) / cols));
        }
    }

    private double labelWidth() {
        Font small = theme.smallFont();
        double w = Text.width(small, "layer");
        for (String name : data.rowNames()) {
            w = Math.max(w, Text.width(small, name));
        }
        return w;
    }

    private double rowHeight() {
        return Math.ceil(Text.height(theme.font()) + 7);
    }

    private double headerHeight() {
        return Text.height(theme.monoFont()) + 10;
    }

    private double footerHeight() {
        return ColorBar.height(theme) + 14;
    }

    private ColorBar bar() {
        ValueScale scale = data.scale();
        return new ColorBar(data.valueTitle() + (data.brightIsLow() ? " · bright = low" : ""), ColorScale.viridis(),
                scale, scale.ticks(5), data.brightIsLow());
    }

    // ---- drawing

    private void drawHeader(Graphics2D g, Layout l) {
        Font mono = theme.monoFont();
        Font small = theme.smallFont();
        double cy = l.gridTop - headerHeight() / 2;
        g.setFont(small);
        g.setColor(theme.mutedText());
        Text.draw(g, "layer", l.cellsLeft - GAP, cy, Text.Align.RIGHT);
        boolean tokens = l.colW >= Text.width(mono, "ab…") + 4;
        // too narrow for tokens: number every k-th position instead, never overlapping
        int every = tokens ? 1 : (int) ValueScale.niceStep(Math.ceil((Text.width(small, "0000") + 8) / l.colW));
        g.setFont(tokens ? mono : small);
        g.setColor(tokens ? theme.text() : theme.mutedText());
        for (int c = from; c < to; c++) {
            double cx = l.cellsLeft + (c - from + 0.5) * l.colW;
            if (tokens) {
                // A token the tokenizer added (OPT's BOS) is no prompt text: muted, as the axis labels.
                g.setColor(data.columns().get(c).special() ? theme.mutedText() : theme.text());
                Text.draw(g, Text.fit(mono, data.columns().get(c).token(), l.colW - 4), cx, cy, Text.Align.CENTER);
            } else if (data.columns().get(c).position() % every == 0) {
                Text.draw(g, Integer.toString(data.columns().get(c).position()), cx, cy, Text.Align.CENTER);
            }
        }
    }

    private void drawRows(Graphics2D g, Layout l) {
        Font small = theme.smallFont();
        Font mono = theme.monoFont();
        ColorBar bar = bar();
        int n = data.rows();
        int every = (int) Math.ceil(Text.height(small) * 1.1 / l.rowH);
        boolean text = l.rowH >= Text.height(mono) + 2 && l.colW >= Text.width(mono, "a…") + 4;
        double inset = l.rowH >= 4 && l.colW >= 4 ? 0.5 : 0;
        if (inset == 0) { // sub-pixel cells: antialiased edges would show as a mesh of seams
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        }
        for (int r = 0; r < n; r++) {
            double y = l.gridTop + r * l.rowH;
            if (r % every == 0) {
                g.setFont(small);
                g.setColor(theme.mutedText());
                Text.draw(g, data.rowNames().get(r), l.cellsLeft - GAP, y + l.rowH / 2, Text.Align.RIGHT);
            }
            for (int c = from; c < to; c++) {
                double v = data.value(r, c);
                boolean missing = Double.isNaN(v);
                Color fill = missing ? theme.missing() : bar.color(v);
                Rectangle2D cell = Text.rect(l.cellsLeft + (c - from) * l.colW + inset, y + inset, l.colW - 2 * inset,
                        l.rowH - 2 * inset);
                g.setColor(fill);
                g.fill(cell);
                if (text) {
                    String label = missing && data.top1(r, c).isEmpty() ? "n/a" : data.top1(r, c);
                    g.setFont(mono);
                    g.setColor(missing ? theme.mutedText() : Contrast.textOn(fill));
                    Text.draw(g, Text.fit(mono, label, cell.getWidth() - 4), cell.getCenterX(), cell.getCenterY(),
                            Text.Align.CENTER);
                }
            }
        }
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    }
}
