package dev.logitscope.eval;

import dev.logitscope.analysis.Overthinking;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.Sentiment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns per-example results into the metrics of every condition and their seed aggregates. */
public final class SummaryBuilder {

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
        List<Aggregate> aggregates = Aggregates.overSeeds(summaries);
        return new EvalSummary(summaries, aggregates, Aggregates.overTemplates(aggregates), models, complete);
    }

    /** The metrics of one condition over its examples, read from their trajectories. */
    public static ConditionSummary condition(Condition c, List<ExampleResult> rs, int skipped, double margin) {
        int n = rs.size();
        int layers = rs.get(0).layers();
        int labels = rs.get(0).trajectory().labels();
        Sentiment[] gold = new Sentiment[n];
        for (int i = 0; i < n; i++) {
            gold[i] = rs.get(i).gold();
            if (rs.get(i).layers() != layers) {
                throw new IllegalArgumentException("examples of " + c.setting() + " have different layer counts");
            }
            if (rs.get(i).trajectory().labels() != labels) {
                throw new IllegalArgumentException("examples of " + c.setting() + " have different label counts");
            }
        }
        boolean contextual = rs.get(0).trajectory().isCalibrated();
        List<double[][]> normalized = rs.stream().map(r -> r.trajectory().normalized()).toList();
        List<double[][]> vocab = rs.stream().map(r -> r.trajectory().vocab()).toList();
        List<double[][]> calibrated = contextual ? rs.stream().map(r -> r.trajectory().calibrated()).toList() : null;
        List<LayerMetrics> metrics = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            double[][] rows = new double[n][];
            double[][] calibratedRows = contextual ? new double[n][] : null;
            double[] pGoldNormalized = new double[n];
            double[] pGoldVocab = new double[n];
            int overthinking = 0;
            for (int i = 0; i < n; i++) {
                ExampleResult r = rs.get(i);
                rows[i] = normalized.get(i)[l];
                pGoldNormalized[i] = rows[i][gold[i].index()];
                pGoldVocab[i] = vocab.get(i)[l][gold[i].index()];
                if (contextual) {
                    calibratedRows[i] = calibrated.get(i)[l];
                }
                if (l < layers - 1 && r.prediction(l) == gold[i] && Overthinking.confident(rows[i], gold[i], margin)
                        && r.prediction(layers - 1) != gold[i]) {
                    overthinking++;
                }
            }
            metrics.add(new LayerMetrics(l, Metrics.accuracy(rows, gold), Metrics.calibratedAccuracy(rows, gold),
                    mean(pGoldNormalized), mean(pGoldVocab), (double) overthinking / n,
                    contextual ? Metrics.accuracy(calibratedRows, gold) : null));
        }
        double[] accuracy = metrics.stream().mapToDouble(LayerMetrics::accuracy).toArray();
        int best = Metrics.bestLayer(accuracy);
        int overthinks = 0;
        for (ExampleResult r : rs) {
            if (Boolean.TRUE.equals(Overthinking.of(r.trajectory(), false, margin).overthinks())) {
                overthinks++;
            }
        }
        return new ConditionSummary(c, n, skipped, metrics, accuracy[layers - 1], best, accuracy[best],
                (double) overthinks / n, null, null, null, null);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
