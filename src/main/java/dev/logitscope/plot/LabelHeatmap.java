package dev.logitscope.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.OptionalInt;

/**
 * One row per layer: P(label) per label on viridis (linear or log), the renormalised P(positive)
 * on a diverging scale centred at 0.5, and the predicted label with ✓/✗ when the gold label is
 * known. Layers that were right before the model overthought get a dot in the marker column; the
 * reversal row is outlined and the explanation is written under the grid. Colour bars at the foot.
 */
public final class LabelHeatmap implements PlotRenderer {
    private static final double PAD = 10;
    private static final double MARKER_W = 16;
    private static final double GAP = 6;
    private static final double BAR_GAP = 28;
    /** Narrowest colour bar whose five tick labels stay apart. */
    private static final double MIN_BAR = 140;

    private final LabelHeatmapData data;
    private final PlotTheme theme;
    private final boolean logScale;
    /** Only the renormalised column and the prediction (two models side by side in a narrow window). */
    private final boolean compact;

    /** Rows run in forward order, embeddings at the top: reading down follows the forward pass. */
    public LabelHeatmap(LabelHeatmapData data, PlotTheme theme, boolean logScale) {
        this(data, theme, logScale, false);
    }

    /**
     * @param compact leave out the per-label probability columns and their colour bar, keeping the
     *                renormalised probability and the prediction (the hover text still has them all)
     */
    public LabelHeatmap(LabelHeatmapData data, PlotTheme theme, boolean logScale, boolean compact) {
        this.data = data;
        this.theme = theme;
        this.logScale = logScale;
        this.compact = compact;
    }

    public LabelHeatmap(LabelHeatmapData data, PlotTheme theme) {
        this(data, theme, false);
    }

    public LabelHeatmapData data() {
        return data;
    }

    /** Number of cell columns: one per label (none when compact), the renormalised one, the predicted label. */
    public int columnCount() {
        return labelColumns() + 2;
    }

    /** Column index of the renormalised P(positive). */
    public int normalizedColumn() {
        return labelColumns();
    }

    /** Column index of the predicted label. */
    public int predictedColumn() {
        return labelColumns() + 1;
    }

    private int labelColumns() {
        return compact ? 0 : data.labels().size();
    }

    @Override
    public Dimension preferredSize() {
        // compact: as narrow as the grid allows, so an exported picture stays legible at column
        // width; the explanation wraps under it and the colour bars stack when side by side is wider
        Metrics m = metrics();
        double w = PAD * 2 + Math.max(m.gridWidth(), m.barsW());
        double h = PAD * 2 + m.fixedHeight() + data.rows().size() * m.rowHeight;
        return new Dimension((int) Math.ceil(w), (int) Math.ceil(h));
    }

    @Override
    public void draw(Graphics2D g0, Rectangle2D area) {
        Graphics2D g = Text.begin(g0, area, theme.background());
        try {
            Layout l = layout(area);
            drawTitle(g, l);
            drawHeader(g, l);
            if (l.rowH < 4) { // sub-pixel rows: antialiased edges would show as seams between them
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            }
            for (int r = 0; r < data.rows().size(); r++) {
                drawRow(g, l, r);
            }
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            drawReversals(g, l);
            drawFooter(g, l);
        } finally {
            g.dispose();
        }
    }

    /** The data row under {@code p} when drawn in {@code area} (any column, row labels included). */
    public OptionalInt hitTest(Rectangle2D area, Point2D p) {
        Layout l = layout(area);
        int n = data.rows().size();
        if (n == 0 || p.getX() < l.left || p.getX() >= l.right() || p.getY() < l.gridTop
                || p.getY() >= l.gridTop + n * l.rowH) {
            return OptionalInt.empty();
        }
        int display = (int) Math.min(n - 1, Math.floor((p.getY() - l.gridTop) / l.rowH));
        return OptionalInt.of(display);
    }

    /** The cell of data row {@code row} and column {@code column} (see {@link #columnCount()}) in {@code area}. */
    public Rectangle2D cellBounds(Rectangle2D area, int row, int column) {
        Layout l = layout(area);
        return Text.rect(l.colX[column], l.rowY(row), l.colW[column], l.rowH);
    }

    // ---- layout

