package dev.logitscope.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.testing.SharedFiles;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The templates named after a paper or a seed build, character for character, the prompts their
 * code builds. Each expectation below is an independent re-implementation of the authors'
 * assembly with their format strings copied literally, not derived from the template files.
 */
class PaperTemplatesTest {

    // github.com/dannyallover/overthinking_the_truth, data/prompt_params.py, copied literally.
    // Labels are (label 0 = negative, label 1 = positive), as their code indexes them.
    static final String[][] SST2_LABELS = {
        {"Negative", "Positive"},
        {"bad", "good"},
        {"bad", "good"},
        {"negative", "positive"},
        {"bad", "good"},
        {"No", "Yes"},
        {"Negative", "Positive"},
        {"bad", "good"},
        {"bad", "good"},
        {"bad", "good"},
        {"liked", "hated"},
        {"0", "5"},
        {"Negative", "Positive"},
        {"False", "True"},
        {"0", "5"},
    };
    static final String[] SST2_PROMPT_FORMATS = {
        "Review: {}\nAnswer: {}.",
        "Review: {}\nAnswer: {}.",
        "My review for last night’s film: {} The critics agreed that this movie was {}.",
        "One of our critics wrote \"{}\". Her sentiment towards the film was {}.",
        "In a contemporary review, Roger Ebert wrote: \"{}\". Entertainment Weekly  agreed, and the overall critical reception of the film was {}.",
        "Review: {}\nPositive Review? {}.",
        "Review: {}\nQuestion: Is the sentiment of the above review Positive or Negative?\nAnswer: {}.",
        "Review: {}\nQuestion: Did the author think that the movie was good or bad?\nAnswer: {}.",
        "Question: Did the author of the following tweet think that the movie was good or bad?\nTweet: {}\nAnswer: {}.",
        "{} My overall feeling was that the movie was {}.",
        "{} I {}.",
        "{} My friend asked me if I would give the movie 0 or 5 stars, I said {}.",
        "Input: {}\nSentiment: {}.",
        "Review: {}\nPositive: {}.",
        "Review: {}\nStars: {}.",
    };
    static final String[] SST2_PREFIX_NARRATIVES = {
        "",
        "",
        "Here is what our critics think for this month’s films.",
        "Critical reception [ edit ].",
        "", "", "", "", "", "", "", "", "", "", "",
    };

    static final Demonstration NEG = new Demonstration("A dull, lifeless mess.", Sentiment.NEGATIVE);
    static final Demonstration POS = new Demonstration("Warm, funny and wise.", Sentiment.POSITIVE);
    static final List<Demonstration> TWO = List.of(NEG, POS);
    static final String QUERY = "It never finds its footing.";
    static final Sentiment QUERY_GOLD = Sentiment.NEGATIVE;

    static String overthinkingName(int format) {
        return format == 0 ? "review-answer" : "overthinking-sst2-" + format;
    }

