package dev.logitscope.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Hit tests of the evaluation charts agree with where the charts draw. */
class ChartHitTest {
    static final int W = 900;
    static final int H = 420;
    static final Rectangle2D AREA = new Rectangle2D.Double(0, 0, W, H);

    /** Two panels (12 and 36 layers); the first's correct line is 1.0 everywhere but 0.0 at {@code dip}. */
    static AccuracyByLayerChart twoPanels(PlotTheme theme, int dip) {
        double[] first = new double[13];
        java.util.Arrays.fill(first, 1.0);
        first[dip] = 0.0;
        double[] second = new double[37];
        java.util.Arrays.fill(second, 0.5);
        return new AccuracyByLayerChart(new AccuracyByLayerData("accuracy", List.of(
                new AccuracyByLayerData.Panel("gpt2", List.of(Series.perLayer("correct", first, 0, Series.Dash.SOLID)), null),
                AccuracyByLayerData.Panel.correctVsFlipped("gpt2-large", second, second, 20.0)), 0.5), theme);
    }

    @Test
    void theLayerUnderThePointerIsWhereTheLineIsDrawn() {
        PlotTheme theme = PlotTheme.light();
        int dip = 5;
        AccuracyByLayerChart chart = twoPanels(theme, dip);
        BufferedImage image = Images.draw(chart, W, H);
        // The lowest pixel of the first panel's line colour is the dip's point at layer 5, accuracy 0.
        Color line = theme.seriesColor(0);
        int lowestY = -1;
        int lowestX = -1;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W / 2; x++) {
                if (Images.distance(new Color(image.getRGB(x, y)), line) <= 10) {
                    lowestY = y;
                    lowestX = x;
                }
            }
        }
        assertThat(lowestX).isPositive();
        // the lowest pixel is the marker's edge, half a marker below the point itself
        Optional<AccuracyByLayerChart.Hit> hit = chart.hitTest(AREA, new Point2D.Double(lowestX, lowestY - 5));
        assertThat(hit).contains(new AccuracyByLayerChart.Hit(0, dip));
    }

    @Test
    void sweepingAcrossFindsEveryLayerOfEachPanelInOrder() {
        AccuracyByLayerChart chart = twoPanels(PlotTheme.light(), 3);
        double y = H * 0.6; // inside both panels' plots
        List<AccuracyByLayerChart.Hit> hits = new ArrayList<>();
        for (int x = 0; x < W; x++) {
            chart.hitTest(AREA, new Point2D.Double(x, y)).ifPresent(hits::add);
        }
        List<Integer> first = hits.stream().filter(h -> h.panel() == 0).map(AccuracyByLayerChart.Hit::layer).toList();
        List<Integer> second = hits.stream().filter(h -> h.panel() == 1).map(AccuracyByLayerChart.Hit::layer).toList();
        assertThat(first).isSorted().contains(0, 6, 12).allMatch(l -> l >= 0 && l <= 12);
        assertThat(first.stream().distinct().count()).isEqualTo(13);
        assertThat(second).isSorted().contains(0, 20, 36).allMatch(l -> l >= 0 && l <= 36);
        assertThat(hits.indexOf(new AccuracyByLayerChart.Hit(1, 0))).isGreaterThan(hits.lastIndexOf(new AccuracyByLayerChart.Hit(0, 12)));
        // the title and legend are not a panel
        assertThat(chart.hitTest(AREA, new Point2D.Double(W / 4.0, 10))).isEmpty();
    }

    @Test
    void theScalingChartNamesTheNearestModelInsideThePlot() {
        ScalingChart chart = ChartsTest.scaling(); // distilgpt2 82M, gpt2-xl 1.6B, gpt2 124M (not sorted)
        List<Integer> seen = new ArrayList<>();
        for (int x = 0; x < 620; x++) {
            OptionalInt m = chart.modelAt(new Rectangle2D.Double(0, 0, 620, 420), new Point2D.Double(x, 250));
            if (m.isPresent() && (seen.isEmpty() || seen.get(seen.size() - 1) != m.getAsInt())) {
                seen.add(m.getAsInt());
            }
        }
        assertThat(seen).containsExactly(0, 2, 1); // left to right by size
        assertThat(chart.modelAt(new Rectangle2D.Double(0, 0, 620, 420), new Point2D.Double(300, 5))).isEmpty();
    }
}
