package dev.logitscope.eval;

import dev.logitscope.prompt.DemoLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Summarises conditions over their seeds, then seed aggregates over their templates: one grouping
 * and one spread rule for both, and the critical layer of the mean curves of every flipped
 * setting that has a correct partner.
 */
final class Aggregates {

    private Aggregates() {}

    /** Groups conditions that differ only in their seed and summarises each group. */
    static List<Aggregate> overSeeds(List<ConditionSummary> summaries) {
        Map<String, List<ConditionSummary>> groups = groups(summaries,
                s -> key(s.condition().model(), s.condition().template(), s.condition().shots(),
                        s.condition().demoLabels(), s.condition().method().key(), s.condition().lens()));
        List<Aggregate> out = new ArrayList<>();
        for (List<ConditionSummary> group : groups.values()) {
            Condition first = group.get(0).condition();
            int layers = group.stream().mapToInt(s -> s.layers().size()).min().orElse(0);
            out.add(new Aggregate(first.model(), first.template(), first.shots(), first.demoLabels(), first.method(),
                    group.stream().map(s -> s.condition().seed()).toList(), List.of(first.template()),
                    perLayer(group, layers, (s, l) -> s.layers().get(l).accuracy()),
                    perLayer(group, layers, (s, l) -> s.layers().get(l).calibratedAccuracy()),
                    spread(group, ConditionSummary::finalAccuracy), spread(group, ConditionSummary::bestAccuracy),
                    spread(group, ConditionSummary::bestLayer), spread(group, ConditionSummary::overthinkingRate),
                    Spread.of(group.stream().filter(s -> s.criticalLayer() != null)
                            .mapToDouble(ConditionSummary::criticalLayer).toArray()),
                    null, group.stream().mapToInt(ConditionSummary::examples).min().orElse(0), null, first.lens()));
        }
        return withCriticalLayersOfMeans(out);
    }

    /** The means over templates of seed aggregates; empty when they come from one template only. */
    static List<Aggregate> overTemplates(List<Aggregate> aggregates) {
        if (aggregates.stream().map(Aggregate::template).distinct().count() < 2) {
            return List.of();
        }
        Map<String, List<Aggregate>> groups = groups(aggregates,
                a -> key(a.model(), null, a.shots(), a.demoLabels(), a.method().key(), a.lens()));
        List<Aggregate> out = new ArrayList<>();
        for (List<Aggregate> group : groups.values()) {
            Aggregate first = group.get(0);
            int layers = group.stream().mapToInt(a -> a.accuracy().size()).min().orElse(0);
            out.add(new Aggregate(first.model(), null, first.shots(), first.demoLabels(), first.method(),
                    group.stream().flatMap(a -> a.seeds().stream()).distinct().toList(),
                    group.stream().map(Aggregate::template).toList(),
                    perLayer(group, layers, (a, l) -> a.accuracy().get(l).mean()),
                    perLayer(group, layers, (a, l) -> a.calibratedAccuracy().get(l).mean()),
                    spread(group, a -> a.finalAccuracy().mean()), null, null,
                    spread(group, a -> a.overthinkingRate().mean()),
                    Spread.of(group.stream().filter(a -> a.criticalLayerOfMeans() != null)
                            .mapToDouble(Aggregate::criticalLayerOfMeans).toArray()),
                    null, group.stream().mapToInt(Aggregate::examples).min().orElse(0), null, first.lens()));
        }
        return withCriticalLayersOfMeans(out);
    }

    /** A value per layer read from each member. */
    private interface LayerValue<T> {
        double of(T member, int layer);
    }

    private static <T> List<Spread> perLayer(List<T> group, int layers, LayerValue<T> value) {
        List<Spread> out = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            int layer = l;
            out.add(Spread.of(group.stream().mapToDouble(m -> value.of(m, layer)).toArray()));
        }
        return out;
    }

    private static <T> Spread spread(List<T> group, ToDoubleFunction<T> value) {
        return Spread.of(group.stream().mapToDouble(value).toArray());
    }

    private static <T> Map<String, List<T>> groups(List<T> items, Function<T, String> key) {
        Map<String, List<T>> groups = new LinkedHashMap<>();
        for (T item : items) {
            groups.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(item);
        }
        return groups;
    }

    private static String key(String model, String template, int shots, DemoLabels labels, String method, String lens) {
        return model + '\u0000' + template + '\u0000' + shots + '\u0000' + labels.key() + '\u0000' + method + '\u0000' + lens;
    }

    /**
     * The critical layer of the mean curves belongs to the flipped setting of a correct/flipped
     * pair, reported when the final accuracies' intervals do not overlap.
     */
    private static List<Aggregate> withCriticalLayersOfMeans(List<Aggregate> aggregates) {
        Map<String, Aggregate> byKey = new LinkedHashMap<>();
        for (Aggregate a : aggregates) {
            byKey.put(key(a.model(), a.template(), a.shots(), a.demoLabels(), a.method().key(), a.lens()), a);
        }
        List<Aggregate> out = new ArrayList<>(aggregates.size());
        for (Aggregate a : aggregates) {
            Aggregate partner = a.demoLabels() == DemoLabels.FLIPPED && a.shots() > 0
                    ? byKey.get(key(a.model(), a.template(), a.shots(), DemoLabels.CORRECT, a.method().key(), a.lens()))
                    : null;
            if (partner != null && partner.accuracy().size() == a.accuracy().size() && !a.accuracy().isEmpty()) {
                int last = a.accuracy().size() - 1;
                FinalGap gap = new FinalGap(partner.meanAccuracy()[last], a.meanAccuracy()[last], partner.examples(),
                        a.examples());
                a = a.withCriticalLayerOfMeans(gap.gate(Metrics.criticalLayer(partner.meanAccuracy(), a.meanAccuracy())),
                        gap.reason());
            }
            out.add(a);
        }
        return out;
    }
}
