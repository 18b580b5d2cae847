package dev.logitscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.prompt.Sentiment;
import org.junit.jupiter.api.Test;

/** The overthinking analysis on hand-built trajectories of renormalised P(positive) per layer. */
class OverthinkingTest {

    @Test
    void correctWithMarginAtLayersThreeToFiveThenWrongAtSixOverthinks() {
        // layers:            0     1     2     3     4     5     6
        double[] positive = {0.40, 0.45, 0.48, 0.70, 0.80, 0.75, 0.30};
        Overthinking o = Overthinking.analyse(positive, Sentiment.POSITIVE, 0.1);
        assertThat(o.overthinks()).isTrue();
        assertThat(o.lastCorrectLayer()).isEqualTo(5);
        assertThat(o.reversalLayer()).isEqualTo(6);
        assertThat(o.firstCorrectLayer()).isEqualTo(3);
        assertThat(o.correctLayers()).containsExactly(3, 4, 5);
        assertThat(o.flips()).containsExactly(3, 6);
        assertThat(o.finalCorrect()).isFalse();
        assertThat(o.summary()).contains("YES").contains("layer 5").contains("from layer 6");
    }

    @Test
    void theReversalLayerStartsTheWrongRunThatEndsAtTheLastLayer() {
        // Correct with margin at 1, weakly correct at 3 (below the margin), wrong from 4 on: the last
        // confident layer is 1 but the model only turns wrong for good at 4.
        double[] positive = {0.3, 0.9, 0.4, 0.55, 0.2, 0.1};
        Overthinking o = Overthinking.analyse(positive, Sentiment.POSITIVE, 0.1);
        assertThat(o.overthinks()).isTrue();
        assertThat(o.lastCorrectLayer()).isEqualTo(1);
        assertThat(o.reversalLayer()).isEqualTo(4);
        assertThat(o.correctLayers()).containsExactly(1, 3);
        assertThat(o.flips()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aNegativeGoldLabelUsesOneMinusThePositiveProbability() {
        double[] positive = {0.5, 0.2, 0.35, 0.7};
        Overthinking o = Overthinking.analyse(positive, Sentiment.NEGATIVE, 0.1);
        assertThat(o.correctLayers()).containsExactly(1, 2);
        assertThat(o.lastCorrectLayer()).isEqualTo(2); // P(negative) = 0.65 ≥ 0.6
        assertThat(o.overthinks()).isTrue();
        assertThat(o.reversalLayer()).isEqualTo(3);
        assertThat(o.firstCorrectLayer()).isEqualTo(1);
    }

    @Test
    void theMarginBoundaryIsInclusive() {
        double[] exactlyAtMargin = {0.6, 0.4};
        Overthinking at = Overthinking.analyse(exactlyAtMargin, Sentiment.POSITIVE, 0.1);
        assertThat(at.lastCorrectLayer()).isZero();
        assertThat(at.overthinks()).isTrue();
        assertThat(at.reversalLayer()).isEqualTo(1);

        double[] justBelow = {0.5999, 0.4};
        Overthinking below = Overthinking.analyse(justBelow, Sentiment.POSITIVE, 0.1);
        assertThat(below.lastCorrectLayer()).isNull();
        assertThat(below.overthinks()).isFalse();
        assertThat(below.reversalLayer()).isNull();
        assertThat(below.correctLayers()).containsExactly(0); // correct, but not with margin
        assertThat(below.summary()).contains("no earlier layer is correct with margin");

        // With δ = 0 any correct layer counts.
        assertThat(Overthinking.analyse(justBelow, Sentiment.POSITIVE, 0.0).overthinks()).isTrue();
        // A larger δ raises the bar.
        assertThat(Overthinking.analyse(new double[] {0.7, 0.4}, Sentiment.POSITIVE, 0.25).overthinks()).isFalse();
    }

    @Test
    void aCorrectLastLayerNeverOverthinksAndTheLastLayerItselfIsNotAnEarlierLayer() {
        Overthinking o = Overthinking.analyse(new double[] {0.9, 0.1, 0.8}, Sentiment.POSITIVE, 0.1);
        assertThat(o.overthinks()).isFalse();
        assertThat(o.finalCorrect()).isTrue();
        assertThat(o.lastCorrectLayer()).isZero(); // only layers before L count
        assertThat(o.reversalLayer()).isNull();
        assertThat(o.flips()).containsExactly(1, 2);
        assertThat(o.summary()).contains("the last layer is correct");

        Overthinking oneLayer = Overthinking.analyse(new double[] {0.2}, Sentiment.POSITIVE, 0.1);
        assertThat(oneLayer.overthinks()).isFalse();
        assertThat(oneLayer.lastCorrectLayer()).isNull();
        assertThat(oneLayer.firstCorrectLayer()).isNull();
        assertThat(oneLayer.flips()).isEmpty();
    }

    @Test
    void withoutGoldOnlyFlipsAreReported() {
        Overthinking o = Overthinking.analyse(new double[] {0.2, 0.6, 0.7, 0.4, 0.5}, null, 0.1);
        assertThat(o.flips()).containsExactly(1, 3, 4); // 0.5 counts as positive
        assertThat(o.gold()).isNull();
        assertThat(o.overthinks()).isNull();
        assertThat(o.correctLayers()).isNull();
        assertThat(o.firstCorrectLayer()).isNull();
        assertThat(o.lastCorrectLayer()).isNull();
        assertThat(o.reversalLayer()).isNull();
        assertThat(o.finalCorrect()).isNull();
        assertThat(o.summary()).contains("no gold label").contains("[1, 3, 4]");
    }

    @Test
    void badInputsAreRejected() {
        assertThatThrownBy(() -> Overthinking.analyse(new double[0], null, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Overthinking.analyse(new double[] {0.5}, null, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Overthinking.analyse(new double[] {0.5}, null, -0.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