    /** Sizes that do not depend on the area. */
    private record Metrics(double fh, double rowHeight, double titleH, double headerH, double labelW,
            double[] colW, List<String> explanation, double explanationH, boolean barsStacked, double barsH,
            double barW, double barsW) {
        double gridWidth() {
            double w = labelW + GAP + MARKER_W;
            for (double c : colW) {
                w += c;
            }
            return w;
        }

        double fixedHeight() {
            return titleH + headerH + explanationH + barsH;
        }
    }

    private Metrics metrics() {
        Font font = theme.font();
        Font small = theme.smallFont();
        double fh = Text.height(font);
        double labelW = Text.width(small, "layer");
        for (LabelHeatmapData.Row row : data.rows()) {
            labelW = Math.max(labelW, Text.width(small, row.layerName()));
        }
        int n = columnCount();
        double[] colW = new double[n];
        double cellMin = Text.width(small, "0.00e-0") + 10;
        int headerLines = 1;
        for (int c = 0; c < n; c++) {
            List<String> lines = headerLines(c, cellMin - 8);
            headerLines = Math.max(headerLines, lines.size());
            for (String line : lines) { // room to spare: SVG rounds 10.5 px text up to 11 px
                colW[c] = Math.max(Math.max(colW[c], cellMin), Text.width(small, line) + 10);
            }
        }
        double predW = Text.width(small, header(predictedColumn())) + 8;
        for (String label : data.labels()) {
            predW = Math.max(predW, Text.width(font, label) + fh + 12);
        }
        colW[predictedColumn()] = predW;
        double gridW = labelW + GAP + MARKER_W;
        for (double c : colW) {
            gridW += c;
        }
        double titleH = data.title().isEmpty() ? 0 : Text.height(theme.titleFont()) + 10;
        List<String> explanation = data.explanation().isEmpty() ? List.of()
                : Text.wrap(theme.italicFont(), data.explanation(), Math.max(gridW, 200), 3);
        double explanationH = explanation.isEmpty() ? 0 : explanation.size() * (fh + 2) + 8;
        // two bars side by side, narrowed to the grid down to what their titles and ticks need
        double need = Math.max(MIN_BAR, Math.max(Text.width(small, sequentialBar().title()),
                Text.width(small, divergingBar().title())) + 8);
        double barH = ColorBar.height(theme) + 14;
        if (compact) { // the renormalised column's bar only
            double one = Math.max(need, Math.min(ColorBar.PREFERRED_WIDTH, gridW));
            return new Metrics(fh, Math.ceil(fh + 7), titleH, headerLines * Text.height(small) + 10, labelW, colW,
                    explanation, explanationH, false, barH, one, one);
        }
        double barW = Math.max(need, Math.min(ColorBar.PREFERRED_WIDTH, (gridW - BAR_GAP) / 2));
        boolean stacked = 2 * barW + BAR_GAP > gridW;
        return new Metrics(fh, Math.ceil(fh + 7), titleH, headerLines * Text.height(small) + 10, labelW, colW,
                explanation, explanationH, stacked, stacked ? 2 * barH : barH, barW,
                stacked ? barW : 2 * barW + BAR_GAP);
    }

    private final class Layout {
        final Metrics m;
        final double left;
        final double top;
        final double gridTop;
        final double rowH;
        final double[] colX;
        final double[] colW;
        final double markerX;
        final double width;

        Layout(Rectangle2D area, Metrics m) {
            this.m = m;
            int n = data.rows().size();
            left = area.getX() + PAD;
            top = area.getY() + PAD;
            gridTop = top + m.titleH + m.headerH;
            double availH = area.getHeight() - 2 * PAD - m.fixedHeight();
            // rows shrink to fit the area (text is dropped when they get too thin) and grow up to 1.5×
            rowH = n == 0 ? m.rowHeight : Math.max(0.5, Math.min(m.rowHeight * 1.5, availH / n));
            colW = m.colW.clone();
            double extra = area.getWidth() - 2 * PAD - m.gridWidth();
            if (extra > 0) {
                for (int c = 0; c < colW.length; c++) {
                    colW[c] += Math.min(m.colW[c] * 0.5, extra / colW.length);
                }
            }
            markerX = left + m.labelW + GAP;
            colX = new double[colW.length];
            double x = markerX + MARKER_W;
            for (int c = 0; c < colW.length; c++) {
                colX[c] = x;
                x += colW[c];
            }
            width = x - left;
        }

        double right() {
            return left + width;
        }

        double rowY(int dataRow) {
            return gridTop + dataRow * rowH;
        }

