package dev.logitscope.plot;

import dev.logitscope.analysis.DemoComparison;
import dev.logitscope.analysis.Explanation;
import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.Overthinking;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.TopToken;
import dev.logitscope.prompt.Sentiment;
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
        LabelTrajectory t = analysis.trajectory();
        boolean calibrated = t.isCalibrated();
        Overthinking overthinking = calibrated ? analysis.calibratedOverthinking() : analysis.overthinking();
        boolean overthinks = overthinking != null && Boolean.TRUE.equals(overthinking.overthinks());
        List<LayerReading> blocks = analysis.lens().blockLayers();
        double[][] vocab = t.vocab();
        double[][] decisive = calibrated ? t.calibrated() : t.normalized();
        // Two labels: P(positive | labels), as always. More: P(gold | labels), or of the predicted label.
        int focus = focusIndex(t);
        List<LabelHeatmapData.Row> rows = new ArrayList<>();
        for (int i = 0; i < t.taps(); i++) {
            Boolean correct = calibrated ? t.calibratedCorrect(i) : t.correct(i);
            LabelHeatmapData.Verdict verdict = correct == null ? LabelHeatmapData.Verdict.UNKNOWN
                    : correct ? LabelHeatmapData.Verdict.RIGHT : LabelHeatmapData.Verdict.WRONG;
            boolean rightBeforeReversal = overthinks && Boolean.TRUE.equals(correct)
                    && t.depth(i) < overthinking.reversalLayer();
            boolean reversal = overthinks && t.depth(i) == overthinking.reversalLayer();
            List<TopToken> top = i < blocks.size() && !blocks.get(i).positions().isEmpty() ? blocks.get(i).last().top() : List.of();
            Sentiment predicted = t.decisivePrediction(i);
            double focusValue = decisive[i][focus >= 0 ? focus : predicted.index()];
            rows.add(new LabelHeatmapData.Row(t.name(i), t.depth(i), vocab[i], focusValue, t.labelName(predicted),
                    verdict, rightBeforeReversal, reversal, top));
        }
        List<String> words = t.words().stream().map(String::strip).toList();
        String title = !calibrated ? ""
                : t.labels() == 2 ? "Calibrated: P(" + words.get(0) + ") over the two labels"
                : "Calibrated: P(" + (focus >= 0 ? words.get(focus) : "predicted") + ") over the " + t.labels() + " labels";
        String explanation = overthinking == null ? "" : Explanation.of(overthinking, t, calibrated);
        return new LabelHeatmapData(title, words, focus, rows, explanation);
    }

    /**
     * The label a single-value view of a trajectory is about: positive (0) for two labels; for more
     * the gold label, or −1 for "the predicted label" when there is none.
     */
    public static int focusIndex(LabelTrajectory t) {
        return t.labels() == 2 ? 0 : t.gold() != null ? t.gold().index() : -1;
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
        String headline = FigureTitle.modelName(analysis.lens().model().source()) + " · " + condition + " · " + analysis.lens().lens();
        // the gold label before the review, so shortening the review never cuts it off
        String gold = analysis.gold() == null ? "" : " (gold: " + analysis.trajectory().labelName(analysis.gold()) + ")";
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
                + (analysis.calibration() != null ? ", calibrated" : "") + " · " + analysis.lens().lens();
        return new FigureTitle(headline, one.detail());
    }

    /** The title of a picture of a plain prompt: model, lens and the prompt's end (where the lens reads). */
    public static FigureTitle title(dev.logitscope.lens.LensReport report, String prompt) {
        return new FigureTitle(FigureTitle.modelName(report.model().source()) + " · " + report.lens(),
                FigureTitle.quoted("Prompt", prompt));
    }

    /** The title of one analysis read through several lenses: the lenses' keys take the place of the one lens. */
    public static FigureTitle titleForLenses(PromptAnalysis analysis, java.util.Collection<String> lenses) {
        FigureTitle one = title(analysis);
        String lensName = analysis.lens().lens();
        String headline = one.headline().endsWith(lensName)
                ? one.headline().substring(0, one.headline().length() - lensName.length()) + String.join(" vs. ", lenses)
                : one.headline();
        return new FigureTitle(headline, one.detail());
    }

    /** The title of a plain prompt read through several lenses. */
    public static FigureTitle titleForLenses(dev.logitscope.lens.LensReport report, String prompt,
            java.util.Collection<String> lenses) {
        return new FigureTitle(FigureTitle.modelName(report.model().source()) + " · " + String.join(" vs. ", lenses),
                FigureTitle.quoted("Prompt", prompt));
    }

    /**
     * The trajectory of one run read through several lenses: P(word) per layer at the last
     * position, a colour per word and a dash per lens, named "P(word) · lens key".
     */
    public static TrajectoryData lensTrajectories(Map<String, dev.logitscope.lens.LensReport> reports, boolean logY) {
        List<Series> series = new ArrayList<>();
        Series.Dash[] dashes = Series.Dash.values();
        int lens = 0;
        for (Map.Entry<String, dev.logitscope.lens.LensReport> run : reports.entrySet()) {
            dev.logitscope.lens.LensReport report = run.getValue();
            for (int w = 0; w < report.tracked().size(); w++) {
                String name = "P(" + LayerNames.label(report.tracked().get(w).word()) + ") · " + run.getKey();
                series.add(TrajectoryData.trackedProbability(name, report, w, w, dashes[lens % dashes.length]));
            }
            lens++;
        }
        return new TrajectoryData("", "probability", series, logY, null, Double.NaN);
    }

    /**
     * The label heatmaps of one run through several lenses as one, a column group per lens (columns
     * "positive · logit", "negative · logit", "positive · tuned", …) over the same layer rows; the
     * P(positive) column, verdicts and marks are the first lens's.
     */
    public static LabelHeatmapData lensHeatmap(Map<String, LabelHeatmapData> perLens) {
        LabelHeatmapData first = perLens.values().iterator().next();
        List<String> labels = new ArrayList<>();
        perLens.forEach((key, data) -> data.labels().forEach(l -> labels.add(l + " · " + key)));
        List<LabelHeatmapData.Row> rows = new ArrayList<>();
        for (int r = 0; r < first.rows().size(); r++) {
            LabelHeatmapData.Row row = first.rows().get(r);
            double[] probs = new double[labels.size()];
            int at = 0;
            for (LabelHeatmapData data : perLens.values()) {
                for (int l = 0; l < data.labels().size(); l++) {
                    probs[at++] = r < data.rows().size() ? data.rows().get(r).probs()[l] : Double.NaN;
                }
            }
            rows.add(new LabelHeatmapData.Row(row.layerName(), row.depth(), probs, row.normalizedPositive(), row.predicted(),
                    row.verdict(), row.overthinkingRight(), row.reversal(), row.top()));
        }
        return new LabelHeatmapData(first.title(), labels, first.positiveIndex(), rows, first.explanation());
    }

    /** The demonstration comparison's lines (zero-shot, correct, flipped; calibrated when on), in its order. */
    public static TrajectoryData overlay(String title, DemoComparison comparison, LayerMarker marker) {
        return trajectory(title, comparison.trajectories(), marker);
    }

    /**
     * The trajectory picture of named runs of one review (as the prediction uses them: calibrated
     * when on). Two labels: P(positive | labels) per run in its condition's style, as always. More
     * labels: one run draws a line per label; several runs draw P(gold | labels) each, or P of the
     * first run's final prediction when there is no gold label.
     */
    public static TrajectoryData trajectory(String title, Map<String, LabelTrajectory> runs, LayerMarker marker) {
        LabelTrajectory first = runs.values().iterator().next();
        if (first.labels() == 2 || runs.size() > 1) {
            Sentiment focus = focusLabel(first);
            return TrajectoryData.overlay(title, first.labels() == 2 ? "positive" : first.words().get(focus.index()).strip(),
                    conditionLines(focusLines(runs)), marker);
        }
        List<Series> series = new ArrayList<>();
        Series.Dash[] dashes = Series.Dash.values();
        for (int label = 0; label < first.labels(); label++) {
            series.add(Series.perLayer("P(" + first.words().get(label).strip() + ")",
                    first.column(Sentiment.of(label), first.isCalibrated()), label, dashes[label % dashes.length]));
        }
        return new TrajectoryData(title, "P(label | labels)", series, false, marker, Double.NaN);
    }

    /** Per run the decisive probability of the focus label ({@link #focusLabel} of the first run) per layer. */
    public static Map<String, double[]> focusLines(Map<String, LabelTrajectory> runs) {
        Map<String, double[]> lines = new java.util.LinkedHashMap<>();
        if (runs.isEmpty()) {
            return lines;
        }
        Sentiment focus = focusLabel(runs.values().iterator().next());
        runs.forEach((name, t) -> lines.put(name, t.column(focus, t.isCalibrated())));
        return lines;
    }

    /** Positive for two labels; for more the gold label, else the final (decisive) prediction. */
    public static Sentiment focusLabel(LabelTrajectory t) {
        int focus = focusIndex(t);
        return focus >= 0 ? Sentiment.of(focus) : t.decisivePrediction(t.taps() - 1);
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
