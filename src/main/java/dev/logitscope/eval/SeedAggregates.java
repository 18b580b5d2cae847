package dev.logitscope.eval;

import dev.logitscope.prompt.DemoLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Groups conditions that differ only in their seed and summarises each group. */
final class SeedAggregates {

    private SeedAggregates() {}

    static List<SeedAggregate> of(List<ConditionSummary> summaries) {
        Map<String, List<ConditionSummary>> groups = new LinkedHashMap<>();
        for (ConditionSummary s : summaries) {
            groups.computeIfAbsent(groupKey(s.condition()), k -> new ArrayList<>()).add(s);
        }
        List<SeedAggregate> out = new ArrayList<>();
        for (List<ConditionSummary> group : groups.values()) {
            out.add(aggregate(group, groups));
        }
        return out;
    }

    private static String groupKey(Condition c) {
        return c.model() + '\u0000' + c.template() + '\u0000' + c.shots() + '\u0000' + c.demoLabels().key() + '\u0000'
                + c.method().key();
    }

    private static SeedAggregate aggregate(List<ConditionSummary> group, Map<String, List<ConditionSummary>> groups) {
        Condition first = group.get(0).condition();
        int layers = group.stream().mapToInt(s -> s.layers().size()).min().orElse(0);
        List<Spread> accuracy = new ArrayList<>(layers);
        List<Spread> calibrated = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            int layer = l;
            accuracy.add(Spread.of(group.stream().mapToDouble(s -> s.layers().get(layer).accuracy()).toArray()));
            calibrated.add(Spread.of(group.stream().mapToDouble(s -> s.layers().get(layer).calibratedAccuracy()).toArray()));
        }
        double[] critical = group.stream().filter(s -> s.criticalLayer() != null)
                .mapToDouble(ConditionSummary::criticalLayer).toArray();
        Integer criticalOfMeans = null;
        String reason = null;
        int examples = examples(group);
        if (first.demoLabels() == DemoLabels.FLIPPED) {
            List<ConditionSummary> partner = groups.get(groupKey(first.withDemoLabels(DemoLabels.CORRECT)));
            if (partner != null) {
                double[] correctMean = meanAccuracy(partner, layers);
                double[] flippedMean = accuracy.stream().mapToDouble(Spread::mean).toArray();
                if (correctMean.length == flippedMean.length && layers > 0) {
                    FinalGap gap = new FinalGap(correctMean[layers - 1], flippedMean[layers - 1], examples(partner),
                            examples);
                    criticalOfMeans = gap.gate(Metrics.criticalLayer(correctMean, flippedMean));
                    reason = gap.reason();
                }
            }
        }
        return new SeedAggregate(first.model(), first.template(), first.shots(), first.demoLabels(), first.method(),
                group.stream().map(s -> s.condition().seed()).toList(), accuracy, calibrated,
                Spread.of(group.stream().mapToDouble(ConditionSummary::finalAccuracy).toArray()),
                Spread.of(group.stream().mapToDouble(ConditionSummary::bestAccuracy).toArray()),
                Spread.of(group.stream().mapToDouble(ConditionSummary::bestLayer).toArray()),
                Spread.of(group.stream().mapToDouble(ConditionSummary::overthinkingRate).toArray()),
                Spread.of(critical), criticalOfMeans, examples, reason);
    }

    /** The examples of one run of the group: the fewest over its seeds. */
    private static int examples(List<ConditionSummary> group) {
        return group.stream().mapToInt(ConditionSummary::examples).min().orElse(0);
    }

    private static double[] meanAccuracy(List<ConditionSummary> group, int layers) {
        double[] mean = new double[layers];
        for (ConditionSummary s : group) {
            if (s.layers().size() < layers) {
                return new double[0];
            }
            for (int l = 0; l < layers; l++) {
                mean[l] += s.layers().get(l).accuracy() / group.size();
            }
        }
        return mean;
    }
}
