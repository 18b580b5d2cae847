package dev.logitscope.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Lays out a template, demonstrations and a review into a prompt.
 *
 * <p>Demonstrations and the query are filled into the same format, so two prompts with the same
 * demonstrations but different demo labels differ only in the label words.
 */
public final class PromptBuilder {

    private PromptBuilder() {}

    /**
     * Builds the prompt. {@code seed} only matters for {@link DemoLabels#RANDOM}: each shown label
     * is then a seeded coin flip.
     */
    public static BuiltPrompt build(PromptTemplate template, String review, List<Demonstration> chosen,
            DemoLabels demoLabels, long seed) {
        return render(template, review, labelled(chosen, demoLabels, seed, template.labels().size()));
    }

    /**
     * Builds the prompt and drops demonstrations from the front (the ones farthest from the query)
     * until it is at most {@code maxTokens} tokens by {@code tokenCounter}. Random demo labels are
     * drawn before dropping, so the remaining demonstrations keep theirs.
     *
     * @throws PromptException when even the zero-shot prompt is too long
     */
    public static FittedPrompt fit(PromptTemplate template, String review, List<Demonstration> chosen,
            DemoLabels demoLabels, long seed, ToIntFunction<String> tokenCounter, int maxTokens) {
        List<Labelled> all = labelled(chosen, demoLabels, seed, template.labels().size());
        for (int dropped = 0; dropped <= all.size(); dropped++) {
            BuiltPrompt prompt = render(template, review, all.subList(dropped, all.size()));
            int tokens = tokenCounter.applyAsInt(prompt.text());
            if (tokens <= maxTokens) {
                return new FittedPrompt(prompt, tokens, dropped);
            }
            if (dropped == all.size()) {
                int reviewTokens = tokenCounter.applyAsInt(review.strip());
                throw new PromptException("The review is " + reviewTokens + " tokens and the template adds about "
                        + Math.max(0, tokens - reviewTokens) + " more, but the model takes " + maxTokens
                        + " tokens: shorten the review by at least " + (tokens - maxTokens) + " tokens.");
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** A demonstration with the label it will show. */
    private record Labelled(Demonstration demo, Sentiment shown) {}

    /**
     * The shown labels. Flipped = the fixed cyclic permutation i → (i + 1) mod N (the opposite label
     * for two); random = uniform over the N labels (a coin flip for two, drawn as it always was).
     */
    private static List<Labelled> labelled(List<Demonstration> chosen, DemoLabels demoLabels, long seed, int n) {
        // A stream apart from the selector's Random(seed), so labels don't echo the selection.
        Random random = new Random(Long.rotateLeft(seed, 32) ^ 0x9E3779B97F4A7C15L);
        List<Labelled> out = new ArrayList<>(chosen.size());
        for (Demonstration d : chosen) {
            Sentiment shown = switch (demoLabels) {
                case CORRECT -> d.label();
                case FLIPPED -> d.label().shifted(n);
                case RANDOM -> n == 2 ? (random.nextBoolean() ? Sentiment.POSITIVE : Sentiment.NEGATIVE)
                        : Sentiment.of(random.nextInt(n));
            };
            out.add(new Labelled(d, shown));
        }
        return out;
    }

    private static BuiltPrompt render(PromptTemplate template, String review, List<Labelled> demos) {
        String query = review == null ? "" : review.strip();
        StringBuilder text = new StringBuilder();
        List<Segment> segments = new ArrayList<>();
        List<UsedDemo> used = new ArrayList<>(demos.size());
        if (!template.instruction().isEmpty()) {
            append(text, segments, Segment.Kind.INSTRUCTION, template.instruction());
            append(text, segments, Segment.Kind.SEPARATOR, template.separator());
        }
        for (Labelled l : demos) {
            int start = text.length();
            String word = template.labels().word(l.shown());
            text.append(template.demoBeforeReview()).append(l.demo().review()).append(template.demoBetweenReviewAndLabel());
            int labelStart = text.length();
            text.append(word).append(template.demoAfterLabel());
            segments.add(new Segment(Segment.Kind.DEMO, start, text.length()));
            used.add(new UsedDemo(l.demo().review(), l.shown(), l.demo().label(), labelStart,
                    labelStart + word.length()));
            append(text, segments, Segment.Kind.SEPARATOR, template.separator());
        }
        append(text, segments, Segment.Kind.QUERY,
                template.demoBeforeReview() + query + template.demoBetweenReviewAndLabel());
        return new BuiltPrompt(text.toString(), query, used, segments);
    }

    /** Appends a piece and its segment; empty pieces (an empty separator) get no segment. */
    private static void append(StringBuilder text, List<Segment> segments, Segment.Kind kind, String piece) {
        if (piece.isEmpty()) {
            return;
        }
        int start = text.length();
        text.append(piece);
        segments.add(new Segment(kind, start, text.length()));
    }
}