        double gridBottom() {
            return gridTop + data.rows().size() * rowH;
        }
    }

    private Layout layout(Rectangle2D area) {
        return new Layout(area, metrics());
    }

    // ---- drawing

    private void drawTitle(Graphics2D g, Layout l) {
        if (!data.title().isEmpty()) {
            g.setFont(theme.titleFont());
            g.setColor(theme.text());
            double w = Math.max(l.width, l.m.barsW());
            Text.draw(g, Text.fit(theme.titleFont(), data.title(), w), l.left, l.top + Text.height(theme.titleFont()) / 2,
                    Text.Align.LEFT);
        }
    }

    private void drawHeader(Graphics2D g, Layout l) {
        Font small = theme.smallFont();
        g.setFont(small);
        g.setColor(theme.mutedText());
        double lh = Text.height(small);
        double bottom = l.gridTop - 5 - lh / 2; // headers sit on the grid: the last line of each at one height
        Text.draw(g, "layer", l.left + l.m.labelW, bottom, Text.Align.RIGHT);
        for (int c = 0; c < columnCount(); c++) {
            List<String> lines = headerLines(c, l.colW[c] - 8);
            for (int i = 0; i < lines.size(); i++) {
                String h = Text.fit(small, lines.get(i), l.colW[c] - 4);
                Text.draw(g, h, l.colX[c] + l.colW[c] / 2, bottom - (lines.size() - 1 - i) * lh, Text.Align.CENTER);
            }
        }
    }

    private void drawRow(Graphics2D g, Layout l, int r) {
        LabelHeatmapData.Row row = data.rows().get(r);
        int n = data.rows().size();
        double y = l.rowY(r);
        double h = l.rowH;
        boolean text = h >= l.m.fh * 0.85;
        Font small = theme.smallFont();
        // with thin rows, label every k-th one so labels never overlap
        int every = (int) Math.ceil(Text.height(small) * 1.1 / h);
        if (r % every == 0) {
            g.setFont(small);
            g.setColor(theme.mutedText());
            Text.draw(g, row.layerName(), l.left + l.m.labelW, y + h / 2, Text.Align.RIGHT);
        }
        double inset = h >= 4 ? 0.5 : 0;
        ColorBar seq = sequentialBar();
        for (int c = 0; c < labelColumns(); c++) {
            drawCell(g, Text.rect(l.colX[c] + 0.5, y + inset, l.colW[c] - 1, h - 2 * inset), row.prob(c),
                    seq, Numbers.probability(row.prob(c)), text);
        }
        int nc = normalizedColumn();
        drawCell(g, Text.rect(l.colX[nc] + 0.5, y + inset, l.colW[nc] - 1, h - 2 * inset), row.normalizedPositive(),
                divergingBar(), Numbers.probability(row.normalizedPositive()), text);
        drawPrediction(g, l, row, y, h, text);
        if (row.overthinkingRight()) {
            double d = Math.max(2, Math.min(8, h * 0.5));
            g.setColor(theme.accent());
            g.fill(new Ellipse2D.Double(l.markerX + MARKER_W / 2 - d / 2 - 2, y + h / 2 - d / 2, d, d));
        }
    }

    private void drawCell(Graphics2D g, Rectangle2D cell, double value, ColorBar bar, String label, boolean text) {
        boolean missing = Double.isNaN(value);
        Color fill = missing ? theme.missing() : bar.color(value);
        g.setColor(fill);
        g.fill(cell);
        Font small = theme.smallFont();
        if (text && Text.width(small, label) <= cell.getWidth() - 4) {
            g.setFont(small);
            g.setColor(missing ? theme.mutedText() : Contrast.textOn(fill));
            Text.draw(g, label, cell.getCenterX(), cell.getCenterY(), Text.Align.CENTER);
        }
    }

