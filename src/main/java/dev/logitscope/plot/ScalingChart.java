package dev.logitscope.plot;

import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Final accuracy against parameter count (log axis, ticks at the models: "124M" over "gpt2"),
 * one line per condition; with several models, the worst model of each condition is ringed.
 */
public final class ScalingChart implements PlotRenderer {
    private final ScalingData data;
    private final PlotTheme theme;

    public ScalingChart(ScalingData data, PlotTheme theme) {
        this.data = data;
        this.theme = theme;
    }

    @Override
    public Dimension preferredSize() {
        return new Dimension(620, 420);
    }

    @Override
    public void draw(Graphics2D g0, Rectangle2D area) {
        Graphics2D g = Text.begin(g0, area, theme.background());
        try {
            List<Series> series = series();
            Rectangle2D box = ChartParts.header(g, area, data.title(), legend(series), theme);
            XYFrame frame = frame(box);
            frame.drawAxes(g, "parameters", "final accuracy");
            frame.drawReference(g, data.chance(), ""); // named in the legend: a label here could sit on the data
            if (!ChartParts.hasValues(series)) {
                frame.drawEmpty(g, "no data");
            }
            for (int i = 0; i < series.size(); i++) {
                frame.drawSeries(g, series.get(i), true, ChartParts.dodge(i, series.size()));
            }
            if (data.rankModels()) {
                List<ScalingData.Condition> conditions = data.conditions();
                for (int i = 0; i < conditions.size(); i++) {
                    ScalingData.Condition c = conditions.get(i);
                    int worst = c.worst();
                    if (worst >= 0) {
                        g.setColor(theme.seriesColor(c.colorIndex()));
                        Lines.ring(g, frame.px(data.models().get(worst).parameters())
                                + ChartParts.dodge(i, conditions.size()), frame.py(c.accuracy()[worst]));
                    }
                }
            }
        } finally {
            g.dispose();
        }
    }

    /** The legend's names, in order (for tests: what the reader is told each mark means). */
    List<String> legendNames() {
        return legend(series()).stream().map(Legend.Entry::name).toList();
    }

    private List<Legend.Entry> legend(List<Series> series) {
        List<Legend.Entry> legend = new ArrayList<>(ChartParts.legend(series, theme, true));
        if (!Double.isNaN(data.chance()) && !series.isEmpty()) {
            legend.add(ChartParts.reference("chance", theme));
        }
        if (ChartParts.hasValues(series) && data.rankModels()) {
            legend.add(new Legend.Entry("worst model", theme.text(), Series.Dash.SOLID, Legend.Glyph.RING));
        }
        // A model read through another decoder (OPT-350m: post-LN, no final norm) is not compared like for like.
        data.models().stream().map(ScalingData.Model::note).filter(n -> !n.isEmpty()).distinct()
                .forEach(note -> legend.add(new Legend.Entry(note, theme.text(), Series.Dash.SOLID, Legend.Glyph.NOTE)));
        return legend;
    }

    private XYFrame frame(Rectangle2D box) {
        return XYFrame.inside(box, xAxis(), Axis.probability(false), "parameters", "final accuracy", theme);
    }

    /**
     * The model (an index into {@code data.models()}) whose column is nearest {@code p} when drawn
     * in {@code area}, within the plot: what a tooltip shows.
     */
    public OptionalInt modelAt(Rectangle2D area, Point2D p) {
        XYFrame frame = frame(ChartParts.belowHeader(area, data.title(), legend(series()), theme));
        if (data.models().isEmpty() || !frame.plot.contains(p)) {
            return OptionalInt.empty();
        }
        int nearest = 0;
        for (int i = 1; i < data.models().size(); i++) {
            if (Math.abs(frame.px(data.models().get(i).parameters()) - p.getX())
                    < Math.abs(frame.px(data.models().get(nearest).parameters()) - p.getX())) {
                nearest = i;
            }
        }
        return OptionalInt.of(nearest);
    }

    /**
     * Conditions as series over parameter counts, sorted by size so lines run left to right; a
     * condition of one family joins only that family's models.
     */
    private List<Series> series() {
        List<Series> out = new ArrayList<>();
        for (ScalingData.Condition c : data.conditions()) {
            List<Integer> order = new ArrayList<>();
            for (int i : sortedModels()) {
                if (c.family().isEmpty() || c.family().equals(data.models().get(i).family())) {
                    order.add(i);
                }
            }
            double[] acc = c.accuracy();
            double[] x = new double[order.size()];
            double[] y = new double[order.size()];
            for (int i = 0; i < order.size(); i++) {
                x[i] = data.models().get(order.get(i)).parameters();
                y[i] = acc[order.get(i)];
            }
            out.add(new Series(c.name(), x, y, c.colorIndex(), c.dash(), c.marker(), c.hollow()));
        }
        return out;
    }

    private Integer[] sortedModels() {
        Integer[] order = new Integer[data.models().size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(data.models().get(a).parameters(),
                data.models().get(b).parameters()));
        return order;
    }

    /** Log axis padded by a fifth of a decade on each side, ticks at the models themselves. */
    private Axis xAxis() {
        if (data.models().isEmpty()) {
            return Axis.of(new ValueScale(1e7, 1e10, true), 4);
        }
        long lo = Long.MAX_VALUE;
        long hi = 0;
        List<Axis.Tick> ticks = new ArrayList<>();
        for (int i : sortedModels()) {
            ScalingData.Model m = data.models().get(i);
            lo = Math.min(lo, m.parameters());
            hi = Math.max(hi, m.parameters());
            ticks.add(new Axis.Tick(m.parameters(), Numbers.parameters(m.parameters()),
                    m.note().isEmpty() ? m.name() : m.name() + "†"));
        }
        double pad = Math.pow(10, 0.2);
        return new Axis(new ValueScale(lo / pad, hi * pad, true), ticks);
    }
}
