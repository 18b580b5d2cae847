package dev.logitscope.eval;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Groups seed aggregates that differ only in their template and averages each group over templates. */
final class TemplateMeans {

    private TemplateMeans() {}

    /** The means over templates; empty when the aggregates come from one template only. */
    static List<TemplateMean> of(List<SeedAggregate> aggregates) {
        if (aggregates.stream().map(SeedAggregate::template).distinct().count() < 2) {
            return List.of();
        }
        Map<String, List<SeedAggregate>> groups = new LinkedHashMap<>();
        for (SeedAggregate a : aggregates) {
            groups.computeIfAbsent(groupKey(a.model(), a.shots(), a.demoLabels(), a.method()), k -> new ArrayList<>()).add(a);
        }
        Map<String, TemplateMean> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<SeedAggregate>> e : groups.entrySet()) {
            out.put(e.getKey(), mean(e.getValue()));
        }
        // The critical layer of the mean curves belongs to the flipped setting of a correct/flipped pair.
        for (Map.Entry<String, TemplateMean> e : out.entrySet()) {
            TemplateMean m = e.getValue();
            TemplateMean partner = m.demoLabels() == DemoLabels.FLIPPED && m.shots() > 0
                    ? out.get(groupKey(m.model(), m.shots(), DemoLabels.CORRECT, m.method()))
                    : null;
            if (partner != null && partner.accuracy().size() == m.accuracy().size() && !m.accuracy().isEmpty()) {
                int last = m.accuracy().size() - 1;
                FinalGap gap = new FinalGap(partner.meanAccuracy()[last], m.meanAccuracy()[last], partner.examples(),
                        m.examples());
                e.setValue(new TemplateMean(m.model(), m.shots(), m.demoLabels(), m.method(), m.templates(),
                        m.accuracy(), m.calibratedAccuracy(), m.finalAccuracy(), m.bestLayer(), m.overthinkingRate(),
                        m.criticalLayer(), gap.gate(Metrics.criticalLayer(partner.meanAccuracy(), m.meanAccuracy())),
                        m.examples(), gap.reason()));
            }
        }
        return List.copyOf(out.values());
    }

    private static String groupKey(String model, int shots, DemoLabels labels, ScoringMethod method) {
        return model + '\u0000' + shots + '\u0000' + labels.key() + '\u0000' + method.key();
    }

    private static TemplateMean mean(List<SeedAggregate> group) {
        SeedAggregate first = group.get(0);
        int layers = group.stream().mapToInt(a -> a.accuracy().size()).min().orElse(0);
        List<Spread> accuracy = new ArrayList<>(layers);
        List<Spread> calibrated = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            int layer = l;
            accuracy.add(Spread.of(group.stream().mapToDouble(a -> a.accuracy().get(layer).mean()).toArray()));
            calibrated.add(Spread.of(group.stream().mapToDouble(a -> a.calibratedAccuracy().get(layer).mean()).toArray()));
        }
        double[] meanCurve = accuracy.stream().mapToDouble(Spread::mean).toArray();
        return new TemplateMean(first.model(), first.shots(), first.demoLabels(), first.method(),
                group.stream().map(SeedAggregate::template).toList(), accuracy, calibrated,
                Spread.of(group.stream().mapToDouble(a -> a.finalAccuracy().mean()).toArray()),
                layers == 0 ? 0 : Metrics.bestLayer(meanCurve),
                Spread.of(group.stream().mapToDouble(a -> a.overthinkingRate().mean()).toArray()),
                Spread.of(group.stream().filter(a -> a.criticalLayerOfMeans() != null)
                        .mapToDouble(SeedAggregate::criticalLayerOfMeans).toArray()),
                null, group.stream().mapToInt(SeedAggregate::examples).min().orElse(0), null);
    }
}
