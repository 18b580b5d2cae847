package dev.logitscope.eval;

import java.util.List;

/**
 * One condition over its examples.
 *
 * @param examples         examples evaluated
 * @param skipped          examples that could not be evaluated (e.g. too long for the model)
 * @param layers           per layer 0..L
 * @param finalAccuracy    the last layer's accuracy: the model's own
 * @param bestLayer        the layer with the highest accuracy (the earliest on a tie): where to exit early
 * @param bestAccuracy     its accuracy
 * @param overthinkingRate share of examples that overthink (an earlier layer right with margin,
 *                         the final layer wrong; {@link dev.logitscope.analysis.Overthinking})
 * @param criticalLayer    on a flipped condition with a correct partner: the first layer where
 *                         acc_correct − acc_flipped ≥ half the final gap; null otherwise or when
 *                         the final gap is not positive
 * @param calibratedCriticalLayer the same on calibrated accuracy (median thresholds), the curves
 *                         Halawi et al. read their critical layers from
 */
public record ConditionSummary(Condition condition, int examples, int skipped, List<LayerMetrics> layers,
        double finalAccuracy, int bestLayer, double bestAccuracy, double overthinkingRate, Integer criticalLayer,
        Integer calibratedCriticalLayer) {

    public ConditionSummary {
        layers = List.copyOf(layers);
    }

    public double[] accuracyPerLayer() {
        return layers.stream().mapToDouble(LayerMetrics::accuracy).toArray();
    }

    public double[] calibratedAccuracyPerLayer() {
        return layers.stream().mapToDouble(LayerMetrics::calibratedAccuracy).toArray();
    }

    /** With the critical layers against the correct-demonstration partner: raw and calibrated accuracy. */
    public ConditionSummary withCriticalLayers(Integer layer, Integer calibratedLayer) {
        return new ConditionSummary(condition, examples, skipped, layers, finalAccuracy, bestLayer, bestAccuracy,
                overthinkingRate, layer, calibratedLayer);
    }
}
