package dev.logitscope.ui.plot;

import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.analysis.LayerVerdict;
import java.awt.BasicStroke;
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
 * The layer heatmap: one row per layer (embed, 1 … L), columns P(positive) and P(negative) on
 * viridis, the two-label P(positive) on a diverging scale, and the predicted label. Layers that
 * were right get a mark; the layer where the answer settled is outlined.
 */
public final class HeatmapPlot implements Plot {
    private static final double TOP = 34;
    private static final double BOTTOM = 30;
    private static final double RIGHT = 12;

    private final AnalysisResult result;
    private final boolean logScale;
    private double left = 64; // set by draw from the layer names' width; describeAt reads it

    public HeatmapPlot(AnalysisResult result, boolean logScale) {
        this.result = result;
        this.logScale = logScale;
    }

    public int rows() {
        return result.layers().size();
    }

    /** Column titles, left to right. */
    public List<String> columns() {
        String pos = result.labels().positive().word().strip();
        String neg = result.labels().negative().word().strip();
        boolean calibrated = !Double.isNaN(result.finalLayer().calibrated());
        return List.of("P(" + pos + ")", "P(" + neg + ")", calibrated ? "calibrated" : "normalised", "prediction");
    }

    @Override
    public void draw(Graphics2D g, double width, double height, PlotStyle style) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(style.background());
        g.fill(new Rectangle2D.Double(0, 0, width, height));
        List<LayerVerdict> layers = result.layers();
        List<String> titles = columns();
        Font cell = style.font(Font.PLAIN, (float) Math.max(9, Math.min(13, (height - TOP - BOTTOM) / layers.size() * 0.6)));
        g.setFont(cell);
        left = labelWidth(g, layers);
        double cellW = (width - left - RIGHT) / titles.size();
        double cellH = (height - TOP - BOTTOM) / layers.size();
        if (cellW < 4 || cellH < 2) {
            return;
        }
        Font header = style.font(Font.BOLD, 12);
        g.setFont(header);
        g.setColor(style.foreground());
        for (int c = 0; c < titles.size(); c++) {
            centred(g, titles.get(c), left + c * cellW, TOP - 10, cellW);
        }
        int reversal = result.story().reversalLayer().orElse(-1);
        for (int r = 0; r < layers.size(); r++) {
            LayerVerdict layer = layers.get(r);
            double y = TOP + r * cellH;
            g.setFont(cell);
            g.setColor(style.foreground());
            String name = layer.layer() == 0 ? "embed" : "layer " + layer.layer();
            FontMetrics fm = g.getFontMetrics();
            g.drawString(name, (float) (left - 14 - fm.stringWidth(name)), (float) (y + cellH / 2 + fm.getAscent() / 2.5));
            double[] values = {layer.pPositive(), layer.pNegative(), layer.decisive()};
            for (int c = 0; c < 3; c++) {
                Color fill = c < 2 ? ColorScales.viridis(ColorScales.probability(values[c], logScale))
                        : ColorScales.diverging(values[c]);
                fillCell(g, fill, left + c * cellW, y, cellW, cellH);
                if (cellH >= 11) {
                    g.setColor(ColorScales.textOn(fill));
                    centred(g, Numbers.shortProb(values[c]), left + c * cellW, y + cellH / 2 + fm.getAscent() / 2.5, cellW);
                }
            }
            Color verdict = ColorScales.diverging(layer.predicted().ordinal() == 0 ? 0.85 : 0.15);
            fillCell(g, verdict, left + 3 * cellW, y, cellW, cellH);
            if (cellH >= 11) {
                g.setColor(ColorScales.textOn(verdict));
                String mark = layer.correct().map(ok -> ok ? "  ✓" : "  ✗").orElse("");
                centred(g, layer.predicted().key() + mark, left + 3 * cellW, y + cellH / 2 + fm.getAscent() / 2.5, cellW);
            }
            if (layer.correct().orElse(false)) {
                g.setColor(style.good());
                g.fill(new Rectangle2D.Double(left - 9, y + 2, 5, cellH - 4));
            }
            if (layer.layer() == reversal) {
                g.setColor(style.highlight());
                g.setStroke(new BasicStroke(2.5f));
                g.draw(new Rectangle2D.Double(left + 1, y + 1, width - left - RIGHT - 2, cellH - 2));
                g.setStroke(new BasicStroke(1f));
            }
        }
        g.setFont(style.font(Font.PLAIN, 12));
        g.setColor(result.story().overthinking() ? style.highlight() : style.muted());
        g.drawString(ellipsis(g, result.story().explanation(), width - 16), 8f, (float) (height - 10));
    }

    @Override
    public Optional<String> describeAt(double x, double y, double width, double height) {
        int rows = result.layers().size();
        double cellH = (height - TOP - BOTTOM) / rows;
        int r = (int) Math.floor((y - TOP) / cellH);
        if (x < 0 || r < 0 || r >= rows) {
            return Optional.empty();
        }
        LayerVerdict l = result.layers().get(r);
        String pos = result.labels().positive().word();
        String neg = result.labels().negative().word();
        StringBuilder s = new StringBuilder(l.layer() == 0 ? "Embeddings (layer 0)" : "Layer " + l.layer()).append('\n');
        s.append(String.format(Locale.ROOT, "P('%s') = %s   rank %d%n", pos, Numbers.prob(l.pPositive()), l.ranks()[0] + 1));
        s.append(String.format(Locale.ROOT, "P('%s') = %s   rank %d%n", neg, Numbers.prob(l.pNegative()), l.ranks()[1] + 1));
        s.append(String.format(Locale.ROOT, "P(positive | two labels) = %s%n", Numbers.prob(l.normalised())));
        if (!Double.isNaN(l.calibrated())) {
            s.append(String.format(Locale.ROOT, "calibrated = %s%n", Numbers.prob(l.calibrated())));
        }
        s.append("prediction: ").append(l.predicted().key())
                .append(l.correct().map(ok -> ok ? " (right)" : " (wrong)").orElse("")).append('\n');
        s.append("top-5:\n").append(Numbers.top(l.top()));
        return Optional.of(s.toString());
    }

    private static double labelWidth(Graphics2D g, List<LayerVerdict> layers) {
        int widest = 0;
        for (LayerVerdict l : layers) {
            widest = Math.max(widest, g.getFontMetrics().stringWidth(l.layer() == 0 ? "embed" : "layer " + l.layer()));
        }
        return widest + 22;
    }

    private static void fillCell(Graphics2D g, Color fill, double x, double y, double w, double h) {
        g.setColor(fill);
        g.fill(new Rectangle2D.Double(x + 0.5, y + 0.5, w - 1, h - 1));
    }

    static void centred(Graphics2D g, String text, double x, double baseline, double width) {
        String shown = ellipsis(g, text, width - 4);
        int w = g.getFontMetrics().stringWidth(shown);
        g.drawString(shown, (float) (x + (width - w) / 2), (float) baseline);
    }

    static String ellipsis(Graphics2D g, String text, double width) {
        FontMetrics fm = g.getFontMetrics();
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String s = text;
        while (s.length() > 1 && fm.stringWidth(s + "…") > width) {
            s = s.substring(0, s.length() - 1);
        }
        return s + "…";
    }
}
