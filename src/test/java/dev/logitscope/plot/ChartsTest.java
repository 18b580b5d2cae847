package dev.logitscope.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChartsTest {

    static AccuracyByLayerChart accuracy(int models) {
        List<AccuracyByLayerData.Panel> panels = new java.util.ArrayList<>();
        int[] layers = {6, 12, 24, 36, 48};
        for (int m = 0; m < models; m++) {
            int l = layers[m % layers.length];
            double[] correct = new double[l + 1];
            double[] flipped = new double[l + 1];
            for (int i = 0; i <= l; i++) {
                correct[i] = 0.5 + 0.4 * i / l;
                flipped[i] = 0.5 + 0.2 * Math.sin(Math.PI * i / l) - 0.3 * i / l;
            }
            panels.add(AccuracyByLayerData.Panel.correctVsFlipped("model " + m, correct, flipped, l / 2.0));
        }
        return new AccuracyByLayerChart(new AccuracyByLayerData("accuracy", panels, 0.5), PlotTheme.light());
    }

    static ScalingChart scaling() {
        List<ScalingData.Model> models = List.of(new ScalingData.Model("distilgpt2", 81_912_576L),
                new ScalingData.Model("gpt2-xl", 1_557_611_200L), new ScalingData.Model("gpt2", 124_439_808L));
        return new ScalingChart(new ScalingData("", models,
                List.of(new ScalingData.Condition("correct", new double[] {0.6, 0.9, 0.7}, 0, Series.Dash.SOLID),
                        new ScalingData.Condition("flipped", new double[] {0.55, Double.NaN, 0.3}, 1, Series.Dash.DASHED)),
                0.5), PlotTheme.dark());
    }

    @Test
    void aTrajectoryIsDrawnInItsSeriesColour() {
        PlotTheme theme = PlotTheme.light();
        double[] flat = new double[13];
        java.util.Arrays.fill(flat, 0.75);
        TrajectoryChart chart = new TrajectoryChart(TrajectoryData.overlay("", "positive",
                List.of(Series.perLayer("correct", flat, 0, Series.Dash.SOLID)), LayerMarker.criticalLayer(7)), theme);
        Dimension size = new Dimension(640, 400); // the size of the window's chart, not the export's (column width)
        BufferedImage image = Images.draw(chart, size.width, size.height);
        assertThat(Images.count(image, theme.seriesColor(0), 10)).isGreaterThan(size.width / 2);
        assertThat(Images.count(image, theme.accent(), 10)).isGreaterThan(50);
    }

    @Test
    void chartsCopeWithEmptyAndMissingData() {
        double[] nan = {Double.NaN, Double.NaN, 0.3, Double.NaN};
        List<PlotRenderer> charts = List.of(
                new TrajectoryChart(new TrajectoryData("", "p", List.of(), false, null, 0.5), PlotTheme.light()),
                new TrajectoryChart(new TrajectoryData("", "p", List.of(new Series("empty", new double[0], new double[0], 0)),
                        true, LayerMarker.criticalLayer(Double.NaN), Double.NaN), PlotTheme.dark()),
                new TrajectoryChart(TrajectoryData.overlay("t", "positive", List.of(Series.perLayer("nan", nan, 3,
                        Series.Dash.DOTTED)), null), PlotTheme.light()),
                new TrajectoryChart(TrajectoryData.overlay("one layer", "positive",
                        List.of(Series.perLayer("one", new double[] {0.4}, 0, Series.Dash.SOLID)), null), PlotTheme.light()),
                accuracy(0),
                new AccuracyByLayerChart(new AccuracyByLayerData("", List.of(new AccuracyByLayerData.Panel("m",
                        List.of(), null)), Double.NaN), PlotTheme.dark()),
                new ScalingChart(new ScalingData("", List.of(), List.of(), 0.5), PlotTheme.light()),
                new ScalingChart(new ScalingData("", List.of(new ScalingData.Model("gpt2", 124_439_808L)),
                        List.of(new ScalingData.Condition("c", new double[] {Double.NaN}, 0, Series.Dash.SOLID)), 0.5),
                        PlotTheme.light()));
        for (PlotRenderer chart : charts) {
            Dimension size = chart.preferredSize();
            Images.draw(chart, size.width, size.height);
            Images.draw(chart, 90, 60);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 5})
    void accuracyPanelsForOneToFiveModels(int models) {
        AccuracyByLayerChart chart = accuracy(models);
        Dimension size = chart.preferredSize();
        BufferedImage image = Images.draw(chart, size.width, size.height);
        assertThat(Images.count(image, PlotTheme.light().seriesColor(0), 10)).isGreaterThan(100 * models);
    }

    @Test
    void theWorstModelOfEachConditionIsRinged() {
        ScalingData.Condition c = new ScalingData.Condition("c", new double[] {0.6, Double.NaN, 0.3, 0.7}, 0,
                Series.Dash.SOLID);
        assertThat(c.worst()).isEqualTo(2);
        assertThat(new ScalingData.Condition("none", new double[] {Double.NaN}, 0, Series.Dash.SOLID).worst()).isEqualTo(-1);
        ScalingChart chart = scaling();
        Images.draw(chart, chart.preferredSize().width, chart.preferredSize().height);
    }

    @Test
    void trajectoriesFromAReportFollowTheLayers() {
        TrajectoryData data = TrajectoryData.fromReport(PlotFixtures.report(4, 2), false);
        assertThat(data.series()).extracting(Series::name).containsExactly("P(positive)", "P(negative)");
        assertThat(data.series().get(0).x()).containsExactly(0, 1, 2, 3, 4);
        assertThat(data.series().get(0).y()[4]).isEqualTo(0.9);
        Series norm = TrajectoryData.normalizedPositive("n", PlotFixtures.report(4, 1), 0, 0, Series.Dash.SOLID);
        assertThat(norm.y()[0]).isEqualTo(0.1 / (0.1 + 0.45));
    }
}
