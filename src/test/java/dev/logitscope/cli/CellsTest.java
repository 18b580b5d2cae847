package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Console table cells: probabilities at every magnitude, widths in terminal cells. */
class CellsTest {
    @Test
    void smallProbabilitiesInScientificNotation() {
        assertThat(Cells.probability(6.4e-90)).isEqualTo("6.40e-90");
        assertThat(Cells.probability(0.73)).isEqualTo("0.7300");
        assertThat(Cells.probability(0.001)).isEqualTo("0.0010");
        assertThat(Cells.probability(0.000999)).isEqualTo("9.99e-04");
        assertThat(Cells.probability(0)).isEqualTo("0");
    }

    @Test
    void cellWidthsOfWideAndZeroWidthCharacters() {
        assertThat(Cells.width("好電影")).isEqualTo(6);
        assertThat(Cells.width("🎬")).isEqualTo(2);
        assertThat(Cells.width("e\u0301")).isEqualTo(1); // e + combining acute
        assertThat(Cells.width("a\u200bb")).isEqualTo(2); // zero-width space
        assertThat(Cells.width("␣↵⇥")).isEqualTo(3);
        assertThat(Cells.left("好電影x", 5)).isEqualTo("好電…");
        assertThat(Cells.width(Cells.left("好電影x", 6))).isEqualTo(6);
        assertThat(Cells.right("好", 4)).isEqualTo("  好");
    }
}
