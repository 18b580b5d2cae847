package dev.logitscope.plot;

import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.OptionalInt;

/** Probability over layers, several series overlaid, with a reference line and an optional marker. */
public final class TrajectoryChart implements PlotRenderer {
    private final TrajectoryData data;
    private final PlotTheme theme;

    public TrajectoryChart(TrajectoryData data, PlotTheme theme) {
        this.data = data;
        this.theme = theme;
    }

    /**
     * Column width: 360 units keep the smallest text (10.5) at 7.3 pt when the picture is printed
     * 3.5 in (252 pt) wide; the legend wraps onto more lines instead of widening the picture.
     */
    @Override
    public Dimension preferredSize() {
        return new Dimension(360, 290);
    }

    @Override
    public void draw(Graphics2D g0, Rectangle2D area) {
        Graphics2D g = Text.begin(g0, area, theme.background());
        try {
            boolean points = ChartParts.points(data.series());
            List<Legend.Entry> legend = ChartParts.legend(data.legend(), theme, points);
            Rectangle2D box = ChartParts.header(g, area, data.title(), legend, theme);
            XYFrame frame = frame(box);
            frame.drawAxes(g, data.xTitle(), data.yTitle());
            frame.drawReference(g, data.reference(), "");
            frame.drawMarker(g, data.marker());
            if (!ChartParts.hasValues(data.series())) {
                frame.drawEmpty(g, "no data");
            }
            List<Series> series = data.series();
            for (int i = 0; i < series.size(); i++) { // markers a few pixels apart: equal runs stay visible
                frame.drawSeries(g, series.get(i), points, ChartParts.dodge(i, series.size()));
            }
        } finally {
            g.dispose();
        }
    }

    /** The layer under {@code p} when drawn in {@code area}, if p is over the plot: what a tooltip shows. */
    public OptionalInt layerAt(Rectangle2D area, Point2D p) {
        boolean points = ChartParts.points(data.series());
        return frame(ChartParts.belowHeader(area, data.title(), ChartParts.legend(data.legend(), theme, points), theme))
                .layerAt(p);
    }

    /**
     * The x value (a layer, or a relative depth) under {@code p} when drawn in {@code area}, if p is
     * over the plot.
     */
    public java.util.OptionalDouble xAt(Rectangle2D area, Point2D p) {
        boolean points = ChartParts.points(data.series());
        return frame(ChartParts.belowHeader(area, data.title(), ChartParts.legend(data.legend(), theme, points), theme))
                .xAt(p);
    }

    private XYFrame frame(Rectangle2D box) {
        if (data.relativeX()) { // 0 = the embeddings, 1 = the last layer, whatever the depth
            return XYFrame.inside(box, Axis.of(ValueScale.linear(0, 1), 5), Axis.probability(data.logY()),
                    data.xTitle(), data.yTitle(), theme);
        }
        double[] range = ChartParts.xRange(data.series());
        double lo = range == null ? 0 : Math.floor(range[0]);
        double hi = range == null ? 1 : Math.ceil(range[1]);
        if (data.marker() != null && Double.isFinite(data.marker().depth())) {
            lo = Math.min(lo, Math.floor(data.marker().depth()));
            hi = Math.max(hi, Math.ceil(data.marker().depth()));
        }
        return XYFrame.inside(box, Axis.layers(lo, hi), Axis.probability(data.logY()), data.xTitle(), data.yTitle(), theme);
    }
}
