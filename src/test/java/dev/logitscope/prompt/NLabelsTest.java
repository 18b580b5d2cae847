package dev.logitscope.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Label sets of more than two words: templates, tokens, flipped and random demonstrations, pools. */
class NLabelsTest {

    @Test
    void theShippedFiveWayTemplatesFirstTokensAreDistinctSingleGpt2Tokens() {
        LabelSetTest.openTokenizer();
        LabelSetTest.needTokenizer();
        PromptTemplate sst5 = TemplateLibrary.builtIn("sst5-review");
        assertThat(sst5.labels().words()).containsExactly(" terrible", " bad", " okay", " good", " great");
        assertThat(sst5.labels().names()).containsExactly("terrible", "bad", "okay", "good", "great");
        LabelSet set = LabelSet.of(sst5.labels(), LabelSetTest.tokenizer);
        // GPT-2's ids of the five words, each one token (looked up in ../shared's vocab.json)
        assertThat(set.firstIds()).containsExactly(7818, 2089, 8788, 922, 1049);
        assertThat(set.warnings()).isEmpty();
        assertThat(sst5.labels().parse("4")).isEqualTo(Sentiment.of(4));
        assertThat(sst5.labels().parse(" Okay ")).isEqualTo(Sentiment.of(2));
        assertThatThrownBy(() -> sst5.labels().parse("positive")).isInstanceOf(PromptException.class)
                .hasMessageContaining("terrible, bad, okay, good, great");
    }

    @Test
    void aSharedFirstTokenAmongManyLabelsIsRefusedByName() {
        Map<String, int[]> toy = Map.of(" a", new int[] {1}, " b", new int[] {2}, " ab", new int[] {1, 2});
        assertThatThrownBy(() -> LabelSet.of(new LabelWords(List.of(" a", " b", " ab")), toy::get, id -> "t" + id))
                .isInstanceOf(PromptException.class).hasMessageContaining("' a' and ' ab' both begin with the token 't1'");
    }

    @Test
    void templatesDeclareIndexedLabelsWithoutGapsAndNotMixedWithThePair() {
        PromptTemplate three = TemplateLibrary.parse("t.template", "name: t\ndemonstration: {review} =>{label}\n"
                + "label.0: \" no\"\nlabel.1: \" maybe\"\nlabel.2: \" yes\"\n");
        assertThat(three.labels().size()).isEqualTo(3);
        assertThat(three.lossClasses().words()).containsExactly("no", "maybe", "yes");
        assertThatThrownBy(() -> TemplateLibrary.parse("t.template", "name: t\ndemonstration: {review} =>{label}\n"
                + "label.0: \" no\"\nlabel.2: \" yes\"\n")).hasMessageContaining("label.1 is missing");
        assertThatThrownBy(() -> TemplateLibrary.parse("t.template", "name: t\ndemonstration: {review} =>{label}\n"
                + "label.0: \" no\"\nlabel.1: \" yes\"\nlabel.positive: \" yes\"\nlabel.negative: \" no\"\n"))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> TemplateLibrary.parse("t.template", "name: t\ndemonstration: {review} =>{label}\n"
                + "label.0: \" no\"\n")).hasMessageContaining("at least two");
    }

    @Test
    void flippedDemonstrationsShowTheNextLabelCyclicallyAndRandomOnesStayInTheSet() {
        PromptTemplate three = TemplateLibrary.parse("t.template", "name: t\ndemonstration: {review} =>{label}\n"
                + "label.0: \" no\"\nlabel.1: \" maybe\"\nlabel.2: \" yes\"\n");
        List<Demonstration> demos = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            demos.add(new Demonstration("review " + i, Sentiment.of(i % 3)));
        }
        DemoPool pool = new DemoPool(demos, 3);
        List<Demonstration> chosen = DemoSelector.select(pool, "query", new Shots(6), DemoOrder.ALTERNATING, 1, 3);
        assertThat(chosen).hasSize(6);
        assertThat(chosen.stream().filter(d -> d.label().index() == 0)).hasSize(2);
        assertThat(chosen.stream().filter(d -> d.label().index() == 2)).hasSize(2);
        BuiltPrompt flipped = PromptBuilder.build(three, "query", chosen, DemoLabels.FLIPPED, 0);
        for (UsedDemo d : flipped.demos()) {
            assertThat(d.shown().index()).isEqualTo((d.truth().index() + 1) % 3);
            assertThat(flipped.text().substring(d.labelStart(), d.labelEnd())).isEqualTo(three.labels().word(d.shown()));
        }
        BuiltPrompt random = PromptBuilder.build(three, "query", chosen, DemoLabels.RANDOM, 5);
        assertThat(random.demos()).allSatisfy(d -> assertThat(d.shown().index()).isBetween(0, 2));
        // the two-label pool cannot serve a three-label template
        assertThatThrownBy(() -> DemoSelector.select(DemoPool.builtIn(), "q", new Shots(3), DemoOrder.ALTERNATING, 0, 3))
                .isInstanceOf(PromptException.class).hasMessageContaining("3 label words")
                .hasMessageContaining("(positive/negative)");
        assertThat(Sentiment.POSITIVE.shifted(2)).isEqualTo(Sentiment.NEGATIVE);
        assertThat(Sentiment.NEGATIVE.opposite()).isEqualTo(Sentiment.POSITIVE);
    }
}
