package dev.logitscope.ui.plot;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.plot.GridCell;
import dev.logitscope.plot.PlotTheme;
import dev.logitscope.plot.RowOrder;
import dev.logitscope.plot.TokenGrid;
import dev.logitscope.plot.TokenGridData;
import dev.logitscope.tokenize.Token;
import java.awt.Dimension;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The token × layer grid of the query's positions, coloured by the chosen mode. */
public final class GridPlot implements Plot {
    private final LensReport report;
    private final TokenGridData data;
    private final Dimension size;

    public GridPlot(LensReport report, TokenGridData.Mode mode) {
        this.report = report;
        this.data = TokenGridData.fromReport(report, mode); // token texts are already printable (TokenDisplay)
        this.size = new TokenGrid(data, PlotTheme.light(), RowOrder.EMBED_TOP).preferredSize();
    }

    public TokenGridData data() {
        return data;
    }

    public int columns() {
        return data.columns().size();
    }

    public int rows() {
        return data.rows();
    }

    @Override
    public TokenGrid renderer(PlotTheme theme) {
        return new TokenGrid(data, theme, RowOrder.EMBED_TOP);
    }

    @Override
    public double preferredWidth() {
        return size.getWidth();
    }

    @Override
    public double preferredHeight() {
        return size.getHeight();
    }

    @Override
    public Optional<String> describeAt(double x, double y, double width, double height) {
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
