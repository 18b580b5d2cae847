package dev.logitscope.eval;

import static dev.logitscope.prompt.Sentiment.NEGATIVE;
import static dev.logitscope.prompt.Sentiment.POSITIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.Sentiment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metrics on hand-built per-layer results whose answers are worked out by hand. */
class MetricsTest {
    private static final Sentiment[] GOLD4 = {POSITIVE, POSITIVE, NEGATIVE, NEGATIVE};

    @Test
    void accuracyArgmaxWithTiesGoingPositive() {
        assertThat(Metrics.accuracy(new double[] {0.9, 0.5, 0.2, 0.5}, GOLD4)).isEqualTo(0.75);
        assertThat(Metrics.accuracy(new double[] {0.1, 0.1, 0.9, 0.9}, GOLD4)).isEqualTo(0.0);
    }

    @Test
    void medianThresholdRescuesABiasedLayer() {
        // Every input leans positive (raw accuracy 0.5), but the ranking is perfect:
        // median = (0.7 + 0.8) / 2 = 0.75, so 0.9 and 0.8 go positive, 0.7 and 0.6 negative.
        double[] p = {0.9, 0.8, 0.7, 0.6};
        assertThat(Metrics.accuracy(p, GOLD4)).isEqualTo(0.5);
        assertThat(Metrics.medianThresholdAccuracy(p, GOLD4)).isEqualTo(1.0);
        // Odd count: the middle input is at its label's median and gets half credit.
        assertThat(Metrics.medianThresholdAccuracy(new double[] {0.3, 0.2, 0.1},
                new Sentiment[] {POSITIVE, POSITIVE, NEGATIVE})).isCloseTo(2.5 / 3, within(1e-15));
    }

