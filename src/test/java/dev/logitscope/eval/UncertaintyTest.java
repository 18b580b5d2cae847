package dev.logitscope.eval;

import static dev.logitscope.prompt.Sentiment.NEGATIVE;
import static dev.logitscope.prompt.Sentiment.POSITIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.logitscope.prompt.DemoLabels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The 95% Wilson intervals, the reliability gate on the critical layer, and the summary.json
 * fields that carry both.
 */
class UncertaintyTest {

    /**
     * The Wilson interval from its definition, written independently of the production formula:
     * the p for which the observed rate is within z standard errors, (p̂ − p)² = z²·p(1 − p)/n,
     * i.e. the roots of (1 + z²/n)p² − (2p̂ + z²/n)p + p̂² = 0.
     */
    private static double[] wilsonByRoots(double k, int n) {
        double z = 1.959963984540054; // Φ⁻¹(0.975)
        double phat = k / n;
        double a = 1 + z * z / n;
        double b = -(2 * phat + z * z / n);
        double c = phat * phat;
        double root = Math.sqrt(b * b - 4 * a * c);
        return new double[] {(-b - root) / (2 * a), (-b + root) / (2 * a)};
    }

    @Test
    void wilsonMatchesItsDefinitionAndKnownValues() {
        for (int n : new int[] {1, 2, 5, 10, 12, 37, 100, 872, 10_000}) {
            for (int k = 0; k <= n; k += Math.max(1, n / 13)) {
                double[] expected = wilsonByRoots(k, n);
                Wilson w = Wilson.of((double) k / n, n);
                assertThat(w.lo()).as("%d/%d lo", k, n).isCloseTo(Math.max(0, expected[0]), within(1e-12));
                assertThat(w.hi()).as("%d/%d hi", k, n).isCloseTo(Math.min(1, expected[1]), within(1e-12));
            }
        }
        // published values (e.g. Newcombe 1998, Table I; any Wilson calculator)
        assertThat(Wilson.of(0.8, 10).lo()).isCloseTo(0.490, within(5e-4));
        assertThat(Wilson.of(0.8, 10).hi()).isCloseTo(0.943, within(5e-4));
        assertThat(Wilson.of(0.0, 10).lo()).isZero();
        assertThat(Wilson.of(0.0, 10).hi()).isCloseTo(0.278, within(5e-4));
        assertThat(Wilson.of(1.0, 10).lo()).isCloseTo(0.722, within(5e-4));
        assertThat(Wilson.of(0.5, 100).lo()).isCloseTo(0.404, within(5e-4));
        assertThat(Wilson.of(0.5, 100).hi()).isCloseTo(0.596, within(5e-4));
        assertThat(Wilson.of(0.8, 10).text()).isEqualTo("[0.490, 0.943]");
        // no examples or no number: undefined, never NaN in a file
        assertThat(Wilson.of(0.5, 0).defined()).isFalse();
        assertThat(Wilson.of(Double.NaN, 10).defined()).isFalse();
    }

    @Test
    void theGapIsReliableOnlyWhenTheIntervalsDoNotOverlap() {
        // 0.9 vs 0.1 over 10: [0.596, 0.982] and [0.018, 0.404] apart
        assertThat(new FinalGap(0.9, 0.1, 10, 10).reliable()).isTrue();
        assertThat(new FinalGap(0.9, 0.1, 10, 10).gate(7)).isEqualTo(7);
        assertThat(new FinalGap(0.9, 0.1, 10, 10).reason()).isNull();
        // 0.8 vs 0.2 over 10: [0.490, 0.943] and [0.057, 0.510] overlap: no critical layer
        FinalGap close = new FinalGap(0.8, 0.2, 10, 10);
        assertThat(close.reliable()).isFalse();
        assertThat(close.gate(7)).isNull();
        assertThat(close.reason()).startsWith("no reliable gap").contains("[0.490, 0.943]", "[0.057, 0.510]", "n = 10");
        // the same rates over 100 examples are far apart
        assertThat(new FinalGap(0.8, 0.2, 100, 100).reliable()).isTrue();
        // flipped at least as good as correct: no gap at all
        assertThat(new FinalGap(0.5, 0.6, 1000, 1000).reason()).startsWith("no gap");
        // the rule, recomputed: correct's lower end above flipped's upper end
        for (int n : new int[] {8, 20, 50, 200}) {
            for (int kc = 0; kc <= n; kc += Math.max(1, n / 10)) {
                for (int kf = 0; kf <= n; kf += Math.max(1, n / 10)) {
                    double[] c = wilsonByRoots(kc, n);
                    double[] f = wilsonByRoots(kf, n);
                    boolean expected = kc > kf && c[0] > f[1];
                    assertThat(new FinalGap((double) kc / n, (double) kf / n, n, n).reliable())
                            .as("%d vs %d of %d", kc, kf, n).isEqualTo(expected);
                }
            }
        }
    }

    /** Correct and flipped demonstrations over {@code copies} × 2 reviews, one seed; the flipped final layer is wrong. */
    private static EvalSummary pair(int copies, boolean flippedRightAtTheEnd) {
        Condition correct = MetricsTest.cond(DemoLabels.CORRECT, 0);
        Condition flipped = MetricsTest.cond(DemoLabels.FLIPPED, 0);
        Map<String, List<ExampleResult>> results = new HashMap<>();
        results.put(correct.key(), MetricsTest.times(copies, List.of(
                MetricsTest.result(correct, "x", POSITIVE, 0.4, 0.9, 0.9),
                MetricsTest.result(correct, "y", NEGATIVE, 0.6, 0.1, 0.1))));
        double last = flippedRightAtTheEnd ? 0.9 : 0.1;
        results.put(flipped.key(), MetricsTest.times(copies, List.of(
                MetricsTest.result(flipped, "x", POSITIVE, 0.4, 0.9, last),
                MetricsTest.result(flipped, "y", NEGATIVE, 0.6, 0.1, 1 - last))));
        return SummaryBuilder.build(List.of(correct, flipped), results, Map.of(), List.of(), 0.1, true);
    }

