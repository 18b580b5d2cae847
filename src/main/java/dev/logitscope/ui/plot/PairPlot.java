package dev.logitscope.ui.plot;

import dev.logitscope.plot.PlotTheme;
import dev.logitscope.plot.SideBySide;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * Two plots side by side in one view (two models' heatmaps of the same review), each in its own
 * half with its own axis. In a narrow view each half draws its narrow form (a heatmap keeps its
 * renormalised column and prediction), so the trajectory beside it keeps room; hover text comes
 * from the half under the pointer, headed by its name.
 *
 * @param parts  the plots, left to right
 * @param narrow their narrow forms, in the same order (a plot may be its own)
 * @param names  what each half shows ("gpt2", "gpt2-sst2"), for the hover text
 */
public record PairPlot(List<Plot> parts, List<Plot> narrow, List<String> names) implements Plot {

    public PairPlot {
        parts = List.copyOf(parts);
        narrow = List.copyOf(narrow);
        names = List.copyOf(names);
        if (parts.size() != names.size() || parts.size() != narrow.size() || parts.isEmpty()) {
            throw new IllegalArgumentException("a narrow form and a name per part");
        }
    }

    /** Heatmaps (and placeholders) side by side, heatmaps narrowing to their compact form. */
    public static PairPlot of(List<Plot> parts, List<String> names) {
        return new PairPlot(parts, parts.stream().map(p -> p instanceof HeatmapPlot h ? (Plot) h.compact() : p).toList(),
                names);
    }

    @Override
    public SideBySide renderer(PlotTheme theme) {
        return new SideBySide(parts.stream().map(p -> p.renderer(theme)).toList(),
                narrow.stream().map(p -> p.renderer(theme)).toList());
    }

    /** Each half as wide as the widest part needs. */
    @Override
    public double naturalWidth(PlotTheme theme) {
        return parts.size() * parts.stream().mapToDouble(p -> p.naturalWidth(theme)).max().orElse(0);
    }

    /** The narrow forms side by side, scaled down as far as any plot is. */
    @Override
    public double leastWidth(PlotTheme theme) {
        double widest = narrow.stream().mapToDouble(p -> p.naturalWidth(theme)).max().orElse(0);
        return Math.ceil(parts.size() * widest * PlotCanvas.MIN_SCALE);
    }

    @Override
    public double leastHeight(PlotTheme theme) {
        return parts.stream().mapToDouble(p -> p.leastHeight(theme)).max().orElse(0);
    }

    @Override
    public java.util.Optional<String> describeAt(double x, double y, double width, double height) {
        Rectangle2D area = new Rectangle2D.Double(0, 0, width, height);
        SideBySide layout = renderer(PlotTheme.light());
        int i = layout.columnAt(area, x);
        if (i < 0) {
            return java.util.Optional.empty();
        }
        Rectangle2D column = layout.column(area, i);
        Plot half = (layout.narrow(area) ? narrow : parts).get(i);
        return half.describeAt(x - column.getX(), y, column.getWidth(), height).map(text -> names.get(i) + "\n" + text);
    }

    @Override
    public PairPlot forExport() {
        return new PairPlot(parts.stream().map(Plot::forExport).toList(), narrow, names);
    }

    /** Whether any half has nothing to show yet (an export waits for both). */
    public boolean incomplete() {
        return parts.stream().anyMatch(p -> p instanceof Placeholder);
    }
}
