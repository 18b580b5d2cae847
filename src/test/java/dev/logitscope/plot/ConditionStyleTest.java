package dev.logitscope.plot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.eval.Condition;
import dev.logitscope.eval.EvalSummary;
import dev.logitscope.eval.ExampleResult;
import dev.logitscope.eval.ModelStats;
import dev.logitscope.eval.SummaryBuilder;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.Sentiment;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every chart draws a condition in one colour, dash and marker, and no two conditions alike: the
 * plot models of an evaluation (accuracy by layer, accuracy vs. size) and of the app's and the
 * CLI's trajectory overlay, compared without pixels.
 */
class ConditionStyleTest {

    /** What a reader tells a line by. */
    private record Look(Color color, Series.Dash dash, Marker marker) {}

    private static Condition condition(String model, int shots, DemoLabels labels) {
        return new Condition(model, "t", shots, labels, 0, ScoringMethod.NEXT_TOKEN);
    }

    /** Two models, 0-shot, 2 correct / flipped / random and 4 correct / flipped; made-up accuracies. */
    static EvalSummary grid() {
        List<Condition> plan = new ArrayList<>();
        Map<String, List<ExampleResult>> results = new HashMap<>();
        int k = 0;
        for (String model : List.of("small", "large")) {
            plan.add(condition(model, 0, DemoLabels.CORRECT));
            for (int shots : new int[] {2, 4}) {
                for (DemoLabels labels : DemoLabels.values()) {
                    if (shots == 4 && labels == DemoLabels.RANDOM) {
                        continue;
                    }
                    plan.add(condition(model, shots, labels));
                }
            }
            for (Condition c : plan.subList(plan.size() - 6, plan.size())) {
                List<ExampleResult> rs = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    Sentiment gold = i % 2 == 0 ? Sentiment.POSITIVE : Sentiment.NEGATIVE;
                    // some right, some wrong; the large model worse (3 of 6 against 4 of 6): a single worst model
                    double p = (i + k) % (model.equals("large") ? 2 : 3) == 0 ? 0.3 : 0.7;
                    double[] normalized = {0.5, p, gold == Sentiment.POSITIVE ? p : 1 - p};
                    double[] neg = {0.5, 1 - p, 1 - normalized[2]};
                    rs.add(new ExampleResult(c, "r" + i, gold, normalized, neg, normalized, null));
                }
                results.put(c.key(), rs);
                k++;
            }
        }
        return SummaryBuilder.build(plan, results, Map.of(), List.of(new ModelStats("small", "gpt2", "", 82_000_000L, 2, 0, 0),
                new ModelStats("large", "gpt2", "", 774_000_000L, 2, 0, 0)), 0.1, true);
    }

    /** The kind of condition a line is, from its name: the demonstration labels, or 0-shot. */
    private static String kind(String name) {
        for (String k : List.of("0-shot", "correct", "flipped", "random", "zero-shot", "this prompt")) {
            if (name.contains(k)) {
                return k.equals("zero-shot") ? "0-shot" : k;
            }
        }
        throw new AssertionError("no condition in " + name);
    }

    private static void record(Map<String, Look> byKind, String name, Look look) {
        Look before = byKind.putIfAbsent(kind(name), look);
        assertThat(before == null ? look : before).as("%s looks the same in every chart", name).isEqualTo(look);
    }

    @Test
    void eachConditionHasOneLookInEveryChartAndNoTwoShareOne() {
        for (PlotTheme theme : List.of(PlotTheme.light(), PlotTheme.dark())) {
            EvalSummary summary = grid();
            Map<String, Look> byKind = new LinkedHashMap<>();
            AccuracyByLayerData layers = EvalPlots.accuracyByLayer(summary, "toy");
            for (AccuracyByLayerData.Panel panel : layers.panels()) {
                for (Series s : panel.series()) {
                    record(byKind, s.name(), new Look(theme.seriesColor(s.colorIndex()), s.dash(), s.marker()));
                }
            }
            ScalingData scaling = EvalPlots.scaling(summary, "toy");
            for (ScalingData.Condition c : scaling.conditions()) {
                record(byKind, c.name(), new Look(theme.seriesColor(c.colorIndex()), c.dash(), c.marker()));
            }
            // the trajectory overlay of the app ("correct demos", …) and of the CLI ("4 correct", …)
            Map<String, double[]> app = new LinkedHashMap<>();
            for (String name : List.of("this prompt", "correct demos", "flipped demos", "zero-shot")) {
                app.put(name, new double[] {0.5, 0.6});
            }
            Map<String, double[]> cli = new LinkedHashMap<>();
            for (String name : List.of("zero-shot", "4 correct", "4 flipped")) {
                cli.put(name, new double[] {0.5, 0.6});
            }
            for (Map<String, double[]> runs : List.of(app, cli)) {
                for (Series s : AnalysisPlots.conditionLines(runs)) {
                    record(byKind, s.name(), new Look(theme.seriesColor(s.colorIndex()), s.dash(), s.marker()));
                }
            }
            assertThat(byKind.keySet()).containsExactlyInAnyOrder("0-shot", "correct", "flipped", "random", "this prompt");
            List<Look> looks = new ArrayList<>(byKind.values());
            assertThat(looks.stream().map(Look::color).distinct()).as("colours, %s theme", theme.name())
                    .hasSize(looks.size());
            assertThat(looks.stream().map(Look::dash).distinct()).as("dashes").hasSize(looks.size());
            assertThat(looks.stream().map(Look::marker).distinct()).as("markers").hasSize(looks.size());
            // and the mapping itself: every style unique in colour, dash and marker
            assertThat(java.util.Arrays.stream(ConditionStyle.values()).map(s -> s.color(theme)).distinct())
                    .hasSize(ConditionStyle.values().length);
        }
    }

    @Test
    void aSecondShotCountOfTheSameKindKeepsItsLookWithHollowMarkers() {
        ScalingData scaling = EvalPlots.scaling(grid(), "toy");
        Map<String, ScalingData.Condition> byName = new LinkedHashMap<>();
        scaling.conditions().forEach(c -> byName.put(c.name(), c));
        assertThat(byName.get("2 correct demos").hollow()).isFalse();
        assertThat(byName.get("4 correct demos").hollow()).isTrue();
        assertThat(byName.get("4 correct demos").colorIndex()).isEqualTo(byName.get("2 correct demos").colorIndex());
    }

    @Test
    void theWorstModelIsRingedOnlyAmongSeveralModelsAndChanceIsInTheLegend() {
        ScalingData two = EvalPlots.scaling(grid(), "toy");
        assertThat(new ScalingChart(two, PlotTheme.light()).legendNames()).contains("worst model", "chance");
        ScalingData one = new ScalingData("", List.of(new ScalingData.Model("gpt2", 124_000_000L)),
                List.of(new ScalingData.Condition("4 correct demos", new double[] {0.7}, ConditionStyle.CORRECT, false,
                        new int[] {10})), 0.5);
        assertThat(one.conditions().get(0).worst()).isEqualTo(-1);
        assertThat(new ScalingChart(one, PlotTheme.light()).legendNames()).containsExactly("4 correct demos", "chance");
        AccuracyByLayerChart layers = new AccuracyByLayerChart(EvalPlots.accuracyByLayer(grid(), "toy"), PlotTheme.light());
        assertThat(layers.legendNames()).contains("chance");
    }

    @Test
    void coincidingPointsOfTwoConditionsStayVisible() {
        // correct and flipped at exactly the same accuracies: both colours must show at the points
        PlotTheme theme = PlotTheme.light();
        ScalingData same = new ScalingData("", List.of(new ScalingData.Model("a", 100_000_000L),
                new ScalingData.Model("b", 1_000_000_000L)),
                List.of(new ScalingData.Condition("4 correct demos", new double[] {0.7, 0.8}, ConditionStyle.CORRECT, false,
                                null),
                        new ScalingData.Condition("4 flipped demos", new double[] {0.7, 0.8}, ConditionStyle.FLIPPED, false,
                                null)), 0.5);
        ScalingChart chart = new ScalingChart(same, theme);
        BufferedImage image = Images.draw(chart, 620, 420);
        int correct = Images.count(image, ConditionStyle.CORRECT.color(theme), 12);
        int flipped = Images.count(image, ConditionStyle.FLIPPED.color(theme), 12);
        assertThat(correct).isPositive();
        assertThat(flipped).isPositive();
        // more than the legend's sample alone: the markers of the covered series show beside the others
        int legendOnly = Images.count(Images.draw(new ScalingChart(new ScalingData("", same.models(),
                List.of(new ScalingData.Condition("4 correct demos", new double[] {Double.NaN, Double.NaN},
                        ConditionStyle.CORRECT, false, null)), 0.5), theme), 620, 420), ConditionStyle.CORRECT.color(theme), 12);
        assertThat(correct).isGreaterThan(legendOnly + 20);
    }
}
