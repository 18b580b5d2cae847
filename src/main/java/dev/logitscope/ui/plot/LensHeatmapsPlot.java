package dev.logitscope.ui.plot;

import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.plot.PlotTheme;
import dev.logitscope.plot.SideBySide;
import dev.logitscope.ui.analysis.AnalysisResult;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The layer heatmap of each chosen lens side by side, each titled by its lens's key, on the same
 * fixed colour scales (a probability has one colour in every panel), so a reversal one lens shows
 * and another does not is seen row for row.
 */
public final class LensHeatmapsPlot implements Plot {
    private final List<HeatmapPlot> panels;
    private final List<String> keys;

    public LensHeatmapsPlot(AnalysisResult result, boolean logScale) {
        this(panels(result, logScale, false), keys(result));
    }

    private LensHeatmapsPlot(List<HeatmapPlot> panels, List<String> keys) {
        this.panels = List.copyOf(panels);
        this.keys = List.copyOf(keys);
    }

    private static List<HeatmapPlot> panels(AnalysisResult result, boolean logScale, boolean explained) {
        List<HeatmapPlot> out = new ArrayList<>();
        for (Map.Entry<LensChoice, PromptAnalysis> run : result.lenses().comparison().runs().entrySet()) {
            out.add(new HeatmapPlot(run.getValue(), run.getKey().key(), logScale, explained));
        }
        return out;
    }

    private static List<String> keys(AnalysisResult result) {
        return result.lensChoice().stream().map(LensChoice::key).toList();
    }

    /** Each lens's heatmap, in the lenses' order. */
    public List<HeatmapPlot> panels() {
        return panels;
    }

    /** The lenses' keys, one per panel. */
    public List<String> keys() {
        return keys;
    }

    @Override
    public SideBySide renderer(PlotTheme theme) {
        return new SideBySide(panels.stream().map(p -> p.renderer(theme)).toList(), theme);
    }

    @Override
    public double naturalWidth(PlotTheme theme) {
        return renderer(theme).preferredSize().getWidth();
    }

    @Override
    public double leastHeight(PlotTheme theme) {
        return panels.stream().mapToDouble(p -> p.leastHeight(theme)).max().orElse(0);
    }

    @Override
    public Plot forExport() {
        List<HeatmapPlot> explained = panels.stream().map(HeatmapPlot::forExport).toList();
        return new LensHeatmapsPlot(explained, keys);
    }

    /** The panel's hover text, headed by its lens. */
    @Override
    public Optional<String> describeAt(double x, double y, double width, double height) {
        SideBySide r = renderer(PlotTheme.light());
        Rectangle2D area = new Rectangle2D.Double(0, 0, width, height);
        OptionalInt i = r.panelAt(area, x);
        if (i.isEmpty()) {
            return Optional.empty();
        }
        Rectangle2D panel = r.panel(area, i.getAsInt());
        return panels.get(i.getAsInt()).describeAt(x - panel.getX(), y, panel.getWidth(), panel.getHeight())
                .map(text -> "Lens " + keys.get(i.getAsInt()) + "\n" + text);
    }
}