    @Test
    void medianThresholdWithTies() {
        // All equal: every input is at the median and gets half credit, whatever its label.
        assertThat(Metrics.medianThresholdAccuracy(new double[] {0.4, 0.4, 0.4, 0.4}, GOLD4)).isEqualTo(0.5);
        assertThat(Metrics.medianThresholdAccuracy(new double[] {0.4, 0.4, 0.4},
                new Sentiment[] {NEGATIVE, NEGATIVE, POSITIVE})).isEqualTo(0.5);
        // Ties at the median value: median of {0.2, 0.5, 0.5, 0.9} = 0.5; the two 0.5s get ½ each.
        assertThat(Metrics.medianThresholdAccuracy(new double[] {0.9, 0.5, 0.5, 0.2}, GOLD4)).isEqualTo(0.75);
        assertThat(Metrics.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Metrics.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    /**
     * Halawi et al.'s {@code get_thresholds} + {@code get_cal_correct_over_incorrect}, written out
     * here on its own: per label, the torch.quantile (linear interpolation) at (n_labels − 1) /
     * n_labels of that label's normalised probability over the inputs; the gold label's probability
     * scores 1 above it, 1/n_labels at it; the mean over the inputs.
     */
    static double halawiCalibratedAccuracy(double[] normalizedPositive, Sentiment[] gold) {
        int n = gold.length;
        double[][] norm = new double[n][];
        for (int i = 0; i < n; i++) {
            norm[i] = new double[] {normalizedPositive[i], 1 - normalizedPositive[i]};
        }
        int labels = 2;
        double[] quantile = new double[labels];
        for (int j = 0; j < labels; j++) {
            double[] column = new double[n];
            for (int i = 0; i < n; i++) {
                column[i] = norm[i][j];
            }
            java.util.Arrays.sort(column);
            double at = (labels - 1) / (double) labels * (n - 1);
            int below = (int) Math.floor(at);
            int above = (int) Math.ceil(at);
            quantile[j] = column[below] + (at - below) * (column[above] - column[below]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int g = gold[i] == POSITIVE ? 0 : 1;
            sum += (norm[i][g] > quantile[g] ? 1 : 0) + (1.0 / labels) * (norm[i][g] == quantile[g] ? 1 : 0);
        }
        return sum / n;
    }

    @Test
    void calibratedAccuracyEqualsHalawiEtAlOnRandomLayersOddAndEven() {
        java.util.Random random = new java.util.Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(12);
            double[] p = new double[n];
            Sentiment[] gold = new Sentiment[n];
            for (int i = 0; i < n; i++) {
                // coarse values make ties at the median common
                p[i] = trial % 2 == 0 ? random.nextInt(5) / 4.0 : random.nextDouble();
                gold[i] = random.nextBoolean() ? POSITIVE : NEGATIVE;
            }
            assertThat(Metrics.medianThresholdAccuracy(p, gold)).as("trial %d", trial)
                    .isCloseTo(halawiCalibratedAccuracy(p, gold), within(1e-12));
        }
        // An odd count, no ties: the middle input gets half credit, not a full verdict (±0.5/n).
        double[] p = {0.9, 0.6, 0.3, 0.2, 0.1};
        Sentiment[] gold = {POSITIVE, POSITIVE, POSITIVE, NEGATIVE, NEGATIVE};
        assertThat(Metrics.medianThresholdAccuracy(p, gold)).isEqualTo(4.5 / 5);
    }

    @Test
    void meanProbabilityOfGold() {
        assertThat(Metrics.meanProbabilityOfGold(new double[] {0.8, 0.6, 0.1, 0.3}, new double[] {0.2, 0.4, 0.9, 0.7},
                GOLD4)).isCloseTo((0.8 + 0.6 + 0.9 + 0.7) / 4, within(1e-15));
    }

    @Test
    void bestLayerIsTheEarliestMaximum() {
        assertThat(Metrics.bestLayer(new double[] {0.5, 0.7, 0.9, 0.9, 0.8})).isEqualTo(2);
        assertThat(Metrics.bestLayer(new double[] {0.6, 0.6})).isZero();
    }

    @Test
    void criticalLayerIsWhereTheGapFirstReachesHalfTheFinalGap() {
        double[] correct = {0.5, 0.6, 0.7, 0.8, 0.8};
        double[] flipped = {0.5, 0.6, 0.6, 0.4, 0.2};
        // final gap 0.6, half 0.3: gaps 0, 0, 0.1, 0.4, 0.6 → layer 3
        assertThat(Metrics.criticalLayer(correct, flipped)).isEqualTo(3);
        // exactly half counts (0.7 − 0.4 = 0.3 with float rounding)
        assertThat(Metrics.criticalLayer(new double[] {0.5, 0.7, 0.9}, new double[] {0.5, 0.4, 0.3})).isEqualTo(1);
        // the gap can be reached early, shrink, and come back: the first layer counts
        assertThat(Metrics.criticalLayer(new double[] {0.9, 0.5, 0.8}, new double[] {0.5, 0.5, 0.4})).isZero();
        // no gap or a negative one: undefined
        assertThat(Metrics.criticalLayer(new double[] {0.5, 0.7}, new double[] {0.5, 0.7})).isNull();
        assertThat(Metrics.criticalLayer(new double[] {0.5, 0.6}, new double[] {0.5, 0.8})).isNull();
        // only the final layer has a gap
        assertThat(Metrics.criticalLayer(new double[] {0.5, 0.5, 0.6}, new double[] {0.5, 0.5, 0.5})).isEqualTo(2);
    }

    @Test
    void spreadOverSeeds() {
        Spread s = Spread.of(new double[] {0.6, 0.8, 0.7});
        assertThat(s.mean()).isCloseTo(0.7, within(1e-15));
        assertThat(s.std()).isCloseTo(0.1, within(1e-15)); // sample std: sqrt((0.01 + 0.01 + 0) / 2)
        assertThat(s.min()).isEqualTo(0.6);
        assertThat(s.max()).isEqualTo(0.8);
        assertThat(s.n()).isEqualTo(3);
        assertThat(Spread.of(new double[] {0.5}).std()).isZero();
        assertThat(Spread.of(new double[0])).isNull();
    }

    static Condition cond(DemoLabels labels, long seed) {
        return new Condition("m", "t", 2, labels, seed, ScoringMethod.NEXT_TOKEN);
    }

    /** {@code pair} repeated {@code n} times, each copy with its own ids. */
    static List<ExampleResult> times(int n, List<ExampleResult> pair) {
        List<ExampleResult> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (ExampleResult r : pair) {
                out.add(new ExampleResult(r.condition(), r.id() + i, r.gold(), r.pPositive(), r.pNegative(), r.normalized(),
                        r.contextual()));
            }
        }
        return out;
    }

    static ExampleResult result(Condition c, String id, Sentiment gold, double... normalized) {
        double[] neg = new double[normalized.length];
        for (int i = 0; i < neg.length; i++) {
            neg[i] = 1 - normalized[i];
        }
        return new ExampleResult(c, id, gold, normalized, neg, normalized, null);
    }

    @Test
    void conditionSummaryFromHandBuiltResults() {
        Condition c = cond(DemoLabels.FLIPPED, 0);
        // three layers; margin 0.1
        List<ExampleResult> rs = List.of(
                result(c, "a", POSITIVE, 0.55, 0.8, 0.3),  // layer 1 right with margin, final wrong: overthinks
                result(c, "b", NEGATIVE, 0.45, 0.2, 0.4),  // right everywhere
                result(c, "c", POSITIVE, 0.4, 0.65, 0.7),  // right from layer 1
                result(c, "d", NEGATIVE, 0.7, 0.55, 0.6)); // wrong everywhere
        ConditionSummary s = SummaryBuilder.condition(c, rs, 1, 0.1);
        assertThat(s.examples()).isEqualTo(4);
        assertThat(s.skipped()).isEqualTo(1);
        assertThat(s.accuracyPerLayer()).containsExactly(0.5, 0.75, 0.5);
        assertThat(s.finalAccuracy()).isEqualTo(0.5);
        assertThat(s.bestLayer()).isEqualTo(1);
        assertThat(s.bestAccuracy()).isEqualTo(0.75);
        // layer 0: a (0.55 < 0.6, not confident); layer 1: a at 0.8; final layer never
        assertThat(s.layers()).extracting(LayerMetrics::overthinkingRate).containsExactly(0.0, 0.25, 0.0);
        assertThat(s.overthinkingRate()).isEqualTo(0.25);
        // layer 2: median of {0.3, 0.4, 0.7, 0.6} = 0.5 → a wrong, b right, c right, d wrong
        assertThat(s.layers().get(2).calibratedAccuracy()).isEqualTo(0.5);
        // layer 0: median of {0.55, 0.45, 0.4, 0.7} = 0.5 → a right, b right, c wrong, d wrong
        assertThat(s.layers().get(0).calibratedAccuracy()).isEqualTo(0.5);
        assertThat(s.layers().get(1).meanPGold()).isCloseTo((0.8 + 0.8 + 0.65 + 0.45) / 4, within(1e-12));
        assertThat(s.layers().get(1).contextualAccuracy()).isNull();
    }

    @Test
    void criticalLayerOnTheFlippedConditionAndSeedAggregates() {
        Map<String, List<ExampleResult>> results = new HashMap<>();
        List<Condition> plan = new java.util.ArrayList<>();
        for (long seed = 0; seed < 2; seed++) {
            Condition correct = cond(DemoLabels.CORRECT, seed);
            Condition flipped = cond(DemoLabels.FLIPPED, seed);
            plan.add(correct);
            plan.add(flipped);
            // correct: right at layers 1 and 2; flipped: right at layer 1 only (seed 0) or nowhere after 0 (seed 1).
            // Each pair 20 times (n = 40), so the final gap (1 vs 0) is far beyond its noise and the layer is reported.
            results.put(correct.key(), times(20, List.of(result(correct, "x", POSITIVE, 0.4, 0.9, 0.9),
                    result(correct, "y", NEGATIVE, 0.6, 0.1, 0.1))));
            results.put(flipped.key(), times(20, seed == 0
                    ? List.of(result(flipped, "x", POSITIVE, 0.4, 0.9, 0.1), result(flipped, "y", NEGATIVE, 0.6, 0.1, 0.9))
                    : List.of(result(flipped, "x", POSITIVE, 0.4, 0.1, 0.1), result(flipped, "y", NEGATIVE, 0.6, 0.9, 0.9))));
        }
        EvalSummary summary = SummaryBuilder.build(plan, results, Map.of(), List.of(), 0.1, true);
        assertThat(summary.conditions()).hasSize(4);
        // seed 0: gaps 0, 0, 1 → layer 2; seed 1: gaps 0, 1, 1 → layer 1
        assertThat(summary.conditions()).extracting(ConditionSummary::criticalLayer).containsExactly(null, 2, null, 1);
        Aggregate flipped = summary.aggregates().get(1);
        assertThat(flipped.demoLabels()).isEqualTo(DemoLabels.FLIPPED);
        assertThat(flipped.seeds()).containsExactly(0L, 1L);
        assertThat(flipped.meanAccuracy()).containsExactly(0.0, 0.5, 0.0);
        assertThat(flipped.accuracy().get(1).std()).isCloseTo(Math.sqrt(0.5), within(1e-12));
        assertThat(flipped.criticalLayer().mean()).isEqualTo(1.5);
        assertThat(flipped.criticalLayer().min()).isEqualTo(1);
        assertThat(flipped.criticalLayer().max()).isEqualTo(2);
        // mean curves: correct 0, 1, 1; flipped 0, 0.5, 0 → gaps 0, 0.5, 1 → layer 1
        assertThat(flipped.criticalLayerOfMeans()).isEqualTo(1);
        Aggregate correct = summary.aggregates().get(0);
        assertThat(correct.finalAccuracy().mean()).isEqualTo(1.0);
        assertThat(correct.criticalLayer()).isNull();
        assertThat(correct.criticalLayerOfMeans()).isNull();
    }

    @Test
    void examplesCsvRoundTripsExactlyAndDropsACutOffTail() {
        Condition c = new Condition("gpt2, \"odd\" name", "my, \"template\"", 4, DemoLabels.RANDOM, 3, ScoringMethod.NEXT_TOKEN);
        ExampleResult a = new ExampleResult(c, "pos/1_9.txt", POSITIVE, new double[] {1e-300, 0.1 + 0.2},
                new double[] {0.3, Math.PI / 10}, new double[] {0.123456789012345678, 0.5}, new double[] {0.7, 0.2});
        ExampleResult b = a.under(c.withDemoLabels(DemoLabels.FLIPPED));
        String text = ExamplesCsv.HEADER + "\n" + ExamplesCsv.rows(a) + ExamplesCsv.rows(b);
        ExamplesCsv.Contents back = ExamplesCsv.parse("examples.csv", text);
        assertThat(back.droppedRows()).isZero();
        assertThat(back.results()).hasSize(2);
        ExampleResult a2 = back.results().get(0);
        assertThat(a2.condition()).isEqualTo(c);
        assertThat(a2.id()).isEqualTo("pos/1_9.txt");
        assertThat(a2.pPositive()).containsExactly(a.pPositive());
        assertThat(a2.pNegative()).containsExactly(a.pNegative());
        assertThat(a2.normalized()).containsExactly(a.normalized());
        assertThat(a2.contextual()).containsExactly(a.contextual());
        // the process killed mid-line: the torn line is dropped, the short example parses with fewer layers
        String torn = text + ExamplesCsv.rows(a.under(cond(DemoLabels.CORRECT, 9))).substring(0, 60);
        ExamplesCsv.Contents cut = ExamplesCsv.parse("examples.csv", torn);
        assertThat(cut.results()).hasSize(2);
        assertThat(cut.droppedRows()).isEqualTo(1);
    }
}
