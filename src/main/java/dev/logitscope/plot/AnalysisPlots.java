package dev.logitscope.plot;

import dev.logitscope.analysis.LayerVerdict;
import dev.logitscope.analysis.Overthinking;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.TopToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an analysis into the data of the pictures: the label heatmap with its verdicts and
 * overthinking marks, and trajectories of several runs of one review overlaid. Shared by the
 * CLI's exports and the app, so both draw the same thing.
 */
public final class AnalysisPlots {
    private AnalysisPlots() {}

    /** The label heatmap of one analysis: verdicts, the layers that were right, the reversal. */
    public static LabelHeatmapData heatmap(PromptAnalysis analysis) {
        List<String> labels = List.of("positive", "negative");
        Overthinking overthinking = analysis.overthinking();
        boolean overthinks = overthinking != null && Boolean.TRUE.equals(overthinking.overthinks());
        List<LayerReading> blocks = analysis.lens().blockLayers();
        List<LabelHeatmapData.Row> rows = new ArrayList<>();
        for (int i = 0; i < analysis.verdicts().size(); i++) {
            LayerVerdict v = analysis.verdicts().get(i);
            LabelHeatmapData.Verdict verdict = v.correct() == null ? LabelHeatmapData.Verdict.UNKNOWN
                    : v.correct() ? LabelHeatmapData.Verdict.RIGHT : LabelHeatmapData.Verdict.WRONG;
            boolean rightBeforeReversal = overthinks && Boolean.TRUE.equals(v.correct()) && v.layer() < overthinking.reversalLayer();
            boolean reversal = overthinks && v.layer() == overthinking.reversalLayer();
            List<TopToken> top = i < blocks.size() && !blocks.get(i).positions().isEmpty() ? blocks.get(i).last().top() : List.of();
            rows.add(new LabelHeatmapData.Row(v.name(), v.layer(), new double[] {v.pPositive(), v.pNegative()},
                    v.normalizedPositive(), v.prediction().key(), verdict, rightBeforeReversal, reversal, top));
        }
        String explanation = overthinking == null || overthinking.gold() == null ? "" : explain(overthinking);
        return new LabelHeatmapData("", labels, 0, rows, explanation);
    }

    /** A short sentence for under the heatmap. */
    public static String explain(Overthinking o) {
        if (o.gold() == null) {
            return "";
        }
        if (Boolean.TRUE.equals(o.overthinks())) {
            return "Overthinking: layer " + o.lastCorrectLayer() + " says " + o.gold().key() + " (correct), but from layer "
                    + o.reversalLayer() + " on the model turns to " + o.gold().opposite().key() + ".";
        }
        if (Boolean.TRUE.equals(o.finalCorrect())) {
            return "Correct at the last layer" + (o.firstCorrectLayer() == null ? "." : "; first correct at layer "
                    + o.firstCorrectLayer() + ".");
        }
        return "Wrong at the last layer, and no earlier layer is confidently right.";
    }

    /**
     * Renormalised P(positive) per layer of several runs of the same review (e.g. correct
     * demonstrations, flipped demonstrations, zero-shot), in the order given.
     */
    public static TrajectoryData overlay(String title, Map<String, PromptAnalysis> runs, LayerMarker marker) {
        List<Series> series = new ArrayList<>();
        Series.Dash[] dashes = {Series.Dash.SOLID, Series.Dash.DASHED, Series.Dash.DOTTED};
        int index = 0;
        for (Map.Entry<String, PromptAnalysis> run : runs.entrySet()) {
            double[] values = run.getValue().verdicts().stream().mapToDouble(LayerVerdict::normalizedPositive).toArray();
            series.add(Series.perLayer(run.getKey(), values, index, dashes[index % dashes.length]));
            index++;
        }
        return TrajectoryData.overlay(title, "positive", series, marker);
    }
}
