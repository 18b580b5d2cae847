package dev.logitscope.ui.plot;

import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.plot.AnalysisPlots;
import dev.logitscope.plot.LayerMarker;
import dev.logitscope.plot.LensLines;
import dev.logitscope.plot.PlotTheme;
import dev.logitscope.plot.Series;
import dev.logitscope.plot.TrajectoryChart;
import dev.logitscope.plot.TrajectoryData;
import dev.logitscope.ui.analysis.AnalysisResult;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * P(positive) over the two labels per layer: the prompt analysed and, when asked, the same review
 * under correct and flipped demonstrations and zero-shot, so the overthinking gap shows at once.
 */
public final class TrajectoryPlot implements Plot {
    private final Map<String, double[]> series;
    private final TrajectoryData data;

    /** @param reversal the layer to mark (where the answer reversed), or null */
    public TrajectoryPlot(Map<String, double[]> series, String positiveWord, Integer reversal) {
        this.series = new LinkedHashMap<>(series);
        List<Series> lines = AnalysisPlots.conditionLines(series); // the evaluation charts' styles
        this.data = TrajectoryData.overlay("", positiveWord.strip(), lines, marker(reversal));
    }

    /** The runs' trajectories as {@link AnalysisPlots#trajectory} draws them (a line per label for one run of N). */
    public TrajectoryPlot(Map<String, LabelTrajectory> runs, Integer reversal) {
        this.data = AnalysisPlots.trajectory("", runs, marker(reversal));
        this.series = new LinkedHashMap<>();
        data.series().forEach(line -> series.put(line.name(), line.y()));
    }

    private TrajectoryPlot(TrajectoryData data) {
        this.data = data;
        this.series = new LinkedHashMap<>();
        data.series().forEach(line -> series.put(line.name(), line.y()));
    }

    /**
     * The review read through several lenses: a line per lens named by its key ({@link LensLines}),
     * then the primary lens's demonstration comparison when Compare is on; the primary lens's reversal marked.
     */
    public static TrajectoryPlot lenses(AnalysisResult r) {
        Map<String, LabelTrajectory> lenses = r.lenses().comparison().trajectories();
        Map<String, LabelTrajectory> conditions = new LinkedHashMap<>(r.runs());
        conditions.keySet().removeAll(lenses.keySet());
        return new TrajectoryPlot(LensLines.of("", lenses, conditions, marker(r.overthinking().reversalLayer())));
    }

    private static LayerMarker marker(Integer reversal) {
        return reversal == null ? null : new LayerMarker(reversal, "reversal " + reversal);
    }

    public List<String> seriesNames() {
        return new ArrayList<>(series.keySet());
    }

    public TrajectoryData data() {
        return data;
    }

    @Override
    public TrajectoryChart renderer(PlotTheme theme) {
        return new TrajectoryChart(data, theme);
    }

    /** The values of every line at the layer under the pointer. */
    @Override
    public Optional<String> describeAt(double x, double y, double width, double height) {
        OptionalInt hit = renderer(PlotTheme.light()).layerAt(new Rectangle2D.Double(0, 0, width, height),
                new Point2D.Double(x, y));
        int n = series.isEmpty() ? 0 : series.values().iterator().next().length;
        if (hit.isEmpty() || hit.getAsInt() < 0 || hit.getAsInt() >= n) {
            return Optional.empty();
        }
        int layer = hit.getAsInt();
        StringBuilder s = new StringBuilder(layer == 0 ? "Embeddings" : "Layer " + layer);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            s.append(String.format(Locale.ROOT, "%n%-14s %s", e.getKey(), TextFormat.prob(e.getValue()[layer])));
        }
        return Optional.of(s.toString());
    }
}
