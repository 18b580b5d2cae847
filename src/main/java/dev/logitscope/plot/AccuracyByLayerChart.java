package dev.logitscope.plot;

import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Small multiples: one accuracy-vs-layer panel per model, on a shared 0..1 accuracy axis (so the
 * panels compare at a glance), each with the chance line and its critical layer; one legend.
 */
public final class AccuracyByLayerChart implements PlotRenderer {
    private static final double PANEL_W = 340;
    private static final double PANEL_H = 240;
    private static final double GUTTER = 18;

    private final AccuracyByLayerData data;
    private final PlotTheme theme;

    public AccuracyByLayerChart(AccuracyByLayerData data, PlotTheme theme) {
        this.data = data;
        this.theme = theme;
    }

    /** Panels per row: side by side up to two, then a grid of at most three across. */
    int columns() {
        int n = data.panels().size();
        return n <= 2 ? Math.max(1, n) : n == 4 ? 2 : 3;
    }

    @Override
    public Dimension preferredSize() {
        int cols = columns();
        int rows = Math.max(1, (int) Math.ceil(data.panels().size() / (double) cols));
        double head = (data.title().isEmpty() ? 0 : Text.height(theme.titleFont()) + 8)
                + Text.height(theme.smallFont()) + 12;
        double w = 2 * ChartParts.PAD + cols * PANEL_W + (cols - 1) * GUTTER;
        double h = 2 * ChartParts.PAD + head + rows * PANEL_H + (rows - 1) * GUTTER;
        return new Dimension((int) Math.ceil(w), (int) Math.ceil(h));
    }

    @Override
    public void draw(Graphics2D g0, Rectangle2D area) {
        Graphics2D g = Text.begin(g0, area, theme.background());
        try {
            Rectangle2D box = ChartParts.header(g, area, data.title(), legend(), theme);
            int n = data.panels().size();
            if (n == 0) {
                g.setFont(theme.font());
                g.setColor(theme.mutedText());
                Text.draw(g, "no models", box.getCenterX(), box.getCenterY(), Text.Align.CENTER);
                return;
            }
            for (int i = 0; i < n; i++) {
                drawPanel(g, data.panels().get(i), panelBox(box, i), i % columns() == 0);
            }
        } finally {
            g.dispose();
        }
    }

    /** A panel and the layer nearest the pointer. */
    public record Hit(int panel, int layer) {}

    /** The panel and layer under {@code p} when drawn in {@code area}: what a tooltip shows. */
    public Optional<Hit> hitTest(Rectangle2D area, Point2D p) {
        Rectangle2D box = ChartParts.belowHeader(area, data.title(), legend(), theme);
        for (int i = 0; i < data.panels().size(); i++) {
            Rectangle2D panel = panelBox(box, i);
            if (!panel.contains(p)) {
                continue;
            }
            int index = i;
            OptionalInt layer = frame(data.panels().get(i), panel, i % columns() == 0).layerAt(p);
            return layer.isPresent() ? Optional.of(new Hit(index, layer.getAsInt())) : Optional.empty();
        }
        return Optional.empty();
    }

    /** Panel {@code i}'s box inside the box below the header. */
    private Rectangle2D panelBox(Rectangle2D box, int i) {
        int cols = columns();
        int rows = (int) Math.ceil(data.panels().size() / (double) cols);
        double pw = (box.getWidth() - (cols - 1) * GUTTER) / cols;
        double ph = (box.getHeight() - (rows - 1) * GUTTER) / rows;
        return Text.rect(box.getX() + (i % cols) * (pw + GUTTER), box.getY() + (i / cols) * (ph + GUTTER), pw, ph);
    }

    /** The panel's axes: below its model name, layers across, the shared accuracy axis up. */
    private XYFrame frame(AccuracyByLayerData.Panel panel, Rectangle2D box, boolean firstColumn) {
        double th = Text.height(theme.boldFont());
        Rectangle2D chart = Text.rect(box.getX(), box.getY() + th + 4, box.getWidth(), box.getHeight() - th - 4);
        double[] range = ChartParts.xRange(panel.series());
        double lo = range == null ? 0 : Math.floor(range[0]);
        double hi = range == null ? 1 : Math.ceil(range[1]);
        // the accuracy axis is shared: only the first panel of each row names it
        return XYFrame.inside(chart, Axis.layers(lo, hi), Axis.probability(false), "layer",
                firstColumn ? "accuracy" : "", theme);
    }

    private void drawPanel(Graphics2D g, AccuracyByLayerData.Panel panel, Rectangle2D box, boolean firstColumn) {
        Font bold = theme.boldFont();
        double th = Text.height(bold);
        // the note ("no reliable gap") sits on the title line, right-aligned: never on the data
        Font small = theme.smallFont();
        String note = panel.note().isEmpty() ? "" : Text.fit(small, panel.note(), box.getWidth() * 0.45);
        double noteWidth = note.isEmpty() ? 0 : Text.width(small, note) + 8;
        g.setFont(bold);
        g.setColor(theme.text());
        Text.draw(g, Text.fit(bold, panel.model(), box.getWidth() - noteWidth), box.getX(), box.getY() + th / 2,
                Text.Align.LEFT);
        if (!note.isEmpty()) {
            g.setFont(small);
            g.setColor(theme.mutedText());
            Text.draw(g, note, box.getMaxX(), box.getY() + th / 2, Text.Align.RIGHT);
        }
        XYFrame frame = frame(panel, box, firstColumn);
        frame.drawAxes(g, "layer", firstColumn ? "accuracy" : "");
        frame.drawReference(g, data.chance(), ""); // named in the legend: a label here could sit on the data
        frame.drawMarker(g, panel.marker());
        if (!ChartParts.hasValues(panel.series())) {
            frame.drawEmpty(g, "no data");
        }
        boolean points = ChartParts.points(panel.series());
        List<Series> series = panel.series();
        for (int i = 0; i < series.size(); i++) {
            frame.drawSeries(g, series.get(i), points, ChartParts.dodge(i, series.size()));
        }
    }

    /** The legend's names, in order (for tests). */
    List<String> legendNames() {
        return legend().stream().map(Legend.Entry::name).toList();
    }

    /** One entry per series name across the panels, in first-seen order. */
    private List<Legend.Entry> legend() {
        Map<String, Series> byName = new LinkedHashMap<>();
        for (AccuracyByLayerData.Panel p : data.panels()) {
            for (Series s : p.series()) {
                byName.putIfAbsent(s.name(), s);
            }
        }
        List<Series> all = new ArrayList<>(byName.values());
        boolean points = data.panels().stream().anyMatch(p -> ChartParts.points(p.series()));
        List<Legend.Entry> legend = new ArrayList<>(ChartParts.legend(all, theme, points));
        if (!Double.isNaN(data.chance()) && !all.isEmpty()) {
            legend.add(ChartParts.reference("chance", theme));
        }
        return legend;
    }
}
