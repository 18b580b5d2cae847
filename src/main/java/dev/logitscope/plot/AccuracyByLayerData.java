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
     * @param marker the critical layer (first layer where the correct–flipped gap reaches half its
     *               final value), or null when undefined
     */
    public record Panel(String model, List<Series> series, LayerMarker marker) {
        public Panel {
            series = List.copyOf(series);
        }

        /** The usual pair: accuracy per layer 0..L with correct (solid) and flipped (dashed) demonstrations. */
        public static Panel correctVsFlipped(String model, double[] correct, double[] flipped, Double criticalLayer) {
            return new Panel(model, List.of(Series.perLayer("correct demonstrations", correct, 0, Series.Dash.SOLID),
                    Series.perLayer("flipped demonstrations", flipped, 1, Series.Dash.DASHED)),
                    criticalLayer == null ? null : LayerMarker.criticalLayer(criticalLayer));
        }
    }

    public AccuracyByLayerData {
        panels = List.copyOf(panels);
    }
}
