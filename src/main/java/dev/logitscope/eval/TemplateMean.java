package dev.logitscope.eval;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;
import java.util.List;

/**
 * A model in one demonstration setting across several templates: one format is one sample of
 * prompt space, so this is the figure to read. Each template counts once, with its mean over seeds.
 *
 * @param templates            the templates with results
 * @param accuracy             per layer 0..L, the spread over templates of their seed-mean accuracy
 * @param calibratedAccuracy   per layer, the same for calibrated accuracy
 * @param finalAccuracy        spread over templates of the final layer's seed-mean accuracy
 * @param bestLayer            the layer where the template-mean accuracy is highest (earliest on a tie)
 * @param overthinkingRate     spread over templates of the seed-mean overthinking rate
 * @param criticalLayer        spread over templates of each template's critical layer (of its seed
 *                             means), where defined; null when nowhere
 * @param criticalLayerOfMeans the critical layer of the template-mean correct and flipped curves when
 *                             their final gap is reliable ({@link FinalGap}), else null
 * @param examples             examples of one run (the fewest over the templates): the templates see the
 *                             same reviews, so the mean's interval counts them once
 * @param criticalLayerReason  why a flipped setting with a correct partner has no critical layer of
 *                             its means; null otherwise
 */
public record TemplateMean(String model, int shots, DemoLabels demoLabels, ScoringMethod method,
        List<String> templates, List<Spread> accuracy, List<Spread> calibratedAccuracy, Spread finalAccuracy,
        int bestLayer, Spread overthinkingRate, Spread criticalLayer, Integer criticalLayerOfMeans, int examples,
        String criticalLayerReason) {

    public TemplateMean {
        templates = List.copyOf(templates);
        accuracy = List.copyOf(accuracy);
        calibratedAccuracy = List.copyOf(calibratedAccuracy);
    }

    /** Accuracy per layer averaged over the templates. */
    public double[] meanAccuracy() {
        return accuracy.stream().mapToDouble(Spread::mean).toArray();
    }

    public String setting() {
        return shots == 0 ? "0-shot" : shots + " " + demoLabels.key();
    }
}
