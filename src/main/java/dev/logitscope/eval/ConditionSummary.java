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
 */
public record ConditionSummary(Condition condition, int examples, int skipped, List<LayerMetrics> layers,
        double finalAccuracy, int bestLayer, double bestAccuracy, double overthinkingRate, Integer criticalLayer) {

    public ConditionSummary {
        layers = List.copyOf(layers);
    }

    public double[] accuracyPerLayer() {
        return layers.stream().mapToDouble(LayerMetrics::accuracy).toArray();
    }

    public ConditionSummary withCriticalLayer(Integer layer) {
        return new ConditionSummary(condition, examples, skipped, layers, finalAccuracy, bestLayer, bestAccuracy,
                overthinkingRate, layer);
    }
}
