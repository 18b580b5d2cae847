package dev.logitscope.plot;

import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.PromptAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Two models on the same review (a base model and its fine-tune, say): the data of the pictures
 * that put them side by side. The trajectory chart draws every line of each model's own trajectory
 * picture ({@link AnalysisPlots#trajectory}): model A solid, model B dashed, the legend naming the
 * model. Models of different depths share a relative depth axis (layer / layer count), and the
 * axis title says so; models of the same depth keep the layer axis.
 */
public final class ModelComparison {
    /** The dash that tells model B's lines from model A's (solid). */
    public static final Series.Dash B_DASH = Series.Dash.DASHED;

    /** One model's runs of the review, under the name the legend gives it. */
    public record Model(String name, Map<String, LabelTrajectory> runs) {
        public Model {
            Objects.requireNonNull(name, "name");
            if (runs.isEmpty()) {
                throw new IllegalArgumentException("model " + name + " has no run");
            }
            runs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(runs)); // keeps the runs' order
        }

        /** Layers after the embeddings (the last tap's depth). */
        int layers() {
            LabelTrajectory t = runs.values().iterator().next();
            return t.depth(t.taps() - 1);
        }
    }

    private ModelComparison() {}

    /**
     * The names the legend and captions give two models: their own ({@link FigureTitle#modelName}),
     * with "(A)" and "(B)" added when the two would read the same.
     */
    public static List<String> names(String sourceA, String sourceB) {
        String a = FigureTitle.modelName(sourceA);
        String b = FigureTitle.modelName(sourceB);
        return a.equals(b) ? List.of(a + " (A)", b + " (B)") : List.of(a, b);
    }

    /**
     * The names of two analysed models; when they were read through different lenses (a base LM's
     * logit lens, a fine-tune's classifier head) each name says its lens: "gpt2 · logit".
     */
    public static List<String> names(PromptAnalysis a, PromptAnalysis b) {
        List<String> plain = names(a.lens().model().source(), b.lens().model().source());
        if (a.request().lens().equals(b.request().lens())) {
            return plain;
        }
        return List.of(plain.get(0) + " · " + a.request().lens().key(), plain.get(1) + " · " + b.request().lens().key());
    }

    /** Whether the two models have different layer counts (then depths are relative). */
    public static boolean differentDepths(Model a, Model b) {
        return a.layers() != b.layers();
    }

    /** The x axis's title when the depths differ (short: the legend gives each model's layer count). */
    public static final String RELATIVE_DEPTH = "relative depth (layer / L)";

    /** A model's name in the legend: with its layer count L when the depths differ ("gpt2 (L = 12)"). */
    private static String legendName(Model model, boolean relative) {
        return relative ? String.format(Locale.ROOT, "%s (L = %d)", model.name(), model.layers()) : model.name();
    }

    /**
     * Both models' trajectory lines on one chart. Each model's lines are those of its own picture
     * (one line for two labels; one per run or per label otherwise); model A's solid, model B's
     * dashed. With one line per model the two also differ in colour; with several, a line's colour
     * says its run or label, the same for both models.
     */
    public static TrajectoryData trajectory(String title, Model a, Model b) {
        boolean relative = differentDepths(a, b);
        TrajectoryData first = AnalysisPlots.trajectory("", a.runs(), null);
        TrajectoryData second = AnalysisPlots.trajectory("", b.runs(), null);
        boolean single = first.series().size() == 1 && second.series().size() == 1;
        List<Series> lines = new ArrayList<>();
        addLines(lines, a, first, relative, single, 0, Series.Dash.SOLID, Marker.CIRCLE);
        addLines(lines, b, second, relative, single, 1, B_DASH, Marker.TRIANGLE);
        String x = relative ? RELATIVE_DEPTH : TrajectoryData.LAYER;
        // Several lines per model: the legend says once what each colour is and once what each dash is.
        List<Series> key = new ArrayList<>();
        if (!single) {
            for (Series s : first.series()) {
                key.add(new Series(s.name(), new double[0], new double[0], s.colorIndex(), Series.Dash.SOLID, s.marker(),
                        false));
            }
            key.add(new Series(legendName(a, relative), new double[0], new double[0], -1, Series.Dash.SOLID));
            key.add(new Series(legendName(b, relative), new double[0], new double[0], -1, B_DASH));
        }
        return new TrajectoryData(title, first.yTitle(), lines, false, null, first.reference(), x, relative, key);
    }

    private static void addLines(List<Series> out, Model model, TrajectoryData own, boolean relative, boolean single,
            int colorIndex, Series.Dash dash, Marker marker) {
        double layers = Math.max(1, model.layers());
        for (Series s : own.series()) {
            double[] x = s.x();
            for (int i = 0; i < x.length; i++) {
                x[i] = relative ? x[i] / layers : x[i]; // depth / L, as a reader computes it
            }
            String name = single ? legendName(model, relative) : legendName(model, relative) + " · " + s.name();
            out.add(new Series(name, x, s.y(), single ? colorIndex : s.colorIndex(), dash,
                    single ? marker : s.marker(), false));
        }
    }

    /** The heatmap of one model, captioned with its name (before the calibration note, when there is one). */
    public static LabelHeatmapData heatmap(String name, PromptAnalysis analysis) {
        LabelHeatmapData data = AnalysisPlots.heatmap(analysis);
        return data.withTitle(data.title().isEmpty() ? name : name + " · " + data.title());
    }

    /** The title of a picture of both models: "A vs. B", the condition, the lens, and the review. */
    public static FigureTitle title(PromptAnalysis a, PromptAnalysis b) {
        FigureTitle one = AnalysisPlots.title(a);
        List<String> names = names(a, b);
        String modelA = FigureTitle.modelName(a.lens().model().source());
        String rest = one.headline().startsWith(modelA) ? one.headline().substring(modelA.length()) : " · " + one.headline();
        if (!a.request().lens().equals(b.request().lens()) && rest.lastIndexOf(" · ") > 0) {
            rest = rest.substring(0, rest.lastIndexOf(" · ")); // the lens is the last part; here each name says its own
        }
        return new FigureTitle(names.get(0) + " vs. " + names.get(1) + rest, one.detail());
    }
}
