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
 *                         acc_correct − acc_flipped ≥ half the final gap (Halawi et al.), reported
 *                         only when the final gap is larger than its noise ({@link FinalGap});
 *                         null otherwise
 * @param calibratedCriticalLayer the same on calibrated accuracy (median thresholds), the curves
 *                         Halawi et al. read their critical layers from
 * @param criticalLayerReason why a flipped condition with a correct partner has no critical layer
 *                         ("no reliable gap: …", see {@link FinalGap}); null otherwise
 * @param calibratedCriticalLayerReason the same for the calibrated critical layer
 */
public record ConditionSummary(Condition condition, int examples, int skipped, List<LayerMetrics> layers,
        double finalAccuracy, int bestLayer, double bestAccuracy, double overthinkingRate, Integer criticalLayer,
        Integer calibratedCriticalLayer, String criticalLayerReason, String calibratedCriticalLayerReason) {

    public ConditionSummary {
        layers = List.copyOf(layers);
    }

    /** The first layer from which accuracy stays within {@link SettlingLayer#DEFAULT_MARGIN} of the final layer's. */
    public int settlingLayer() {
        return SettlingLayer.of(accuracyPerLayer(), SettlingLayer.DEFAULT_MARGIN);
    }

    public double[] accuracyPerLayer() {
        return layers.stream().mapToDouble(LayerMetrics::accuracy).toArray();
    }

    public double[] calibratedAccuracyPerLayer() {
        return layers.stream().mapToDouble(LayerMetrics::calibratedAccuracy).toArray();
    }

    /** The last layer's calibrated accuracy. */
    public double finalCalibratedAccuracy() {
        return layers.isEmpty() ? Double.NaN : layers.get(layers.size() - 1).calibratedAccuracy();
    }

    /**
     * With the critical layers against the correct-demonstration partner (raw and calibrated
     * accuracy), each kept only when its final gap is reliable, else with the reason.
     */
    public ConditionSummary withCriticalLayers(ConditionSummary correct) {
        FinalGap raw = new FinalGap(correct.finalAccuracy(), finalAccuracy, correct.examples(), examples);
        FinalGap calibrated = new FinalGap(correct.finalCalibratedAccuracy(), finalCalibratedAccuracy(),
                correct.examples(), examples);
        return new ConditionSummary(condition, examples, skipped, layers, finalAccuracy, bestLayer, bestAccuracy,
                overthinkingRate, raw.gate(Metrics.criticalLayer(correct.accuracyPerLayer(), accuracyPerLayer())),
                calibrated.gate(Metrics.criticalLayer(correct.calibratedAccuracyPerLayer(), calibratedAccuracyPerLayer())),
                raw.reason(), calibrated.reason());
    }
}
