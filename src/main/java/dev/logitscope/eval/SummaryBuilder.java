package dev.logitscope.eval;

import dev.logitscope.analysis.LabelOdds;
import dev.logitscope.analysis.Overthinking;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.Sentiment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns per-example results into the metrics of every condition and their seed aggregates. */
public final class SummaryBuilder {
    /** Tolerance at the margin's threshold, as in {@link Overthinking}. */
    private static final double TOLERANCE = 1e-12;

    private SummaryBuilder() {}

    /**
     * @param conditions the planned conditions, in plan order; those without results are left out
     * @param results    results per {@link Condition#key()}
     * @param skipped    examples skipped per condition key
     * @param margin     δ of the overthinking analysis
     */
    public static EvalSummary build(List<Condition> conditions, Map<String, List<ExampleResult>> results,
            Map<String, Integer> skipped, List<ModelStats> models, double margin, boolean complete) {
        Map<String, ConditionSummary> byKey = new LinkedHashMap<>();
        for (Condition c : conditions) {
            List<ExampleResult> rs = results.getOrDefault(c.key(), List.of());
            if (!rs.isEmpty()) {
                byKey.put(c.key(), condition(c, rs, skipped.getOrDefault(c.key(), 0), margin));
            }
        }
        // The critical layer belongs to the flipped condition of a correct/flipped pair.
        for (Map.Entry<String, ConditionSummary> e : byKey.entrySet()) {
            Condition c = e.getValue().condition();
            if (c.demoLabels() == DemoLabels.FLIPPED) {
                ConditionSummary partner = byKey.get(c.withDemoLabels(DemoLabels.CORRECT).key());
                if (partner != null) {
                    e.setValue(e.getValue().withCriticalLayers(partner));
                }
            }
        }
        List<ConditionSummary> summaries = new ArrayList<>(byKey.values());
        List<SeedAggregate> aggregates = SeedAggregates.of(summaries);
        return new EvalSummary(summaries, aggregates, TemplateMeans.of(aggregates), models, complete);
    }

    /** The metrics of one condition over its examples. */
    public static ConditionSummary condition(Condition c, List<ExampleResult> rs, int skipped, double margin) {
        int n = rs.size();
        int layers = rs.get(0).layers();
        Sentiment[] gold = new Sentiment[n];
        for (int i = 0; i < n; i++) {
            gold[i] = rs.get(i).gold();
            if (rs.get(i).layers() != layers) {
                throw new IllegalArgumentException("examples of " + c.setting() + " have different layer counts");
            }
        }
        boolean contextual = rs.get(0).contextual() != null;
        List<LayerMetrics> metrics = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            double[] normalized = new double[n];
            double[] pPos = new double[n];
            double[] pNeg = new double[n];
            double[] pGoldNormalized = new double[n];
            double[] calibrated = contextual ? new double[n] : null;
            int overthinking = 0;
            for (int i = 0; i < n; i++) {
                ExampleResult r = rs.get(i);
                normalized[i] = r.normalized()[l];
                pPos[i] = r.pPositive()[l];
                pNeg[i] = r.pNegative()[l];
                pGoldNormalized[i] = LabelOdds.probabilityOf(gold[i], normalized[i]);
                if (contextual) {
                    calibrated[i] = r.contextual()[l];
                }
                if (l < layers - 1 && confidentlyRight(r, l, margin) && r.prediction(layers - 1) != gold[i]) {
                    overthinking++;
                }
            }
            metrics.add(new LayerMetrics(l, Metrics.accuracy(normalized, gold),
                    Metrics.medianThresholdAccuracy(normalized, gold), mean(pGoldNormalized),
                    Metrics.meanProbabilityOfGold(pPos, pNeg, gold), (double) overthinking / n,
                    contextual ? Metrics.accuracy(calibrated, gold) : null));
        }
        double[] accuracy = metrics.stream().mapToDouble(LayerMetrics::accuracy).toArray();
        int best = Metrics.bestLayer(accuracy);
        int overthinks = 0;
        for (ExampleResult r : rs) {
            if (Boolean.TRUE.equals(Overthinking.analyse(r.normalized(), r.gold(), margin).overthinks())) {
                overthinks++;
            }
        }
        return new ConditionSummary(c, n, skipped, metrics, accuracy[layers - 1], best, accuracy[best],
                (double) overthinks / n, null, null, null, null);
    }

    private static boolean confidentlyRight(ExampleResult r, int layer, double margin) {
        return r.prediction(layer) == r.gold()
                && LabelOdds.probabilityOf(r.gold(), r.normalized()[layer]) >= 0.5 + margin - TOLERANCE;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
