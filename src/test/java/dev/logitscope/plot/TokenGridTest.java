package dev.logitscope.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TokenGridTest {

    @ParameterizedTest
    @EnumSource(TokenGridData.Mode.class)
    void fromReportTakesEachModesValue(TokenGridData.Mode mode) {
        TokenGridData data = TokenGridData.fromReport(PlotFixtures.report(3, 4), mode, 1);
        assertThat(data.rowNames()).containsExactly("embed", "1", "2", "3");
        assertThat(data.columns()).extracting(TokenGridData.Column::token)
                .containsExactly("␣tok0", "<&>", "␣tok2", "<&>");
        assertThat(data.top1(2, 3)).isEqualTo("␣w2_3");
        double expected = switch (mode) {
            case PROBABILITY -> PlotFixtures.topProb(2, 3);
            case ENTROPY -> PlotFixtures.entropy(2, 3);
            case RANK -> 2 * 2 + 1; // tracked word 1 has rank 2·layer, shown 1-based
            case KL -> PlotFixtures.kl(2, 3);
        };
        assertThat(data.value(2, 3)).isEqualTo(expected);
        assertThat(data.valueTitle()).isNotBlank();
        if (mode == TokenGridData.Mode.RANK) {
            assertThat(data.valueTitle()).isEqualTo("rank of negative");
            assertThat(data.scale().log()).isTrue();
        }
    }

    @Test
    void cellsHaveTheColourOfTheirValue() {
        PlotTheme theme = PlotTheme.light();
        TokenGridData data = TokenGridData.fromReport(PlotFixtures.report(5, 6), TokenGridData.Mode.PROBABILITY);
        TokenGrid grid = new TokenGrid(data, theme);
        Dimension size = grid.preferredSize();
        Rectangle2D area = new Rectangle2D.Double(0, 0, size.width, size.height);
        BufferedImage image = Images.draw(grid, size.width, size.height);
        for (int r = 0; r <= 5; r++) {
            for (int c = 0; c < 6; c++) {
                Color expected = ColorScale.viridis().at(PlotFixtures.topProb(r, c));
                assertThat(LabelHeatmapTest.corner(image, grid.cellBounds(area, r, c))).isEqualTo(expected);
            }
        }
    }

    @Test
    void lowerIsBetterModesAreDrawnReversedSoBrightMeansConfident() {
        TokenGridData data = TokenGridData.fromReport(PlotFixtures.report(4, 5), TokenGridData.Mode.ENTROPY);
        assertThat(data.brightIsLow()).isTrue();
        TokenGrid grid = new TokenGrid(data, PlotTheme.dark());
        Dimension size = grid.preferredSize();
        Rectangle2D area = new Rectangle2D.Double(0, 0, size.width, size.height);
        BufferedImage image = Images.draw(grid, size.width, size.height);
        // cell (0, 0) has entropy 0: the bright end
        assertThat(LabelHeatmapTest.corner(image, grid.cellBounds(area, 0, 0))).isEqualTo(ColorScale.viridis().at(1));
    }

    @Test
    void hitTestRoundTripsCellCentresInAColumnRange() {
        TokenGridData data = TokenGridData.fromReport(PlotFixtures.report(12, 40), TokenGridData.Mode.KL);
        TokenGrid grid = new TokenGrid(data, PlotTheme.light()).withColumns(10, 22);
        assertThat(grid.firstColumn()).isEqualTo(10);
        assertThat(grid.endColumn()).isEqualTo(22);
        Rectangle2D area = new Rectangle2D.Double(5, 5, 900, 420);
        for (int r = 0; r <= 12; r++) {
            for (int c = 10; c < 22; c++) {
                Rectangle2D cell = grid.cellBounds(area, r, c);
                assertThat(grid.hitTest(area, new Point2D.Double(cell.getCenterX(), cell.getCenterY())))
                        .hasValue(new GridCell(r, c, c));
            }
        }
        assertThat(grid.hitTest(area, new Point2D.Double(6, 6))).isEmpty();
        assertThatThrownBy(() -> grid.cellBounds(area, 0, 9)).isInstanceOf(IllegalArgumentException.class);
        assertThat(grid.withColumns(-5, 5000).endColumn()).isEqualTo(40);
        assertThat(grid.withColumns(30, 20).endColumn()).isEqualTo(30);
    }

    @Test
    void pageSizeFollowsTheWidth() {
        TokenGrid grid = new TokenGrid(TokenGridData.fromReport(PlotFixtures.report(2, 100), TokenGridData.Mode.PROBABILITY),
                PlotTheme.light());
        int page = grid.columnsThatFit(800);
        assertThat(page).isBetween(8, 11);
        assertThat(grid.withColumns(0, page).preferredSize().width).isLessThanOrEqualTo(800);
        assertThat(grid.columnsThatFit(10)).isEqualTo(1);
    }

    @Test
    void gpt2XlWithAFullContextFitsAWindowWithRightColours() {
        TokenGridData data = TokenGridData.fromReport(PlotFixtures.report(48, 1024), TokenGridData.Mode.PROBABILITY);
        TokenGrid grid = new TokenGrid(data, PlotTheme.light());
        Rectangle2D area = new Rectangle2D.Double(0, 0, 1600, 900);
        BufferedImage image = Images.draw(grid, 1600, 900);
        Rectangle2D cell = grid.cellBounds(area, 30, 700);
        assertThat(grid.hitTest(area, new Point2D.Double(cell.getCenterX(), cell.getCenterY())))
                .hasValue(new GridCell(30, 700, 700));
        // cells here are ~1.5 px wide, so compare the colour at the centre, allowing for antialiasing
        Color centre = Images.at(image, cell.getCenterX(), cell.getCenterY());
        assertThat(Images.distance(centre, ColorScale.viridis().at(PlotFixtures.topProb(30, 700)))).isLessThan(90);
        assertThat(grid.preferredSize().width).isGreaterThan(1024 * 70);
    }

    @Test
    void onePositionOneLayerAndMissingValuesDraw() {
        PlotTheme theme = PlotTheme.light();
        TokenGridData one = TokenGridData.fromReport(PlotFixtures.report(0, 1), TokenGridData.Mode.RANK);
        TokenGrid grid = new TokenGrid(one, theme);
        Images.draw(grid, grid.preferredSize().width, grid.preferredSize().height);
        String[][] top = {{"", "x"}};
        double[][] values = {{Double.NaN, 0.5}};
        TokenGridData missing = new TokenGridData(TokenGridData.Mode.PROBABILITY, java.util.List.of("embed"),
                java.util.List.of(new TokenGridData.Column(0, "a"), new TokenGridData.Column(1, "b")), top, values, "");
        TokenGrid g = new TokenGrid(missing, theme);
        Dimension size = g.preferredSize();
        BufferedImage image = Images.draw(g, size.width, size.height);
        assertThat(LabelHeatmapTest.corner(image, g.cellBounds(new Rectangle2D.Double(0, 0, size.width, size.height), 0, 0)))
                .isEqualTo(theme.missing());
        TokenGridData empty = new TokenGridData(TokenGridData.Mode.KL, java.util.List.of(), java.util.List.of(),
                new String[0][], new double[0][], "");
        TokenGrid none = new TokenGrid(empty, theme);
        Images.draw(none, none.preferredSize().width, none.preferredSize().height);
        assertThat(none.hitTest(new Rectangle2D.Double(0, 0, 300, 300), new Point2D.Double(100, 100))).isEmpty();
    }
}
