package dev.logitscope.plot;

import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/** KL to the final layer over layers, one line per lens ({@link KlData}). */
public final class KlChart implements PlotRenderer {
    static final String Y_TITLE = "KL(final ‖ layer), nats";

    private final KlData data;
    private final PlotTheme theme;

    public KlChart(KlData data, PlotTheme theme) {
        this.data = data;
        this.theme = theme;
    }

    /** The trajectory's column width, so the two sit side by side in a paper. */
    @Override
    public Dimension preferredSize() {
        return new Dimension(360, 290);
    }

    @Override
    public void draw(Graphics2D g0, Rectangle2D area) {
        Graphics2D g = Text.begin(g0, area, theme.background());
        try {
            boolean points = ChartParts.points(data.series());
            List<Legend.Entry> legend = ChartParts.legend(data.series(), theme, points);
            Rectangle2D box = ChartParts.header(g, area, data.title(), legend, theme);
            double[] range = ChartParts.xRange(data.series());
            double lo = range == null ? 0 : Math.floor(range[0]);
            double hi = range == null ? 1 : Math.ceil(range[1]);
            XYFrame frame = XYFrame.inside(box, Axis.layers(lo, hi), Axis.of(data.scale(), data.logY() ? 7 : 5), "layer",
                    Y_TITLE, theme);
            frame.drawAxes(g, "layer", Y_TITLE);
            if (!ChartParts.hasValues(data.series())) {
                frame.drawEmpty(g, "no data");
            }
            List<Series> series = data.series();
            for (int i = 0; i < series.size(); i++) {
                frame.drawSeries(g, series.get(i), points, ChartParts.dodge(i, series.size()));
            }
        } finally {
            g.dispose();
        }
    }
}
