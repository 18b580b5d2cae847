package dev.logitscope.ui.plot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.plot.AccuracyByLayerData;
import dev.logitscope.plot.ScalingData;
import dev.logitscope.plot.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What hovering over the line plots says (the heatmap and grid are tested with the main window). */
class PlotTooltipTest {

    private static List<String> sweep(Plot plot, double width, double height, double y) {
        List<String> out = new ArrayList<>();
        for (int x = 0; x < width; x++) {
            Optional<String> text = plot.describeAt(x, y, width, height);
            text.filter(t -> out.isEmpty() || !out.get(out.size() - 1).equals(t)).ifPresent(out::add);
        }
        return out;
    }

    @Test
    void accuracyByLayerNamesTheModelTheLayerAndEachConditionsAccuracy() {
        double[] correct = new double[37];
        double[] flipped = new double[37];
        for (int i = 0; i <= 36; i++) {
            correct[i] = 0.5 + i / 100.0;
            flipped[i] = 0.5 - i / 100.0;
        }
        AccuracyByLayerPlot plot = new AccuracyByLayerPlot(new AccuracyByLayerData("", List.of(
                AccuracyByLayerData.Panel.correctVsFlipped("gpt2-large", correct, flipped, 20.0)), 0.5));
        List<String> texts = sweep(plot, 600, 400, 250);
        assertThat(texts).hasSize(37);
        assertThat(texts.get(0)).isEqualTo("gpt2-large\nEmbeddings (layer 0)\ncorrect demonstrations: 0.500\n"
                + "flipped demonstrations: 0.500");
        assertThat(texts.get(20)).isEqualTo("gpt2-large\nLayer 20 — critical layer 20\ncorrect demonstrations: 0.700\n"
                + "flipped demonstrations: 0.300");
        assertThat(plot.describeAt(300, 2, 600, 400)).isEmpty(); // the legend
    }

    @Test
    void theTooltipsGiveEachAccuracysIntervalAndItsExamples() {
        double[] correct = {0.5, 0.8};
        double[] flipped = {0.5, 0.2};
        AccuracyByLayerData.Panel panel = new AccuracyByLayerData.Panel("gpt2", List.of(
                Series.perLayer("correct demonstrations", correct, dev.logitscope.plot.ConditionStyle.CORRECT),
                Series.perLayer("flipped demonstrations", flipped, dev.logitscope.plot.ConditionStyle.FLIPPED)),
                null, "no reliable gap", List.of(10, 10));
        List<String> texts = sweep(new AccuracyByLayerPlot(new AccuracyByLayerData("", List.of(panel), 0.5)), 600, 400, 250);
        assertThat(texts).hasSize(2);
        // 8 of 10: [0.490, 0.943]; 2 of 10: [0.057, 0.510]
        assertThat(texts.get(1)).isEqualTo("gpt2\nLayer 1\ncorrect demonstrations: 0.800 [0.490, 0.943] (n = 10)\n"
                + "flipped demonstrations: 0.200 [0.057, 0.510] (n = 10)\nno reliable gap: no critical layer");
        ScalingPlot scaling = new ScalingPlot(new ScalingData("", List.of(new ScalingData.Model("gpt2", 124_439_808L)),
                List.of(new ScalingData.Condition("4 correct demos", new double[] {0.8},
                        dev.logitscope.plot.ConditionStyle.CORRECT, false, new int[] {10})), 0.5));
        assertThat(sweep(scaling, 620, 420, 250)).containsExactly(
                "gpt2 · 124M parameters\n4 correct demos: 0.800 [0.490, 0.943] (n = 10)"); // one model: no "worst"
    }

    @Test
    void theTrajectoryGivesEveryLinesValueAtTheLayerUnderThePointer() {
        java.util.Map<String, double[]> lines = new java.util.LinkedHashMap<>();
        lines.put("this prompt", new double[] {0.25, 0.84, 0.94, 0.69, 0.83, 0.89, 0.61});
        lines.put("flipped demos", new double[] {0.25, 0.8, 0.9, 0.7, 0.3, 0.2, 0.1});
        TrajectoryPlot plot = new TrajectoryPlot(lines, " positive", 4);
        List<String> texts = sweep(plot, 640, 400, 250);
        assertThat(texts).hasSize(7);
        assertThat(texts.get(0)).startsWith("Embeddings");
        assertThat(texts.get(4)).startsWith("Layer 4").contains("this prompt", "0.83", "flipped demos", "0.3");
        assertThat(texts.get(6)).startsWith("Layer 6");
    }

    @Test
    void scalingNamesTheModelItsSizeAndEachConditionsFinalAccuracy() {
        ScalingPlot plot = new ScalingPlot(new ScalingData("", List.of(new ScalingData.Model("gpt2", 124_439_808L),
                new ScalingData.Model("gpt2-xl", 1_557_611_200L)),
                List.of(new ScalingData.Condition("4 correct", new double[] {0.8, 0.6}, 0, Series.Dash.SOLID),
                        new ScalingData.Condition("4 flipped", new double[] {0.4, Double.NaN}, 1, Series.Dash.DASHED)),
                0.5));
        assertThat(sweep(plot, 620, 420, 250)).containsExactly(
                "gpt2 · 124M parameters\n4 correct: 0.800\n4 flipped: 0.400", // one model: no worst to ring
                "gpt2-xl · 1.5B parameters\n4 correct: 0.600 (worst model)");
    }
}
