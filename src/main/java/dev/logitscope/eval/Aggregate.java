package dev.logitscope.eval;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;
import java.util.List;

/**
 * A model in one demonstration setting, summarised over runs that differ in one thing only: its
 * seeds (one template; {@code template} names it), or its templates (each template counted once,
 * with its mean over seeds; {@code template} is null). One format is one sample of prompt space,
 * so with several templates their mean is the figure to read.
 *
 * @param template             the template, or null for the mean over {@code templates}
 * @param seeds                the seeds with results (over templates: every template's, once each)
 * @param templates            the templates with results (the one template of a seed aggregate)
 * @param accuracy             per layer 0..L, the spread over the members (a seed's accuracy, or a
 *                             template's seed-mean accuracy)
 * @param calibratedAccuracy   per layer, the same for calibrated accuracy
 * @param finalAccuracy        spread over the members of the final layer's accuracy
 * @param bestAccuracy         spread over seeds of each seed's best accuracy; null over templates
 * @param bestLayer            spread over seeds of each seed's best layer; null over templates (read
 *                             {@link #bestLayerOfMeans()} there)
 * @param overthinkingRate     spread over the members of the overthinking rate
 * @param criticalLayer        spread of the critical layer over the members where it is defined (a
 *                             seed's own, a template's of its seed means), or null
 * @param criticalLayerOfMeans the critical layer of the mean correct and flipped curves (what the
 *                             plot marks), when their final gap is reliable ({@link FinalGap}); else null
 * @param examples             examples of one run (the fewest over the members): the members see the
 *                             same reviews, so the mean's interval counts them once
 * @param criticalLayerReason  why a flipped setting with a correct partner has no critical layer of
 *                             its means ("no reliable gap: …"); null otherwise
 * @param lens                 the key of the lens that read the layers ({@link Condition#lens()})
 */
public record Aggregate(String model, String template, int shots, DemoLabels demoLabels, ScoringMethod method,
        List<Long> seeds, List<String> templates, List<Spread> accuracy, List<Spread> calibratedAccuracy,
        Spread finalAccuracy, Spread bestAccuracy, Spread bestLayer, Spread overthinkingRate, Spread criticalLayer,
        Integer criticalLayerOfMeans, int examples, String criticalLayerReason, String lens) {

    /** An aggregate of conditions read through the logit lens. */
    public Aggregate(String model, String template, int shots, DemoLabels demoLabels, ScoringMethod method,
            List<Long> seeds, List<String> templates, List<Spread> accuracy, List<Spread> calibratedAccuracy,
            Spread finalAccuracy, Spread bestAccuracy, Spread bestLayer, Spread overthinkingRate, Spread criticalLayer,
            Integer criticalLayerOfMeans, int examples, String criticalLayerReason) {
        this(model, template, shots, demoLabels, method, seeds, templates, accuracy, calibratedAccuracy, finalAccuracy,
                bestAccuracy, bestLayer, overthinkingRate, criticalLayer, criticalLayerOfMeans, examples,
                criticalLayerReason, Condition.LOGIT);
    }

    public Aggregate {
        lens = lens == null ? Condition.LOGIT : lens;
        seeds = List.copyOf(seeds);
        templates = List.copyOf(templates);
        accuracy = List.copyOf(accuracy);
        calibratedAccuracy = List.copyOf(calibratedAccuracy);
    }

    /** Whether this is the mean over several templates rather than one template's seeds. */
    public boolean overTemplates() {
        return template == null;
    }

    /** Mean accuracy per layer over the members. */
    public double[] meanAccuracy() {
        return accuracy.stream().mapToDouble(Spread::mean).toArray();
    }

    /** The layer where the mean accuracy is highest (earliest on a tie); 0 without layers. */
    public int bestLayerOfMeans() {
        return accuracy.isEmpty() ? 0 : Metrics.bestLayer(meanAccuracy());
    }

    /** Where the mean accuracy settles ({@link SettlingLayer}, the default margin). */
    public int settlingLayerOfMeans() {
        return SettlingLayer.of(meanAccuracy(), SettlingLayer.DEFAULT_MARGIN);
    }

    public boolean isLogitLens() {
        return lens.equals(Condition.LOGIT);
    }

    /** "4 flipped", "0-shot", and " · KEY" after it for a lens other than the logit lens: tables keep lenses apart. */
    public String setting() {
        return (shots == 0 ? "0-shot" : shots + " " + demoLabels.key()) + (isLogitLens() ? "" : " · " + lens);
    }

    /** The same with the critical layer of the mean curves decided. */
    public Aggregate withCriticalLayerOfMeans(Integer layer, String reason) {
        return new Aggregate(model, template, shots, demoLabels, method, seeds, templates, accuracy, calibratedAccuracy,
                finalAccuracy, bestAccuracy, bestLayer, overthinkingRate, criticalLayer, layer, examples, reason, lens);
    }
}