    @Test
    void aCriticalLayerIsReportedOnlyWithAReliableFinalGap() {
        // n = 2: final accuracies 1 and 0, but [0.342, 1] and [0, 0.658] overlap
        EvalSummary small = pair(1, false);
        ConditionSummary flipped = small.conditions().get(1);
        assertThat(Metrics.criticalLayer(small.conditions().get(0).accuracyPerLayer(), flipped.accuracyPerLayer()))
                .as("the paper's definition alone").isEqualTo(2);
        assertThat(flipped.criticalLayer()).isNull();
        assertThat(flipped.criticalLayerReason()).startsWith("no reliable gap").contains("n = 2");
        assertThat(small.aggregates().get(1).criticalLayerOfMeans()).isNull();
        assertThat(small.aggregates().get(1).criticalLayerReason()).startsWith("no reliable gap");
        // n = 20, the same rates: reported, as the paper defines it (gaps 0, 0, 1 → layer 2)
        EvalSummary large = pair(10, false);
        assertThat(large.conditions().get(1).criticalLayer()).isEqualTo(2);
        assertThat(large.conditions().get(1).criticalLayerReason()).isNull();
        assertThat(large.aggregates().get(1).criticalLayerOfMeans()).isEqualTo(2);
        assertThat(large.aggregates().get(1).examples()).isEqualTo(20);
        // no gap at the end: not a critical layer however many examples
        EvalSummary none = pair(50, true);
        assertThat(none.conditions().get(1).criticalLayer()).isNull();
        assertThat(none.conditions().get(1).criticalLayerReason()).startsWith("no gap");
        // the correct condition has no critical layer and nothing to explain
        assertThat(large.conditions().get(0).criticalLayerReason()).isNull();
    }

    @Test
    void summaryJsonCarriesIntervalsExamplesAndTheReason() {
        EvalSummary small = pair(1, false);
        JsonObject root = EvalJson.summary(small);
        assertThat(root.get("intervals").getAsString()).contains("Wilson", "half credit");
        assertThat(root.get("critical_layer_rule").getAsString()).contains("half the final", "do not overlap");
        JsonObject correct = root.getAsJsonArray("conditions").get(0).getAsJsonObject();
        JsonObject flipped = root.getAsJsonArray("conditions").get(1).getAsJsonObject();
        assertThat(flipped.get("examples").getAsInt()).isEqualTo(2);
        JsonArray layers = flipped.getAsJsonArray("layers");
        for (int l = 0; l < layers.size(); l++) {
            JsonObject layer = layers.get(l).getAsJsonObject();
            double accuracy = layer.get("accuracy").getAsDouble();
            double[] expected = wilsonByRoots(accuracy * 2, 2);
            JsonArray ci = layer.getAsJsonArray("accuracy_ci95");
            assertThat(ci.get(0).getAsDouble()).isCloseTo(Math.max(0, expected[0]), within(1e-12));
            assertThat(ci.get(1).getAsDouble()).isCloseTo(Math.min(1, expected[1]), within(1e-12));
            assertThat(layer.getAsJsonArray("calibrated_accuracy_ci95")).hasSize(2);
        }
        // final 0 over 2: [0, 0.658]
        assertThat(flipped.getAsJsonArray("final_accuracy_ci95").get(1).getAsDouble()).isCloseTo(0.658, within(5e-4));
        assertThat(flipped.get("critical_layer").isJsonNull()).isTrue();
        assertThat(flipped.get("critical_layer_reason").getAsString()).startsWith("no reliable gap");
        assertThat(correct.get("critical_layer_reason").isJsonNull()).isTrue();
        // the existing fields stay
        assertThat(flipped.keySet()).containsAll(EvalJson.CONDITION_FIELDS);
        JsonObject aggregate = root.getAsJsonArray("aggregates").get(1).getAsJsonObject();
        assertThat(aggregate.get("examples").getAsInt()).isEqualTo(2);
        assertThat(aggregate.getAsJsonArray("final_accuracy_ci95")).hasSize(2);
        assertThat(aggregate.getAsJsonArray("layers").get(0).getAsJsonObject().getAsJsonArray("accuracy_ci95")).hasSize(2);
        assertThat(aggregate.get("critical_layer_of_means").isJsonNull()).isTrue();
        assertThat(aggregate.get("critical_layer_reason").getAsString()).startsWith("no reliable gap");

        JsonObject reliable = EvalJson.summary(pair(10, false)).getAsJsonArray("conditions").get(1).getAsJsonObject();
        assertThat(reliable.get("critical_layer").getAsInt()).isEqualTo(2);
        assertThat(reliable.get("critical_layer_reason").isJsonNull()).isTrue();
    }

    @Test
    void aNonFiniteAccuracyHasANullInterval() {
        Condition c = MetricsTest.cond(DemoLabels.CORRECT, 0);
        List<LayerMetrics> layers = new ArrayList<>();
        layers.add(new LayerMetrics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, null));
        ConditionSummary s = new ConditionSummary(c, 3, 0, layers, Double.NaN, 0, Double.NaN, 0, null, null, null, null);
        JsonObject o = EvalJson.condition(s, null);
        assertThat(o.get("final_accuracy_ci95").isJsonNull()).isTrue();
        assertThat(o.getAsJsonArray("layers").get(0).getAsJsonObject().get("accuracy_ci95").isJsonNull()).isTrue();
    }
}
