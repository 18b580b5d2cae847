package dev.logitscope.plot;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines of a probability over layer depth (mid-block taps at i − 0.5).
 *
 * @param marker    a labelled vertical line (e.g. the critical layer), or null for none
 * @param reference a horizontal reference line (0.5 for a renormalised probability), NaN for none
 * @param logY      probabilities on a log axis from 1e-6
 * @param xTitle    the x axis's title: "layer", or what a relative depth axis is (models of different depths)
 * @param relativeX x is a relative depth 0..1 (layer / the model's layer count), not a layer number
 * @param key       the legend when it is not one entry per line (empty: one per line): entries without
 *                  values, e.g. one per colour and one per dash when colour and dash say different things;
 *                  a negative colour index draws the entry in the neutral text colour
 */
public record TrajectoryData(String title, String yTitle, List<Series> series, boolean logY, LayerMarker marker,
        double reference, String xTitle, boolean relativeX, List<Series> key) {

    public static final String LAYER = "layer";

    public TrajectoryData {
        series = List.copyOf(series);
        xTitle = xTitle == null ? LAYER : xTitle;
        key = key == null ? List.of() : List.copyOf(key);
    }

    /** Lines over layer numbers, a legend entry each. */
    public TrajectoryData(String title, String yTitle, List<Series> series, boolean logY, LayerMarker marker,
            double reference) {
        this(title, yTitle, series, logY, marker, reference, LAYER, false, List.of());
    }

    /** What the legend lists: the key, or else every line. */
    public List<Series> legend() {
        return key.isEmpty() ? series : key;
    }

    /** P(word) per layer at the last position, one line per tracked word of the report. */
    public static TrajectoryData fromReport(LensReport report, boolean logY) {
        List<Series> series = new ArrayList<>();
        for (int w = 0; w < report.tracked().size(); w++) {
            String name = "P(" + LayerNames.label(report.tracked().get(w).word()) + ")";
            series.add(trackedProbability(name, report, w, w, Series.Dash.SOLID));
        }
        return new TrajectoryData("", "probability", series, logY, null, Double.NaN);
    }

    /**
     * Renormalised P(positive) lines of several runs of one review (correct demonstrations,
     * flipped demonstrations, zero-shot), with the 0.5 line and an optional marker.
     */
    public static TrajectoryData overlay(String title, String positiveLabel, List<Series> series, LayerMarker marker) {
        return new TrajectoryData(title, "P(" + positiveLabel + " | labels)", series, false, marker, 0.5);
    }

    /** The lens probability of tracked word {@code word} at the last position, per layer depth. */
    public static Series trackedProbability(String name, LensReport report, int word, int colorIndex, Series.Dash dash) {
        return perDepth(name, report, probs -> word < probs.length ? probs[word] : Double.NaN, colorIndex, dash);
    }

    /** P(label {@code positive}) renormalised over the tracked words, per layer depth. */
    public static Series normalizedPositive(String name, LensReport report, int positive, int colorIndex,
            Series.Dash dash) {
        return perDepth(name, report,
                probs -> positive < probs.length ? LabelHeatmapData.normalized(probs, positive) : Double.NaN, colorIndex, dash);
    }

    /** One value per layer (at its depth) from the tracked probabilities at the last position. */
    private static Series perDepth(String name, LensReport report, java.util.function.ToDoubleFunction<double[]> value,
            int colorIndex, Series.Dash dash) {
        List<LayerReading> layers = report.layers();
        double[] x = new double[layers.size()];
        double[] y = new double[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            LayerReading layer = layers.get(i);
            x[i] = layer.depth();
            y[i] = value.applyAsDouble(layer.positions().isEmpty() ? new double[0] : layer.last().trackedProbs());
        }
        return new Series(name, x, y, colorIndex, dash);
    }
}
