package dev.logitscope.ui.plot;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.plot.GridCell;
import dev.logitscope.plot.PlotTheme;
import dev.logitscope.plot.TokenGrid;
import dev.logitscope.plot.TokenGridData;
import dev.logitscope.tokenize.Token;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The token × layer grid of the query's positions, coloured by the chosen mode, or one page of its
 * columns. Views show a page that fits their width (a canvas as wide as a long review's grid
 * would exceed what a GPU texture holds); exports write the whole grid, or pages when too wide.
 */
public final class GridPlot implements Plot {
    private final LensReport report;
    private final TokenGridData data;
    private final int from;
    private final int to;
    private final double height;

    public GridPlot(LensReport report, TokenGridData.Mode mode) {
        this(report, TokenGridData.fromReport(report, mode), 0, Integer.MAX_VALUE); // token texts are printable
    }

    private GridPlot(LensReport report, TokenGridData data, int from, int to) {
        this.report = report;
        this.data = data;
        this.from = Math.max(0, Math.min(from, data.columns().size()));
        this.to = Math.max(this.from, Math.min(to, data.columns().size()));
        this.height = new TokenGrid(data, PlotTheme.light()).preferredSize().getHeight();
    }

    public TokenGridData data() {
        return data;
    }

    /** Every column of the grid, not only this page's. */
    public int columns() {
        return data.columns().size();
    }

    public int rows() {
        return data.rows();
    }

    public int firstColumn() {
        return from;
    }

    public int endColumn() {
        return to;
    }

    /** The same grid showing columns {@code from} (inclusive) to {@code to} (exclusive), clamped. */
    public GridPlot page(int from, int to) {
        return new GridPlot(report, data, from, to);
    }

    /** The whole grid cut into pages of at most {@code size} columns. */
    public List<GridPlot> pages(int size) {
        List<GridPlot> pages = new ArrayList<>();
        for (int start = 0; start < columns(); start += size) {
            pages.add(page(start, start + size));
        }
        return pages;
    }

    /** Whether both show the same analysis (a new mode of one grid keeps the scroll position). */
    public boolean sameReport(GridPlot other) {
        return other != null && other.report == report;
    }

    /** How many columns of natural width fit in {@code width}. */
    public int columnsThatFit(double width, PlotTheme theme) {
        return renderer(theme).columnsThatFit(width);
    }

    @Override
    public TokenGrid renderer(PlotTheme theme) {
        return new TokenGrid(data, theme).withColumns(from, to);
    }

    /** 0: a view fills its width with as many columns as fit (see {@link GridPager}). */
    @Override
    public double preferredWidth() {
        return 0;
    }

    @Override
    public double preferredHeight() {
        return height;
    }

    @Override
    public Optional<String> describeAt(double x, double y, double width, double height) {
        // hitTest answers with the absolute column, whatever page is drawn
        Optional<GridCell> cell = renderer(PlotTheme.light()).hitTest(new Rectangle2D.Double(0, 0, width, height),
                new Point2D.Double(x, y));
        if (cell.isEmpty()) {
            return Optional.empty();
        }
        LayerReading layer = report.blockLayers().get(cell.get().row());
        PositionReading p = layer.positions().get(cell.get().column());
        Token token = report.tokens().get(p.position());
        StringBuilder s = new StringBuilder();
        s.append(layer.layer() == 0 ? "Embeddings" : "Layer " + layer.layer())
                .append(String.format(Locale.ROOT, ", position %d ('%s')%n", p.position(), TextFormat.visible(token.display())));
        s.append(String.format(Locale.ROOT, "entropy %.3f nats   KL to final %.4f nats%n", p.entropy(), p.klToFinal()));
        for (int i = 0; i < report.tracked().size(); i++) {
            s.append(String.format(Locale.ROOT, "P('%s') = %s   rank %d%n", report.tracked().get(i).word(),
                    TextFormat.prob(p.trackedProbs()[i]), p.trackedRanks()[i] + 1));
        }
        List<dev.logitscope.lens.TopToken> top = p.top();
        s.append("next token, top-").append(top.size()).append(":\n").append(TextFormat.top(top));
        return Optional.of(s.toString());
    }
}