    private void drawPrediction(Graphics2D g, Layout l, LabelHeatmapData.Row row, double y, double h, boolean text) {
        int c = predictedColumn();
        double x = l.colX[c] + 8;
        double cy = y + h / 2;
        double icon = Math.min(l.m.fh * 0.6, h * 0.7);
        if (row.verdict() != LabelHeatmapData.Verdict.UNKNOWN && icon >= 2) {
            boolean right = row.verdict() == LabelHeatmapData.Verdict.RIGHT;
            g.setColor(right ? theme.seriesColor(2) : theme.accent());
            g.setStroke(new BasicStroke((float) Math.max(1, icon / 6), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(right ? check(x, cy, icon) : cross(x, cy, icon));
        }
        if (text) {
            Font font = theme.font();
            g.setFont(font);
            boolean missing = "n/a".equals(row.predicted());
            g.setColor(missing ? theme.mutedText() : theme.text());
            double tx = x + l.m.fh;
            Text.draw(g, Text.fit(font, row.predicted(), l.colX[c] + l.colW[c] - tx - 2), tx, cy, Text.Align.LEFT);
        }
    }

    private void drawReversals(Graphics2D g, Layout l) {
        g.setColor(theme.text());
        g.setStroke(new BasicStroke(2f));
        for (int r = 0; r < data.rows().size(); r++) {
            if (data.rows().get(r).reversal()) {
                double y = l.rowY(r);
                g.draw(Text.rect(l.markerX, y - 1, l.right() - l.markerX, l.rowH + 2));
            }
        }
    }

    private void drawFooter(Graphics2D g, Layout l) {
        double y = l.gridBottom() + 8;
        if (!l.m.explanation().isEmpty()) {
            Font italic = theme.italicFont();
            g.setFont(italic);
            g.setColor(theme.text());
            double w = Math.max(l.width, l.m.barsW);
            double ly = y;
            for (String line : l.m.explanation()) {
                Text.draw(g, Text.fit(italic, line, w), l.left, ly + l.m.fh / 2, Text.Align.LEFT);
                ly += l.m.fh + 2;
            }
            y += l.m.explanationH;
        }
        ColorBar seq = sequentialBar();
        ColorBar div = divergingBar();
        double w = l.m.barW();
        if (compact) {
            div.draw(g, theme, l.left, y + 6, w);
            return;
        }
        seq.draw(g, theme, l.left, y + 6, w);
        if (l.m.barsStacked()) {
            div.draw(g, theme, l.left, y + 6 + l.m.barsH() / 2, w);
        } else {
            div.draw(g, theme, l.left + w + BAR_GAP, y + 6, w);
        }
    }

    // ---- pieces

    /**
     * A column's header, broken at one space into two lines when that makes it narrower than
     * {@code width} or narrower at all (so long label words don't widen the picture).
     */
    private List<String> headerLines(int column, double width) {
        String h = header(column);
        Font small = theme.smallFont();
        if (Text.width(small, h) <= width || h.indexOf(' ') < 0) {
            return List.of(h);
        }
        List<String> best = List.of(h);
        double bestW = Text.width(small, h);
        for (int i = h.indexOf(' '); i >= 0; i = h.indexOf(' ', i + 1)) {
            String a = h.substring(0, i).strip();
            String b = h.substring(i + 1).strip();
            double w = Math.max(Text.width(small, a), Text.width(small, b));
            if (w < bestW) {
                best = List.of(a, b);
                bestW = w;
            }
        }
        return best;
    }

    private String header(int column) {
        int labels = labelColumns();
        if (column < labels) {
            return "P(" + data.labels().get(column) + ")";
        }
        if (column == labels) {
            return data.positiveIndex() < 0 ? "P(predicted | labels)"
                    : "P(" + data.labels().get(data.positiveIndex()) + " | labels)";
        }
        return "predicted";
    }

    private ColorBar sequentialBar() {
        return ColorBar.of(logScale ? "P(label), log scale" : "P(label)", ColorScale.viridis(),
                ValueScale.probability(logScale));
    }

    private ColorBar divergingBar() {
        return new ColorBar(header(normalizedColumn()), ColorScale.diverging(), ValueScale.linear(0, 1),
                List.of(0.0, 0.25, 0.5, 0.75, 1.0), false);
    }

    private static Path2D check(double x, double cy, double s) {
        Path2D p = new Path2D.Double();
        p.moveTo(x, cy);
        p.lineTo(x + s * 0.38, cy + s * 0.4);
        p.lineTo(x + s, cy - s * 0.45);
        return p;
    }

    private static Path2D cross(double x, double cy, double s) {
        double h = s * 0.42;
        Path2D p = new Path2D.Double();
        p.moveTo(x + s / 2 - h, cy - h);
        p.lineTo(x + s / 2 + h, cy + h);
        p.moveTo(x + s / 2 + h, cy - h);
        p.lineTo(x + s / 2 - h, cy + h);
        return p;
    }
}
