package dev.logitscope.plot;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.lens.TopToken;
import dev.logitscope.lens.TrackedWord;
import java.util.ArrayList;
import java.util.List;

/**
 * The numbers behind the label heatmap: one row per layer with the lens probability of each
 * label word at the last position, the renormalised P(positive) and the predicted label.
 *
 * @param title         drawn above the picture; empty for none
 * @param labels        label names, one probability column each ("positive", "negative")
 * @param positiveIndex which label the renormalised column is about; −1 for "each layer's predicted
 *                      label" (more than two labels without a gold label)
 * @param rows          layers in forward order (embed first)
 * @param explanation   one line under the picture (why the answer reversed); empty for none
 */
public record LabelHeatmapData(String title, List<String> labels, int positiveIndex, List<Row> rows, String explanation) {

    /** Whether a layer's prediction matched the gold label; UNKNOWN when there is no gold label. */
    public enum Verdict { UNKNOWN, RIGHT, WRONG }

    /**
     * One layer.
     *
     * @param probs              P(label i) under this layer's lens, NaN when not available
     * @param normalizedPositive P(positive) / Σ P(label), NaN when not available
     * @param predicted          the predicted label's name, "n/a" when none
     * @param overthinkingRight  this layer was right although the final layer is wrong
     * @param reversal           the layer where the answer turned from right to wrong
     * @param top                the layer's most likely next tokens, for hover text
     */
    public record Row(String layerName, double depth, double[] probs, double normalizedPositive, String predicted,
            Verdict verdict, boolean overthinkingRight, boolean reversal, List<TopToken> top) {

        public Row {
            probs = probs.clone();
            top = List.copyOf(top);
        }

        @Override
        public double[] probs() {
            return probs.clone();
        }

        double prob(int label) {
            return probs[label];
        }
    }

    public LabelHeatmapData {
        labels = List.copyOf(labels);
        rows = List.copyOf(rows);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("the heatmap needs at least one label");
        }
        if (positiveIndex < -1 || positiveIndex >= labels.size() || (positiveIndex == -1 && labels.size() < 3)) {
            throw new IllegalArgumentException("positive label " + positiveIndex + " is not one of " + labels);
        }
        for (Row row : rows) {
            if (row.probs.length != labels.size()) {
                throw new IllegalArgumentException("layer " + row.layerName() + " has " + row.probs.length
                        + " probabilities for " + labels.size() + " labels");
            }
        }
    }

    /**
     * The lens-only heatmap of a report whose tracked words are the labels, positive first: the
     * prediction of each layer is the label argmax; verdicts are unknown and nothing is flagged.
     */
    public static LabelHeatmapData fromReport(LensReport report) {
        return fromReport(report, 0);
    }

    /** As {@link #fromReport(LensReport)}, with the positive label at {@code positiveIndex} of the tracked words. */
    public static LabelHeatmapData fromReport(LensReport report, int positiveIndex) {
        List<String> labels = report.tracked().stream().map(TrackedWord::word).map(LayerNames::label).toList();
        List<Row> rows = new ArrayList<>();
        for (LayerReading layer : report.layers()) {
            double[] probs = new double[labels.size()];
            java.util.Arrays.fill(probs, Double.NaN);
            List<TopToken> top = List.of();
            if (!layer.positions().isEmpty()) {
                PositionReading last = layer.last();
                for (int i = 0; i < probs.length && i < last.trackedProbs().length; i++) {
                    probs[i] = last.trackedProbs()[i];
                }
                top = last.top();
            }
            int best = argmax(probs);
            rows.add(new Row(LayerNames.of(layer), layer.depth(), probs, normalized(probs, positiveIndex),
                    best < 0 ? "n/a" : labels.get(best), Verdict.UNKNOWN, false, false, top));
        }
        return new LabelHeatmapData("", labels, positiveIndex, rows, "");
    }

    public LabelHeatmapData withTitle(String newTitle) {
        return new LabelHeatmapData(newTitle, labels, positiveIndex, rows, explanation);
    }

    /** P(label) renormalised over the labels; NaN when any is missing or all are zero. */
    public static double normalized(double[] probs, int label) {
        double sum = 0;
        for (double p : probs) {
            sum += p;
        }
        return sum > 0 ? probs[label] / sum : Double.NaN;
    }

    /** Index of the largest probability, or −1 when none is a number. */
    public static int argmax(double[] probs) {
        int best = -1;
        for (int i = 0; i < probs.length; i++) {
            if (!Double.isNaN(probs[i]) && (best < 0 || probs[i] > probs[best])) {
                best = i;
            }
        }
        return best;
    }
}
