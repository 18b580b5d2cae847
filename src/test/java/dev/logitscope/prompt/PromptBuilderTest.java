package dev.logitscope.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class PromptBuilderTest {

    static final String QUERY = "A boring, badly written mess.";
    static final List<Demonstration> ONE = List.of(new Demonstration("Loved it.", Sentiment.POSITIVE));
    static final List<Demonstration> FOUR = List.of(
            new Demonstration("Loved it.", Sentiment.POSITIVE),
            new Demonstration("Hated it.", Sentiment.NEGATIVE),
            new Demonstration("A warm, funny film.", Sentiment.POSITIVE),
            new Demonstration("Dull, dull, dull.", Sentiment.NEGATIVE));

    static String build(String template, List<Demonstration> demos) {
        return PromptBuilder.build(TemplateLibrary.builtIn(template), QUERY, demos, DemoLabels.CORRECT, 0).text();
    }

    @Test
    void seedNotebookPrompts() {
        String zero = """
                Text: A boring, badly written mess.
                Classify the text into negative or positive sentiment.
                Sentiment:""";
        String one = """
                Text: Loved it.
                Classify the text into negative or positive sentiment.
                Sentiment: positive

                Text: A boring, badly written mess.
                Classify the text into negative or positive sentiment.
                Sentiment:""";
        String four = """
                Text: Loved it.
                Classify the text into negative or positive sentiment.
                Sentiment: positive

                Text: Hated it.
                Classify the text into negative or positive sentiment.
                Sentiment: negative

                Text: A warm, funny film.
                Classify the text into negative or positive sentiment.
                Sentiment: positive

                Text: Dull, dull, dull.
                Classify the text into negative or positive sentiment.
                Sentiment: negative

                Text: A boring, badly written mess.
                Classify the text into negative or positive sentiment.
                Sentiment:""";
        assertThat(build("seed-notebook", List.of())).isEqualTo(zero);
        assertThat(build("seed-notebook", ONE)).isEqualTo(one);
        assertThat(build("seed-notebook", FOUR)).isEqualTo(four);
    }

    @Test
    void reviewSentimentPrompts() {
        assertThat(build("review-sentiment", List.of()))
                .isEqualTo("Review: A boring, badly written mess.\nSentiment:");
        assertThat(build("review-sentiment", ONE)).isEqualTo(
                "Review: Loved it.\nSentiment: Positive\n\n"
                + "Review: A boring, badly written mess.\nSentiment:");
        assertThat(build("review-sentiment", FOUR)).isEqualTo(
                "Review: Loved it.\nSentiment: Positive\n\n"
                + "Review: Hated it.\nSentiment: Negative\n\n"
                + "Review: A warm, funny film.\nSentiment: Positive\n\n"
                + "Review: Dull, dull, dull.\nSentiment: Negative\n\n"
                + "Review: A boring, badly written mess.\nSentiment:");
    }

    @Test
    void reviewAnswerPrompts() {
        assertThat(build("review-answer", List.of()))
                .isEqualTo("Review: A boring, badly written mess.\nAnswer:");
        assertThat(build("review-answer", ONE)).isEqualTo(
                "Review: Loved it.\nAnswer: Positive.\n\n"
                + "Review: A boring, badly written mess.\nAnswer:");
        assertThat(build("review-answer", FOUR)).isEqualTo(
                "Review: Loved it.\nAnswer: Positive.\n\n"
                + "Review: Hated it.\nAnswer: Negative.\n\n"
                + "Review: A warm, funny film.\nAnswer: Positive.\n\n"
                + "Review: Dull, dull, dull.\nAnswer: Negative.\n\n"
                + "Review: A boring, badly written mess.\nAnswer:");
    }

    @Test
    void flippedPromptsDifferFromCorrectOnlyInTheLabelWords() {
        for (String name : TemplateLibrary.names()) {
            PromptTemplate template = TemplateLibrary.builtIn(name);
            BuiltPrompt correct = PromptBuilder.build(template, QUERY, FOUR, DemoLabels.CORRECT, 3);
            BuiltPrompt flipped = PromptBuilder.build(template, QUERY, FOUR, DemoLabels.FLIPPED, 3);
            assertThat(correct.text()).as(name).isNotEqualTo(flipped.text());
            assertThat(masked(flipped)).as(name).isEqualTo(masked(correct));
            for (int i = 0; i < FOUR.size(); i++) {
                assertThat(flipped.demos().get(i).shown()).isEqualTo(FOUR.get(i).label().opposite());
                assertThat(flipped.demos().get(i).truth()).isEqualTo(FOUR.get(i).label());
                assertThat(flipped.demos().get(i).flipped()).isTrue();
                assertThat(correct.demos().get(i).flipped()).isFalse();
            }
        }
    }

    /** The prompt with each shown label word replaced by a marker, using the recorded ranges. */
    static String masked(BuiltPrompt prompt) {
        StringBuilder out = new StringBuilder(prompt.text());
        List<UsedDemo> demos = new ArrayList<>(prompt.demos());
        for (int i = demos.size() - 1; i >= 0; i--) {
            out.replace(demos.get(i).labelStart(), demos.get(i).labelEnd(), "<LABEL>");
        }
        return out.toString();
    }

    @Test
    void labelRangesPointAtTheShownWords() {
        PromptTemplate template = TemplateLibrary.builtIn("review-sentiment");
        BuiltPrompt prompt = PromptBuilder.build(template, QUERY, FOUR, DemoLabels.FLIPPED, 0);
        for (UsedDemo d : prompt.demos()) {
            assertThat(prompt.text().substring(d.labelStart(), d.labelEnd()))
                    .isEqualTo(template.labels().word(d.shown()));
        }
    }

    @Test
    void randomLabelsAreSeededAndKeepTheTruth() {
        PromptTemplate template = TemplateLibrary.builtIn("review-answer");
        List<Demonstration> many = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            many.add(new Demonstration("review " + i, i % 2 == 0 ? Sentiment.POSITIVE : Sentiment.NEGATIVE));
        }
        BuiltPrompt a = PromptBuilder.build(template, QUERY, many, DemoLabels.RANDOM, 7);
        BuiltPrompt b = PromptBuilder.build(template, QUERY, many, DemoLabels.RANDOM, 7);
        BuiltPrompt c = PromptBuilder.build(template, QUERY, many, DemoLabels.RANDOM, 8);
        assertThat(a).isEqualTo(b);
        assertThat(a.text()).isNotEqualTo(c.text());
        assertThat(masked(a)).isEqualTo(masked(c));
        assertThat(a.demos()).extracting(UsedDemo::truth).containsExactlyElementsOf(
                many.stream().map(Demonstration::label).toList());
        assertThat(a.demos()).extracting(UsedDemo::shown).contains(Sentiment.POSITIVE, Sentiment.NEGATIVE);
    }

    @Test
    void segmentsCoverTheTextExactlyAndInOrder() {
        PromptTemplate withInstruction = TemplateLibrary.parse("t", """
                name: t
                instruction: Label each review.
                demonstration: Review: {review}\\nAnswer:{label}
                label.positive: " positive"
                label.negative: " negative"
                """);
        for (PromptTemplate template : List.of(withInstruction, TemplateLibrary.builtIn("seed-notebook"))) {
            for (List<Demonstration> demos : List.of(List.<Demonstration>of(), ONE, FOUR)) {
                BuiltPrompt prompt = PromptBuilder.build(template, QUERY, demos, DemoLabels.CORRECT, 0);
                int at = 0;
                StringBuilder joined = new StringBuilder();
                for (Segment s : prompt.segments()) {
                    assertThat(s.start()).isEqualTo(at);
                    joined.append(s.text(prompt.text()));
                    at = s.end();
                }
                assertThat(at).isEqualTo(prompt.text().length());
                assertThat(joined.toString()).isEqualTo(prompt.text());
                List<Segment.Kind> kinds = prompt.segments().stream().map(Segment::kind).toList();
                assertThat(kinds.get(kinds.size() - 1)).isEqualTo(Segment.Kind.QUERY);
                assertThat(kinds.stream().filter(k -> k == Segment.Kind.DEMO)).hasSize(demos.size());
                assertThat(kinds.contains(Segment.Kind.INSTRUCTION)).isEqualTo(template == withInstruction);
            }
        }
        BuiltPrompt one = PromptBuilder.build(withInstruction, QUERY, ONE, DemoLabels.CORRECT, 0);
        assertThat(one.segments()).extracting(Segment::kind).containsExactly(Segment.Kind.INSTRUCTION,
                Segment.Kind.SEPARATOR, Segment.Kind.DEMO, Segment.Kind.SEPARATOR, Segment.Kind.QUERY);
        assertThat(one.segments().get(0).text(one.text())).isEqualTo("Label each review.");
        assertThat(one.segments().get(2).text(one.text())).isEqualTo("Review: Loved it.\nAnswer: positive");
        assertThat(one.segments().get(4).text(one.text())).isEqualTo("Review: " + QUERY + "\nAnswer:");
    }

    @Test
    void reviewIsStrippedAndPlaceholdersInsideItAreLeftAlone() {
        PromptTemplate template = TemplateLibrary.builtIn("review-answer");
        BuiltPrompt prompt = PromptBuilder.build(template, "  odd {label} and {review} text \n", List.of(),
                DemoLabels.CORRECT, 0);
        assertThat(prompt.text()).isEqualTo("Review: odd {label} and {review} text\nAnswer:");
        assertThat(prompt.review()).isEqualTo("odd {label} and {review} text");
    }

    @Test
    void emptyQueryIsAllowedForContentFreeCalibration() {
        PromptTemplate template = TemplateLibrary.builtIn("review-answer");
        assertThat(PromptBuilder.build(template, "", ONE, DemoLabels.CORRECT, 0).text())
                .isEqualTo("Review: Loved it.\nAnswer: Positive.\n\nReview: \nAnswer:");
    }

    /** Counts words and newlines: a stand-in tokenizer with predictable counts. */
    static final ToIntFunction<String> WORDS = s -> s.isBlank() ? 0 : s.strip().split("\\s+").length;

    @Test
    void fittingDropsDemonstrationsFromTheFront() {
        PromptTemplate template = TemplateLibrary.builtIn("review-answer");
        int full = WORDS.applyAsInt(PromptBuilder.build(template, QUERY, FOUR, DemoLabels.CORRECT, 0).text());
        FittedPrompt all = PromptBuilder.fit(template, QUERY, FOUR, DemoLabels.CORRECT, 0, WORDS, full);
        assertThat(all.dropped()).isZero();
        assertThat(all.tokens()).isEqualTo(full);

        FittedPrompt cut = PromptBuilder.fit(template, QUERY, FOUR, DemoLabels.CORRECT, 0, WORDS, full - 1);
        assertThat(cut.dropped()).isEqualTo(1);
        assertThat(cut.prompt()).isEqualTo(PromptBuilder.build(template, QUERY, FOUR.subList(1, 4),
                DemoLabels.CORRECT, 0));

        int zeroShot = WORDS.applyAsInt(PromptBuilder.build(template, QUERY, List.of(), DemoLabels.CORRECT, 0).text());
        FittedPrompt none = PromptBuilder.fit(template, QUERY, FOUR, DemoLabels.CORRECT, 0, WORDS, zeroShot);
        assertThat(none.dropped()).isEqualTo(4);
        assertThat(none.prompt().demos()).isEmpty();
    }

    @Test
    void fittingKeepsTheRandomLabelsOfTheDemonstrationsLeft() {
        PromptTemplate template = TemplateLibrary.builtIn("review-answer");
        BuiltPrompt full = PromptBuilder.build(template, QUERY, FOUR, DemoLabels.RANDOM, 11);
        int tokens = WORDS.applyAsInt(full.text());
        FittedPrompt cut = PromptBuilder.fit(template, QUERY, FOUR, DemoLabels.RANDOM, 11, WORDS, tokens - 1);
        assertThat(cut.prompt().demos()).extracting(UsedDemo::shown)
                .containsExactlyElementsOf(full.demos().subList(1, 4).stream().map(UsedDemo::shown).toList());
    }

    @Test
    void aReviewTooLongEvenZeroShotIsAClearError() {
        PromptTemplate template = TemplateLibrary.builtIn("review-answer");
        String review = "word ".repeat(30);
        assertThatThrownBy(() -> PromptBuilder.fit(template, review, FOUR, DemoLabels.CORRECT, 0, WORDS, 20))
                .isInstanceOf(PromptException.class)
                .hasMessageContaining("The review is 30 tokens")
                .hasMessageContaining("the model takes 20 tokens")
                .hasMessageContaining("shorten the review by at least 12 tokens");
    }

    @Test
    void recipeSelectsAndBuilds() {
        PromptRecipe recipe = new PromptRecipe(TemplateLibrary.builtIn("review-answer"), Shots.few(), DemoLabels.FLIPPED,
                DemoOrder.ALTERNATING, 5);
        DemoPool pool = DemoPool.builtIn();
        BuiltPrompt prompt = recipe.fit(pool, QUERY, t -> 0, Integer.MAX_VALUE).prompt();
        assertThat(prompt.demos()).hasSize(4).allMatch(UsedDemo::flipped);
        assertThat(prompt.text()).endsWith("Review: " + QUERY + "\nAnswer:");
        assertThat(recipe.fit(pool, QUERY, WORDS, 10_000).prompt()).isEqualTo(prompt);
        BuiltPrompt correct = recipe.withDemoLabels(DemoLabels.CORRECT).fit(pool, QUERY, t -> 0, Integer.MAX_VALUE).prompt();
        assertThat(masked(correct)).isEqualTo(masked(prompt));
    }
}
