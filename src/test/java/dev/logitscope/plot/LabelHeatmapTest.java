package dev.logitscope.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LabelHeatmapTest {
    private static final double[][] KNOWN = {{0.05, 0.9}, {0.5, 0.25}, {1.0, 0.0}, {Double.NaN, 0.2}};

    @Test
    void cellsHaveTheColourOfTheirValue() {
        PlotTheme theme = PlotTheme.light();
        LabelHeatmap map = new LabelHeatmap(PlotFixtures.rows(KNOWN), theme);
        Dimension size = map.preferredSize();
        Rectangle2D area = new Rectangle2D.Double(0, 0, size.width, size.height);
        BufferedImage image = Images.draw(map, size.width, size.height);
        for (int r = 0; r < KNOWN.length; r++) {
            for (int c = 0; c < 2; c++) {
                Color expected = Double.isNaN(KNOWN[r][c]) ? theme.missing() : ColorScale.viridis().at(KNOWN[r][c]);
                assertThat(corner(image, map.cellBounds(area, r, c))).as("row %d col %d", r, c).isEqualTo(expected);
            }
        }
        // renormalised: 0.05 / 0.95, 0.5 / 0.75, 1 / 1
        assertThat(corner(image, map.cellBounds(area, 1, map.normalizedColumn())))
                .isEqualTo(ColorScale.diverging().at(0.5 / 0.75));
        assertThat(corner(image, map.cellBounds(area, 2, map.normalizedColumn())))
                .isEqualTo(ColorScale.diverging().at(1));
        assertThat(corner(image, map.cellBounds(area, 3, map.normalizedColumn()))).isEqualTo(theme.missing());
    }

    @Test
    void logScaleColoursByDecade() {
        double[][] probs = {{1e-3, 1e-6}};
        LabelHeatmap map = new LabelHeatmap(PlotFixtures.rows(probs), PlotTheme.dark(), true);
        Dimension size = map.preferredSize();
        BufferedImage image = Images.draw(map, size.width, size.height);
        Rectangle2D area = new Rectangle2D.Double(0, 0, size.width, size.height);
        assertThat(corner(image, map.cellBounds(area, 0, 0))).isEqualTo(ColorScale.viridis().at(0.5));
        assertThat(corner(image, map.cellBounds(area, 0, 1))).isEqualTo(ColorScale.viridis().at(0));
    }

    @Test
    void hitTestFindsTheRowOfEveryCellCentre() {
        LabelHeatmap map = new LabelHeatmap(PlotFixtures.overthinking(12), PlotTheme.light(), false);
        Rectangle2D area = new Rectangle2D.Double(30, 20, 700, 500);
        for (int r = 0; r < 13; r++) {
            for (int c = 0; c < map.columnCount(); c++) {
                Rectangle2D cell = map.cellBounds(area, r, c);
                assertThat(map.hitTest(area, new Point2D.Double(cell.getCenterX(), cell.getCenterY())))
                        .hasValue(r);
            }
        }
        Rectangle2D first = map.cellBounds(area, 0, 0);
        Rectangle2D last = map.cellBounds(area, 12, 0);
        assertThat(first.getY()).as("embeddings on top, the forward pass reads down").isLessThan(last.getY());
        assertThat(map.hitTest(area, new Point2D.Double(area.getX() + 1, area.getY() + 1))).isEmpty();
        assertThat(map.hitTest(area, new Point2D.Double(first.getCenterX(), area.getMaxY() - 1))).isEmpty();
        assertThat(map.hitTest(area, new Point2D.Double(last.getCenterX(), last.getCenterY()))).hasValue(12);
    }

    @Test
    void theReversalRowIsOutlinedAndRightLayersAreMarked() {
        PlotTheme theme = PlotTheme.light();
        LabelHeatmapData data = PlotFixtures.overthinking(12);
        LabelHeatmap map = new LabelHeatmap(data, theme);
        Dimension size = map.preferredSize();
        Rectangle2D area = new Rectangle2D.Double(0, 0, size.width, size.height);
        BufferedImage image = Images.draw(map, size.width, size.height);
        int reversal = indexOf(data, LabelHeatmapData.Row::reversal);
        int right = indexOf(data, LabelHeatmapData.Row::overthinkingRight);
        assertThat(reversal).isPositive();
        Rectangle2D predicted = map.cellBounds(area, reversal, map.predictedColumn());
        // the outline runs along the top of the row, over the (unfilled) predicted column
        assertThat(nearest(image, predicted.getCenterX(), predicted.getY() - 1, theme.text())).isLessThan(60);
        Rectangle2D plain = map.cellBounds(area, 0, map.predictedColumn());
        assertThat(nearest(image, plain.getCenterX() + 20, plain.getY() - 1, theme.text())).isGreaterThan(200);
        // a marker dot sits left of the first cell of a row that was right
        Rectangle2D cell = map.cellBounds(area, right, 0);
        Color dot = Images.at(image, cell.getX() - 10, cell.getCenterY());
        assertThat(Images.distance(dot, theme.accent())).isLessThan(40);
        Rectangle2D notRight = map.cellBounds(area, 0, 0);
        assertThat(Images.at(image, notRight.getX() - 10, notRight.getCenterY())).isEqualTo(theme.background());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 6, 48})
    void copesWithAnyNumberOfLayersAtAnySize(int layers) {
        LabelHeatmap map = new LabelHeatmap(PlotFixtures.overthinking(layers), PlotTheme.dark(), true);
        Dimension size = map.preferredSize();
        assertThat(size.width).isPositive();
        assertThat(size.height).isPositive();
        Images.draw(map, size.width, size.height);
        Images.draw(map, 300, 120); // much too small: rows shrink, text drops, nothing throws
        Images.draw(map, 1600, 1200);
    }

    @Test
    void aHeatmapWithoutRowsOrValuesStillDraws() {
        LabelHeatmapData empty = new LabelHeatmapData("", List.of("positive", "negative"), 0, List.of(), "");
        LabelHeatmap map = new LabelHeatmap(empty, PlotTheme.light());
        Images.draw(map, map.preferredSize().width, map.preferredSize().height);
        assertThat(map.hitTest(new Rectangle2D.Double(0, 0, 400, 300), new Point2D.Double(100, 50)))
                .isEqualTo(OptionalInt.empty());
        LabelHeatmap nan = new LabelHeatmap(PlotFixtures.rows(new double[][] {{Double.NaN, Double.NaN}}),
                PlotTheme.light());
        assertThat(nan.data().rows().get(0).predicted()).isEqualTo("n/a");
        Images.draw(nan, 400, 200);
    }

    @Test
    void fromReportReadsTheLastPositionAndPredictsTheArgmax() {
        LabelHeatmapData data = LabelHeatmapData.fromReport(PlotFixtures.report(4, 3));
        assertThat(data.labels()).containsExactly("positive", "negative");
        assertThat(data.rows()).extracting(LabelHeatmapData.Row::layerName).containsExactly("embed", "1", "2", "3", "4");
        LabelHeatmapData.Row embed = data.rows().get(0);
        assertThat(embed.probs()).containsExactly(0.1, 0.45);
        assertThat(embed.normalizedPositive()).isCloseTo(0.1 / 0.55, within(1e-12));
        assertThat(embed.predicted()).isEqualTo("negative");
        assertThat(data.rows().get(4).predicted()).isEqualTo("positive");
        assertThat(embed.verdict()).isEqualTo(LabelHeatmapData.Verdict.UNKNOWN);
        assertThat(embed.top()).hasSize(2);
        assertThat(data.explanation()).isEmpty();
    }

    @Test
    void rowsMustHaveOneProbabilityPerLabel() {
        LabelHeatmapData.Row row = new LabelHeatmapData.Row("1", 1, new double[] {0.5}, 0.5, "positive",
                LabelHeatmapData.Verdict.UNKNOWN, false, false, List.of());
        assertThatThrownBy(() -> new LabelHeatmapData("", List.of("positive", "negative"), 0, List.of(row), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 probabilities for 2 labels");
    }

    /** A pixel just inside the cell's top-left corner, clear of the centred value text. */
    static Color corner(BufferedImage image, Rectangle2D cell) {
        return Images.at(image, cell.getX() + 3, cell.getY() + 3);
    }

    /** The smallest colour distance to {@code color} within a pixel of (x, y). */
    private static int nearest(BufferedImage image, double x, double y, Color color) {
        int best = Integer.MAX_VALUE;
        for (int dx = -1; dx <= 1; dx++) {
            for (int dy = -1; dy <= 1; dy++) {
                best = Math.min(best, Images.distance(Images.at(image, x + dx, y + dy), color));
            }
        }
        return best;
    }

    private static int indexOf(LabelHeatmapData data, java.util.function.Predicate<LabelHeatmapData.Row> p) {
        for (int i = 0; i < data.rows().size(); i++) {
            if (p.test(data.rows().get(i))) {
                return i;
            }
        }
        return -1;
    }
}
