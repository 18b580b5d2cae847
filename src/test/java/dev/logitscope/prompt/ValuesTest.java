package dev.logitscope.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void sentimentParsesWordsAndDigits() {
        assertThat(Sentiment.parse("Positive")).isEqualTo(Sentiment.POSITIVE);
        assertThat(Sentiment.parse(" NEGATIVE ")).isEqualTo(Sentiment.NEGATIVE);
        assertThat(Sentiment.parse("1")).isEqualTo(Sentiment.POSITIVE);
        assertThat(Sentiment.parse("0")).isEqualTo(Sentiment.NEGATIVE);
        assertThat(Sentiment.POSITIVE.opposite()).isEqualTo(Sentiment.NEGATIVE);
        assertThat(Sentiment.NEGATIVE.opposite()).isEqualTo(Sentiment.POSITIVE);
        assertThat(Sentiment.NEGATIVE.key()).isEqualTo("negative");
        assertThatThrownBy(() -> Sentiment.parse("2")).isInstanceOf(PromptException.class)
                .hasMessageContaining("positive or negative");
    }

    @Test
    void shotsParseAndName() {
        assertThat(Shots.parse("0")).isEqualTo(Shots.ZERO);
        assertThat(Shots.parse("one")).isEqualTo(Shots.ONE);
        assertThat(Shots.parse("few").k()).isEqualTo(4);
        assertThat(Shots.parse("8").label()).isEqualTo("8-shot");
        assertThat(Shots.ZERO.label()).isEqualTo("zero-shot");
        assertThat(Shots.ONE.label()).isEqualTo("one-shot");
        assertThatThrownBy(() -> Shots.parse("-1")).isInstanceOf(PromptException.class);
        assertThatThrownBy(() -> Shots.parse("lots")).isInstanceOf(PromptException.class);
    }

    @Test
    void modesParse() {
        assertThat(DemoLabels.parse("Flipped")).isEqualTo(DemoLabels.FLIPPED);
        assertThat(DemoOrder.parse("shuffled")).isEqualTo(DemoOrder.SHUFFLED);
        assertThatThrownBy(() -> DemoLabels.parse("wrong")).isInstanceOf(PromptException.class)
                .hasMessageContaining("correct, flipped or random");
        assertThatThrownBy(() -> DemoOrder.parse("sorted")).isInstanceOf(PromptException.class);
    }

    @Test
    void demonstrationsNeedTextAndLabel() {
        assertThat(new Demonstration("  Fine. ", Sentiment.POSITIVE).review()).isEqualTo("Fine.");
        assertThatThrownBy(() -> new Demonstration(" ", Sentiment.POSITIVE)).isInstanceOf(PromptException.class);
        assertThatThrownBy(() -> new Demonstration("Fine.", null)).isInstanceOf(PromptException.class);
    }
}
