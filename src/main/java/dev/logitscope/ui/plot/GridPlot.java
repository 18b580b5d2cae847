package dev.logitscope.ui.plot;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.lens.TopToken;
import dev.logitscope.tokenize.Token;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The classic logit-lens picture: rows are layers, columns prompt positions, each cell the layer's
 * top-1 next token, coloured by probability, entropy, the label's rank or KL to the final layer.
 */
public final class GridPlot implements Plot {
    static final double LEFT = 64;
    static final double TOP = 30;
    static final double CELL_W = 66;
    static final double CELL_H = 22;

    private final LensReport report;
    private final List<LayerReading> layers;
    private final GridMode mode;

    public GridPlot(LensReport report, GridMode mode) {
        this.report = report;
        this.layers = report.blockLayers();
        this.mode = mode;
    }

    public int columns() {
        return layers.get(0).positions().size();
    }

    public int rows() {
        return layers.size();
    }

    @Override
    public double preferredWidth() {
        return LEFT + columns() * CELL_W + 8;
    }

    @Override
    public double preferredHeight() {
        return TOP + rows() * CELL_H + 8;
    }

    /** The x where the column of prompt position {@code position} starts (for scrolling to the review). */
    public double xOfPosition(int position) {
        List<PositionReading> ps = layers.get(0).positions();
        for (int c = 0; c < ps.size(); c++) {
            if (ps.get(c).position() >= position) {
                return LEFT + c * CELL_W;
            }
        }
        return LEFT;
    }

    @Override
    public void draw(Graphics2D g, double width, double height, PlotStyle style) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(style.background());
        g.fill(new Rectangle2D.Double(0, 0, width, height));
        Font font = style.font(Font.PLAIN, 11);
        Font bold = style.font(Font.BOLD, 11);
        List<Token> tokens = report.tokens();
        for (int c = 0; c < columns(); c++) {
            int position = layers.get(0).positions().get(c).position();
            g.setFont(bold);
            g.setColor(style.foreground());
            HeatmapPlot.centred(g, Numbers.visible(tokens.get(position).display()), LEFT + c * CELL_W, TOP - 10, CELL_W);
        }
        for (int r = 0; r < rows(); r++) {
            LayerReading layer = layers.get(r);
            double y = TOP + r * CELL_H;
            g.setFont(font);
            g.setColor(style.foreground());
            FontMetrics fm = g.getFontMetrics();
            String name = layer.layer() == 0 ? "embed" : "layer " + layer.layer();
            g.drawString(name, (float) (LEFT - 8 - fm.stringWidth(name)), (float) (y + CELL_H / 2 + fm.getAscent() / 2.5));
            for (int c = 0; c < columns(); c++) {
                PositionReading p = layer.positions().get(c);
                Color fill = ColorScales.viridis(value(p));
                g.setColor(fill);
                g.fill(new Rectangle2D.Double(LEFT + c * CELL_W + 0.5, y + 0.5, CELL_W - 1, CELL_H - 1));
                if (!p.top().isEmpty()) {
                    g.setColor(ColorScales.textOn(fill));
                    HeatmapPlot.centred(g, Numbers.visible(p.top().get(0).token()), LEFT + c * CELL_W, y + CELL_H / 2 + fm.getAscent() / 2.5,
                            CELL_W);
                }
            }
        }
    }

    /** The cell's colour value in [0, 1] (bright = confident / close to the answer). */
    double value(PositionReading p) {
        int vocab = report.model().shape().vocabSize();
        return switch (mode) {
            case PROBABILITY -> p.top().isEmpty() ? 0 : p.top().get(0).prob();
            case ENTROPY -> 1 - ColorScales.clamp(p.entropy() / Math.log(vocab));
            case LABEL_RANK -> 1 - ColorScales.clamp(Math.log10(1 + p.trackedRanks()[0]) / Math.log10(vocab));
            case KL_TO_FINAL -> 1 - ColorScales.clamp(Math.log1p(Math.max(0, p.klToFinal())) / Math.log1p(20));
        };
    }

    @Override
    public Optional<String> describeAt(double x, double y, double width, double height) {
        int c = (int) Math.floor((x - LEFT) / CELL_W);
        int r = (int) Math.floor((y - TOP) / CELL_H);
        if (c < 0 || r < 0 || c >= columns() || r >= rows()) {
            return Optional.empty();
        }
        LayerReading layer = layers.get(r);
        PositionReading p = layer.positions().get(c);
        Token token = report.tokens().get(p.position());
        StringBuilder s = new StringBuilder();
        s.append(layer.layer() == 0 ? "Embeddings" : "Layer " + layer.layer())
                .append(String.format(Locale.ROOT, ", position %d ('%s')%n", p.position(), Numbers.visible(token.display())));
        s.append(String.format(Locale.ROOT, "entropy %.3f nats   KL to final %.4f nats%n", p.entropy(), p.klToFinal()));
        for (int i = 0; i < report.tracked().size(); i++) {
            s.append(String.format(Locale.ROOT, "P('%s') = %s   rank %d%n", report.tracked().get(i).word(),
                    Numbers.prob(p.trackedProbs()[i]), p.trackedRanks()[i] + 1));
        }
        List<TopToken> top = p.top();
        s.append("next token, top-").append(top.size()).append(":\n").append(Numbers.top(top));
        return Optional.of(s.toString());
    }
}
