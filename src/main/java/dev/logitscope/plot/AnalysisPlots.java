package dev.logitscope.plot;

import dev.logitscope.analysis.DemoComparison;
import dev.logitscope.analysis.Explanation;
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

    /**
     * The label heatmap of one analysis: P(label) per layer, P(positive) over the two labels
     * (calibrated when the analysis was calibrated, as its prediction then is), the verdicts,
     * the layers that were right before an overthinking reversal, and the reversal itself.
     */
    public static LabelHeatmapData heatmap(PromptAnalysis analysis) {
        boolean calibrated = analysis.calibration() != null;
        Overthinking overthinking = calibrated ? analysis.calibratedOverthinking() : analysis.overthinking();
        boolean overthinks = overthinking != null && Boolean.TRUE.equals(overthinking.overthinks());
        List<LayerVerdict> verdicts = analysis.verdicts();
        List<LayerReading> blocks = analysis.lens().blockLayers();
        List<LabelHeatmapData.Row> rows = new ArrayList<>();
        for (int i = 0; i < verdicts.size(); i++) {
            LayerVerdict v = verdicts.get(i);
            Boolean correct = calibrated && v.calibrated() != null ? v.calibrated().correct() : v.correct();
            LabelHeatmapData.Verdict verdict = correct == null ? LabelHeatmapData.Verdict.UNKNOWN
                    : correct ? LabelHeatmapData.Verdict.RIGHT : LabelHeatmapData.Verdict.WRONG;
            boolean rightBeforeReversal = overthinks && Boolean.TRUE.equals(correct) && v.layer() < overthinking.reversalLayer();
            boolean reversal = overthinks && v.layer() == overthinking.reversalLayer();
            List<TopToken> top = i < blocks.size() && !blocks.get(i).positions().isEmpty() ? blocks.get(i).last().top() : List.of();
            String predicted = (calibrated && v.calibrated() != null ? v.calibrated().prediction() : v.prediction()).key();
            rows.add(new LabelHeatmapData.Row(v.name(), v.layer(), new double[] {v.pPositive(), v.pNegative()},
                    decisivePositive(v), predicted, verdict, rightBeforeReversal, reversal, top));
        }
        String positive = analysis.labels().positive().word().strip();
        String negative = analysis.labels().negative().word().strip();
        String title = calibrated ? "Calibrated: P(" + positive + ") over the two labels" : "";
        String explanation = overthinking == null ? "" : Explanation.of(overthinking, verdicts, calibrated);
        return new LabelHeatmapData(title, List.of(positive, negative), 0, rows, explanation);
    }

    /** The lens every picture reads the layers through. */
    public static final String LENS = "logit lens";

    /**
     * The title an exported picture of this analysis carries: model, shots, demonstration labels,
     * lens (and calibration), then the review shortened and its gold label.
     */
    public static FigureTitle title(PromptAnalysis analysis) {
        int shots = analysis.prompt().shots();
        String condition = shots == 0 ? "0-shot"
                : shots + "-shot, " + analysis.request().recipe().demoLabels().key() + " demo labels";
        if (analysis.calibration() != null) {
            condition += ", calibrated";
        }
        String headline = FigureTitle.modelName(analysis.lens().model().source()) + " · " + condition + " · " + LENS;
        // the gold label before the review, so shortening the review never cuts it off
        String gold = analysis.gold() == null ? "" : " (gold: " + analysis.gold().key() + ")";
        return new FigureTitle(headline, FigureTitle.quoted("Review" + gold, analysis.request().review()));
    }

    /**
     * The title of several runs of one review overlaid: the runs' names (the legend's) take the
     * place of the single condition.
     */
    public static FigureTitle title(PromptAnalysis analysis, java.util.Collection<String> runs) {
        FigureTitle one = title(analysis);
        if (runs.size() < 2) {
            return one;
        }
        String headline = FigureTitle.modelName(analysis.lens().model().source()) + " · " + String.join(" vs. ", runs)
                + (analysis.calibration() != null ? ", calibrated" : "") + " · " + LENS;
        return new FigureTitle(headline, one.detail());
    }

    /** The title of a picture of a plain prompt: model, lens and the prompt's end (where the lens reads). */
    public static FigureTitle title(dev.logitscope.lens.LensReport report, String prompt) {
        return new FigureTitle(FigureTitle.modelName(report.model().source()) + " · " + LENS,
                FigureTitle.quoted("Prompt", prompt));
    }

    /** P(positive) over the two labels as the prediction uses it: calibrated when calibration is on. */
    public static double decisivePositive(LayerVerdict v) {
        return v.decisivePositive();
    }

    /**
     * The demonstration comparison's lines (zero-shot, correct, flipped; calibrated when
     * calibration is on), in its order: the same numbers the app's overlay shows.
     */
    public static TrajectoryData overlay(String title, DemoComparison comparison, LayerMarker marker) {
        return TrajectoryData.overlay(title, "positive", conditionLines(comparison.trajectories()), marker);
    }

    /**
     * Lines per layer of named runs, each in its condition's style ({@link ConditionStyle#named}):
     * correct demonstrations look the same here as in the evaluation charts. A name that is no
     * condition takes a style no other line uses.
     */
    public static List<Series> conditionLines(Map<String, double[]> runs) {
        List<Series> series = new ArrayList<>();
        java.util.EnumSet<ConditionStyle> used = java.util.EnumSet.noneOf(ConditionStyle.class);
        for (String name : runs.keySet()) {
            ConditionStyle style = ConditionStyle.named(name);
            if (style != null) {
                used.add(style);
            }
        }
        for (Map.Entry<String, double[]> run : runs.entrySet()) {
            ConditionStyle style = ConditionStyle.named(run.getKey());
            if (style == null) {
                style = java.util.Arrays.stream(ConditionStyle.values()).filter(s -> !used.contains(s)).findFirst()
                        .orElse(ConditionStyle.THIS_PROMPT);
                used.add(style);
            }
            series.add(Series.perLayer(run.getKey(), run.getValue(), style));
        }
        return series;
    }
}
