package dev.logitscope.ui.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * P(positive) over the two labels, per layer, as lines: the prompt analysed and, when asked, the
 * same review under correct and flipped demonstrations and zero-shot, so the gap shows at once.
 */
public final class TrajectoryPlot implements Plot {
    private static final double LEFT = 56;
    private static final double RIGHT = 16;
    private static final double TOP = 16;
    private static final double BOTTOM = 40;
    private static final Color[] COLOURS = {new Color(0x1c7ed6), new Color(0x2b8a3e), new Color(0xe03131),
        new Color(0x868e96), new Color(0x7048e8)};

    private final Map<String, double[]> series;
    private final String yLabel;

    public TrajectoryPlot(Map<String, double[]> series, String positiveWord) {
        this.series = new LinkedHashMap<>(series);
        this.yLabel = "P(" + positiveWord.strip() + ") of the two labels";
    }

    public List<String> seriesNames() {
        return new ArrayList<>(series.keySet());
    }

    private int layers() {
        return series.values().iterator().next().length;
    }

    @Override
    public void draw(Graphics2D g, double width, double height, PlotStyle style) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(style.background());
        g.fill(new Rectangle2D.Double(0, 0, width, height));
        double w = width - LEFT - RIGHT;
        double h = height - TOP - BOTTOM;
        if (w < 20 || h < 20) {
            return;
        }
        int n = layers();
        g.setFont(style.font(Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= 4; i++) {
            double v = i / 4.0;
            double y = TOP + h * (1 - v);
            g.setColor(style.gridLine());
            g.draw(new Line2D.Double(LEFT, y, LEFT + w, y));
            g.setColor(style.muted());
            String t = String.format(Locale.ROOT, "%.2f", v);
            g.drawString(t, (float) (LEFT - 6 - fm.stringWidth(t)), (float) (y + 4));
        }
        int step = Math.max(1, (int) Math.ceil(n / (w / 36)));
        for (int l = 0; l < n; l += step) {
            String t = l == 0 ? "emb" : Integer.toString(l);
            g.drawString(t, (float) (x(l, n, w) - fm.stringWidth(t) / 2.0), (float) (TOP + h + 16));
        }
        g.drawString("layer", (float) (LEFT + w / 2 - 12), (float) (height - 6));
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, (float) (-(TOP + h / 2) - fm.stringWidth(yLabel) / 2.0), 14f);
        g.rotate(Math.PI / 2);
        g.setColor(style.muted());
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
        g.draw(new Line2D.Double(LEFT, TOP + h / 2, LEFT + w, TOP + h / 2));
        int s = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            Color colour = COLOURS[s % COLOURS.length];
            double[] v = e.getValue();
            Path2D path = new Path2D.Double();
            for (int l = 0; l < v.length; l++) {
                double px = x(l, n, w);
                double py = TOP + h * (1 - v[l]);
                if (l == 0) {
                    path.moveTo(px, py);
                } else {
                    path.lineTo(px, py);
                }
            }
            g.setColor(colour);
            g.setStroke(new BasicStroke(s == 0 ? 2.6f : 1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(path);
            for (int l = 0; l < v.length; l++) {
                g.fill(new Ellipse2D.Double(x(l, n, w) - 3, TOP + h * (1 - v[l]) - 3, 6, 6));
            }
            double ly = TOP + 8 + s * 16;
            g.fill(new Rectangle2D.Double(LEFT + 10, ly - 4, 16, 3));
            g.setColor(style.foreground());
            g.drawString(e.getKey(), (float) (LEFT + 32), (float) (ly + 1));
            s++;
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static double x(int layer, int n, double w) {
        return LEFT + (n <= 1 ? w / 2 : w * layer / (n - 1));
    }

    @Override
    public Optional<String> describeAt(double px, double py, double width, double height) {
        double w = width - LEFT - RIGHT;
        int n = layers();
        int layer = (int) Math.round((px - LEFT) / w * (n - 1));
        if (layer < 0 || layer >= n) {
            return Optional.empty();
        }
        StringBuilder s = new StringBuilder(layer == 0 ? "Embeddings" : "Layer " + layer);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            s.append(String.format(Locale.ROOT, "%n%-14s %s", e.getKey(), Numbers.prob(e.getValue()[layer])));
        }
        return Optional.of(s.toString());
    }
}
