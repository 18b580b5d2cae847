package dev.logitscope.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoSelectorTest {

    static final DemoPool POOL = DemoPool.builtIn();
    static final String QUERY = "A boring, badly written mess.";

    static long count(List<Demonstration> demos, Sentiment label) {
        return demos.stream().filter(d -> d.label() == label).count();
    }

    @Test
    void theSameSeedGivesTheSameDemonstrations() {
        for (DemoOrder order : DemoOrder.values()) {
            List<Demonstration> a = DemoSelector.select(POOL, QUERY, Shots.few(), order, 42);
            List<Demonstration> b = DemoSelector.select(POOL, QUERY, Shots.few(), order, 42);
            assertThat(a).hasSize(4).isEqualTo(b);
        }
    }

    @Test
    void anotherSeedGivesOtherDemonstrations() {
        List<Demonstration> a = DemoSelector.select(POOL, QUERY, Shots.few(), DemoOrder.ALTERNATING, 42);
        List<Demonstration> b = DemoSelector.select(POOL, QUERY, Shots.few(), DemoOrder.ALTERNATING, 43);
        assertThat(a).isNotEqualTo(b);
        Set<List<Demonstration>> distinct = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            distinct.add(DemoSelector.select(POOL, QUERY, Shots.few(), DemoOrder.ALTERNATING, seed));
        }
        assertThat(distinct).hasSizeGreaterThan(15);
    }

    @Test
    void selectionIsBalancedAndOddCountsAlternateTheExtraLabelBySeed() {
        for (long seed = 0; seed < 10; seed++) {
            List<Demonstration> four = DemoSelector.select(POOL, QUERY, Shots.few(4), DemoOrder.SHUFFLED, seed);
            assertThat(count(four, Sentiment.POSITIVE)).isEqualTo(2);
            assertThat(count(four, Sentiment.NEGATIVE)).isEqualTo(2);
            List<Demonstration> five = DemoSelector.select(POOL, QUERY, Shots.few(5), DemoOrder.SHUFFLED, seed);
            Sentiment extra = seed % 2 == 0 ? Sentiment.POSITIVE : Sentiment.NEGATIVE;
            assertThat(count(five, extra)).as("seed " + seed).isEqualTo(3);
            assertThat(count(five, extra.opposite())).isEqualTo(2);
            List<Demonstration> one = DemoSelector.select(POOL, QUERY, Shots.ONE, DemoOrder.ALTERNATING, seed);
            assertThat(one).singleElement().extracting(Demonstration::label).isEqualTo(extra);
        }
        assertThat(DemoSelector.select(POOL, QUERY, Shots.ZERO, DemoOrder.ALTERNATING, 1)).isEmpty();
    }

    @Test
    void alternatingOrderStartsWithTheLabelThatHasMore() {
        List<Demonstration> four = DemoSelector.select(POOL, QUERY, Shots.few(4), DemoOrder.ALTERNATING, 2);
        assertThat(four).extracting(Demonstration::label).containsExactly(Sentiment.POSITIVE, Sentiment.NEGATIVE,
                Sentiment.POSITIVE, Sentiment.NEGATIVE);
        List<Demonstration> odd = DemoSelector.select(POOL, QUERY, Shots.few(5), DemoOrder.ALTERNATING, 3);
        assertThat(odd).extracting(Demonstration::label).containsExactly(Sentiment.NEGATIVE, Sentiment.POSITIVE,
                Sentiment.NEGATIVE, Sentiment.POSITIVE, Sentiment.NEGATIVE);
    }

    @Test
    void shuffledOrderHasTheSameDemonstrationsAsAlternating() {
        List<Demonstration> alternating = DemoSelector.select(POOL, QUERY, Shots.few(6), DemoOrder.ALTERNATING, 9);
        List<Demonstration> shuffled = DemoSelector.select(POOL, QUERY, Shots.few(6), DemoOrder.SHUFFLED, 9);
        assertThat(shuffled).containsExactlyInAnyOrderElementsOf(alternating);
    }

    @Test
    void neverSelectsTheQueryReview() {
        DemoPool small = new DemoPool(List.of(
                new Demonstration("Good.", Sentiment.POSITIVE),
                new Demonstration("Great.", Sentiment.POSITIVE),
                new Demonstration("Bad.", Sentiment.NEGATIVE),
                new Demonstration("Awful.", Sentiment.NEGATIVE)));
        for (long seed = 0; seed < 10; seed++) {
            List<Demonstration> chosen = DemoSelector.select(small, "  GOOD. ", Shots.ONE, DemoOrder.ALTERNATING, seed * 2);
            assertThat(chosen).extracting(Demonstration::review).containsExactly("Great.");
        }
        // The whole built-in pool, each demonstration as the query.
        for (Demonstration query : POOL.all()) {
            List<Demonstration> chosen = DemoSelector.select(POOL, query.review(), Shots.few(8), DemoOrder.SHUFFLED, 1);
            assertThat(chosen).hasSize(8).doesNotContain(query);
        }
    }

    @Test
    void aPoolTooSmallIsAClearError() {
        DemoPool small = new DemoPool(List.of(
                new Demonstration("Good.", Sentiment.POSITIVE),
                new Demonstration("Bad.", Sentiment.NEGATIVE)));
        assertThatThrownBy(() -> DemoSelector.select(small, "Good.", Shots.ONE, DemoOrder.ALTERNATING, 0))
                .isInstanceOf(PromptException.class)
                .hasMessageContaining("only 0 usable positive reviews, but 1 are needed");
        assertThatThrownBy(() -> DemoSelector.select(POOL, QUERY, Shots.few(60), DemoOrder.ALTERNATING, 0))
                .isInstanceOf(PromptException.class)
                .hasMessageContaining("use fewer shots");
    }
}
