package dev.logitscope.eval;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;
import java.util.List;

/**
 * A condition across its seeds: means and spread.
 *
 * @param template           the template's name
 * @param seeds              the seeds with results
 * @param accuracy           per layer 0..L, spread of the accuracy over seeds
 * @param calibratedAccuracy per layer, spread of the calibrated accuracy
 * @param criticalLayer      spread of the critical layer over the seeds where it is defined, or null
 * @param criticalLayerOfMeans the critical layer of the seed-mean curves (what the plot marks), when
 *                           their final gap is reliable ({@link FinalGap}); null otherwise
 * @param examples           examples of one seed (the fewest over the seeds): every seed sees the same
 *                           reviews, so the seed mean's interval counts them once
 * @param criticalLayerReason why a flipped setting with a correct partner has no critical layer of
 *                           its means ("no reliable gap: …"); null otherwise
 */
public record SeedAggregate(String model, String template, int shots, DemoLabels demoLabels, ScoringMethod method,
        List<Long> seeds,
        List<Spread> accuracy, List<Spread> calibratedAccuracy, Spread finalAccuracy, Spread bestAccuracy,
        Spread bestLayer, Spread overthinkingRate, Spread criticalLayer, Integer criticalLayerOfMeans, int examples,
        String criticalLayerReason) {

    public SeedAggregate {
        seeds = List.copyOf(seeds);
        accuracy = List.copyOf(accuracy);
        calibratedAccuracy = List.copyOf(calibratedAccuracy);
    }

    /** Mean accuracy per layer over the seeds. */
    public double[] meanAccuracy() {
        return accuracy.stream().mapToDouble(Spread::mean).toArray();
    }

    public String setting() {
        return shots == 0 ? "0-shot" : shots + " " + demoLabels.key();
    }
}
