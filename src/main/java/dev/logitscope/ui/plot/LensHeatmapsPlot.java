package dev.logitscope.ui.plot;

import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.plot.LensColumnsHeatmap;
import dev.logitscope.plot.PlotTheme;
import dev.logitscope.ui.analysis.AnalysisResult;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The layer heatmap of a review read through several lenses: a column per lens, named by its key,
 * on one colour scale ({@link LensColumnsHeatmap}), so a reversal one lens shows and another does
 * not is seen row for row. Hover a cell for that lens's full layer (each label, ranks, top 5).
 */
public final class LensHeatmapsPlot implements Plot {
    private static final double THIN_ROW = 2;
    private final List<HeatmapPlot> panels;
    private final List<String> keys;
    private final boolean explained;

    public LensHeatmapsPlot(AnalysisResult result, boolean logScale) {
        this(panels(result, logScale), keys(result), false);
    }

    private LensHeatmapsPlot(List<HeatmapPlot> panels, List<String> keys, boolean explained) {
        this.panels = List.copyOf(panels);
        this.keys = List.copyOf(keys);
        this.explained = explained;
    }

    private static List<HeatmapPlot> panels(AnalysisResult result, boolean logScale) {
        List<HeatmapPlot> out = new ArrayList<>();
        for (Map.Entry<LensChoice, PromptAnalysis> run : result.lenses().comparison().runs().entrySet()) {
            out.add(new HeatmapPlot(run.getValue(), run.getKey().key(), logScale, true));
        }
        return out;
    }

    private static List<String> keys(AnalysisResult result) {
        return result.lensChoice().stream().map(LensChoice::key).toList();
    }

    /** Each lens's own heatmap (its numbers and hover text), in the lenses' order. */
    public List<HeatmapPlot> panels() {
        return panels;
    }

    /** The lenses' keys, one column each. */
    public List<String> keys() {
        return keys;
    }

    @Override
    public LensColumnsHeatmap renderer(PlotTheme theme) {
        List<String> lines = new ArrayList<>();
        if (explained) { // a file stands on its own: each lens's story under the picture
            for (int i = 0; i < keys.size(); i++) {
                lines.add(keys.get(i) + ": " + panels.get(i).data().explanation());
            }
        }
        return new LensColumnsHeatmap(keys, panels.stream().map(HeatmapPlot::data).toList(), lines, theme);
    }

    @Override
    public double naturalWidth(PlotTheme theme) {
        return renderer(theme).preferredSize().getWidth();
    }

    @Override
    public double leastHeight(PlotTheme theme) {
        return renderer(theme).leastHeight(THIN_ROW);
    }

    @Override
    public Plot forExport() {
        return new LensHeatmapsPlot(panels, keys, true);
    }

    @Override
    public Optional<String> describeAt(double x, double y, double width, double height) {
        return renderer(PlotTheme.light()).hitTest(new Rectangle2D.Double(0, 0, width, height), new Point2D.Double(x, y))
                .map(cell -> "Lens " + keys.get(cell[1]) + "\n" + panels.get(cell[1]).describeRow(cell[0]));
    }
}
