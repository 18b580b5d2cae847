package dev.logitscope.plot;

import java.util.List;

/**
 * Accuracy of every layer's lens over a dataset, one panel per model, with correct and flipped
 * demonstrations (and any other conditions) as lines.
 *
 * @param chance the accuracy of guessing (0.5 for two balanced labels), NaN for no line
 */
public record AccuracyByLayerData(String title, List<Panel> panels, double chance) {

    /**
     * One model.
     *
     * @param marker   the critical layer (first layer where the correct–flipped gap reaches half its
     *                 final value, when that gap is reliable), or null
     * @param note     shown beside the panel's name, e.g. "no reliable gap"; "" for none
     * @param examples per series, the examples behind each accuracy (0 when unknown): the tooltip's interval
     */
    public record Panel(String model, List<Series> series, LayerMarker marker, String note, List<Integer> examples) {
        public Panel {
            series = List.copyOf(series);
            note = note == null ? "" : note;
            examples = examples == null ? java.util.Collections.nCopies(series.size(), 0) : List.copyOf(examples);
            if (examples.size() != series.size()) {
                throw new IllegalArgumentException(examples.size() + " example counts for " + series.size() + " series");
            }
        }

        public Panel(String model, List<Series> series, LayerMarker marker) {
            this(model, series, marker, "", null);
        }

        /** The usual pair: accuracy per layer 0..L with correct and flipped demonstrations, in their styles. */
        public static Panel correctVsFlipped(String model, double[] correct, double[] flipped, Double criticalLayer) {
            return new Panel(model, List.of(Series.perLayer("correct demonstrations", correct, ConditionStyle.CORRECT),
                    Series.perLayer("flipped demonstrations", flipped, ConditionStyle.FLIPPED)),
                    criticalLayer == null ? null : LayerMarker.criticalLayer(criticalLayer));
        }
    }

    public AccuracyByLayerData {
        panels = List.copyOf(panels);
    }
}