    /** Python's {@code str.format} for positional {@code {}} fields. */
    static String pyFormat(String format, String... args) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (String arg : args) {
            int at = format.indexOf("{}", from);
            out.append(format, from, at).append(arg);
            from = at + 2;
        }
        return out.append(format.substring(from)).toString();
    }

    static int index(Sentiment s) {
        return s == Sentiment.NEGATIVE ? 0 : 1;
    }

    /**
     * Their prefixes.py: every demonstration, the query's included, is {@code prompt_format.format(
     * sample, label)}; the prefix narrative (when set) and the demonstrations are joined with
     * "\n\n". Returns the whole string, the query's label being its last label.
     */
    static String theirPrefix(int format, List<Demonstration> demos, boolean flipped) {
        List<String> parts = new ArrayList<>();
        if (!SST2_PREFIX_NARRATIVES[format].isEmpty()) {
            parts.add(SST2_PREFIX_NARRATIVES[format]);
        }
        for (Demonstration d : demos) {
            Sentiment shown = flipped ? d.label().opposite() : d.label();
            parts.add(pyFormat(SST2_PROMPT_FORMATS[format], d.review(), SST2_LABELS[format][index(shown)]));
        }
        parts.add(pyFormat(SST2_PROMPT_FORMATS[format], QUERY, SST2_LABELS[format][index(QUERY_GOLD)]));
        return String.join("\n\n", parts);
    }

    @Test
    void overthinkingTemplatesBuildTheirPromptsToTheCharacter() {
        assertThat(TemplateLibrary.OVERTHINKING_SST2).hasSize(SST2_PROMPT_FORMATS.length);
        for (int f = 0; f < SST2_PROMPT_FORMATS.length; f++) {
            PromptTemplate template = TemplateLibrary.builtIn(overthinkingName(f));
            for (boolean flipped : new boolean[] {false, true}) {
                String theirs = theirPrefix(f, TWO, flipped);
                // The lens reads the query where its label would start: their string without " label.".
                String tail = " " + SST2_LABELS[f][index(QUERY_GOLD)] + ".";
                assertThat(theirs).endsWith(tail);
                String expected = theirs.substring(0, theirs.length() - tail.length());
                BuiltPrompt ours = PromptBuilder.build(template, QUERY, TWO,
                        flipped ? DemoLabels.FLIPPED : DemoLabels.CORRECT, 0);
                assertThat(ours.text()).as("format %d, flipped %s", f, flipped).isEqualTo(expected);
            }
            assertThat(template.labels().negative()).isEqualTo(" " + SST2_LABELS[f][0]);
            assertThat(template.labels().positive()).isEqualTo(" " + SST2_LABELS[f][1]);
        }
        // The issue's own statement of format 0, literally.
        assertThat(PromptBuilder.build(TemplateLibrary.builtIn("review-answer"), QUERY, TWO, DemoLabels.CORRECT, 0).text())
                .isEqualTo("Review: A dull, lifeless mess.\nAnswer: Negative.\n\nReview: Warm, funny and wise.\nAnswer: Positive."
                        + "\n\nReview: It never finds its footing.\nAnswer:");
        assertThat(TemplateLibrary.expand(TemplateLibrary.OVERTHINKING_SST2_GROUP))
                .containsExactlyElementsOf(TemplateLibrary.OVERTHINKING_SST2);
    }

    @Test
    void overthinkingTemplatesTokeniseAsTheirsAndReadTheirLabelToken() {
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(SharedFiles.gpt2TokenizerOrSkip().resolve("tokenizer.json"))) {
            // The known ids of " Positive" / " Negative" (../shared/README.md).
            assertThat(LabelSet.of(TemplateLibrary.builtIn("review-answer").labels(), tokenizer).firstIds())
                    .containsExactly(33733, 36183);
            for (int f = 0; f < SST2_PROMPT_FORMATS.length; f++) {
                PromptTemplate template = TemplateLibrary.builtIn(overthinkingName(f));
                String theirs = theirPrefix(f, TWO, false);
                int[] theirIds = tokenizer.encodeIds(theirs);
                int at = theirPrecedingLabelIndex(f, TWO, tokenizer);
                int[] ours = tokenizer.encodeIds(PromptBuilder.build(template, QUERY, TWO, DemoLabels.CORRECT, 0).text());
                // Their logits at the token before the query's label see exactly our prompt's tokens ...
                assertThat(ours).as("format %d", f).containsExactly(Arrays.copyOf(theirIds, at + 1));
                // ... and the label they read there is the first token of " " + label, as the lens reads it.
                int[] labelFirstIds = {tokenizer.encodeIds(" " + SST2_LABELS[f][1])[0],
                    tokenizer.encodeIds(" " + SST2_LABELS[f][0])[0]};
                assertThat(theirIds[at + 1]).isEqualTo(tokenizer.encodeIds(" " + SST2_LABELS[f][index(QUERY_GOLD)])[0]);
                LabelSet labels = LabelSet.of(template.labels(), tokenizer);
                assertThat(labels.firstIds()).as("format %d", f).containsExactly(labelFirstIds);
                assertThat(labels.warnings()).as("format %d", f).isEmpty();
            }
        }
    }

    /**
     * Their {@code __get_tok_labels_indx}: the index of the token before the last demonstration's
     * label, counted with their PNLNL = len(tokenizer(".\n\n")).
     */
    static int theirPrecedingLabelIndex(int format, List<Demonstration> demos, Gpt2Tokenizer tokenizer) {
        int pnlnl = tokenizer.encodeIds(".\n\n").length;
        String narrative = SST2_PREFIX_NARRATIVES[format];
        int running = narrative.isEmpty() ? 0 : tokenizer.encodeIds(narrative).length + pnlnl;
        List<String[]> all = new ArrayList<>();
        for (Demonstration d : demos) {
            all.add(new String[] {d.review(), SST2_LABELS[format][index(d.label())]});
        }
        all.add(new String[] {QUERY, SST2_LABELS[format][index(QUERY_GOLD)]});
        int indx = -1;
        for (String[] d : all) {
            int lenDemo = tokenizer.encodeIds(pyFormat(SST2_PROMPT_FORMATS[format], d[0], d[1])).length;
            int lenLabel = tokenizer.encodeIds(" " + d[1]).length;
            indx = running + lenDemo - lenLabel - pnlnl;
            running += lenDemo + pnlnl;
        }
        return indx;
    }

    @Test
    void calibrateBeforeUseTemplateIsTheirConstructPrompt() {
        // github.com/tonyzhaozh/few-shot-learning: data_utils.py (sst2 params) and utils.py construct_prompt.
        String promptPrefix = "";
        String qPrefix = "Review: ";
        String aPrefix = "Sentiment: ";
        String[] labelDict = {"Negative", "Positive"};
        StringBuilder prompt = new StringBuilder(promptPrefix);
        for (Demonstration d : TWO) {
            prompt.append(qPrefix).append(d.review()).append("\n");
            prompt.append(aPrefix).append(labelDict[index(d.label())]).append("\n\n");
        }
        prompt.append(qPrefix).append(QUERY).append("\n");
        prompt.append(aPrefix, 0, aPrefix.length() - 1);
        assertThat(PromptBuilder.build(TemplateLibrary.builtIn("review-sentiment"), QUERY, TWO, DemoLabels.CORRECT, 0)
                .text()).isEqualTo(prompt.toString());
        assertThat(TemplateLibrary.builtIn("review-sentiment").labels()).isEqualTo(new LabelWords(" Positive", " Negative"));
    }

    @Test
    void seedMovieReviewTemplateEndsOnTheSeedsQuery() {
        PromptTemplate template = TemplateLibrary.builtIn("seed-movie-review");
        assertThat(PromptBuilder.build(template, QUERY, List.of(), DemoLabels.CORRECT, 0).text())
                .isEqualTo(QUERY + " This movie review is");
        assertThat(PromptBuilder.build(template, QUERY, TWO, DemoLabels.CORRECT, 0).text())
                .isEqualTo("A dull, lifeless mess. This movie review is negative\n\n"
                        + "Warm, funny and wise. This movie review is positive\n\n"
                        + QUERY + " This movie review is");
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(SharedFiles.gpt2TokenizerOrSkip().resolve("tokenizer.json"))) {
            assertThat(LabelSet.of(template.labels(), tokenizer).firstIds()).containsExactly(3967, 4633);
            // the seed's continuation " positive" is the token right after the prompt's tokens
            int[] prompt = tokenizer.encodeIds(QUERY + " This movie review is");
            int[] continued = tokenizer.encodeIds(QUERY + " This movie review is positive");
            assertThat(Arrays.copyOf(continued, prompt.length)).containsExactly(prompt);
            assertThat(continued[prompt.length]).isEqualTo(3967);
        }
    }
}
