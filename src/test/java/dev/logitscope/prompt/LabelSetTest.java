package dev.logitscope.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.tokenize.Gpt2Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LabelSetTest {

    static Gpt2Tokenizer tokenizer;

    @BeforeAll
    static void openTokenizer() {
        String shared = System.getProperty("logitscope.shared", "../shared");
        Path file = Path.of(shared, "gpt2-tokenizer", "tokenizer.json");
        if (Files.isRegularFile(file)) {
            tokenizer = Gpt2Tokenizer.open(file);
        }
    }

    @AfterAll
    static void closeTokenizer() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    static void needTokenizer() {
        Assumptions.assumeTrue(tokenizer != null,
                "skipped: the GPT-2 tokenizer is not at ${logitscope.shared}/gpt2-tokenizer (../shared absent)");
    }

    @Test
    void builtInLabelWordsAreSingleTokens() {
        needTokenizer();
        LabelSet lower = LabelSet.of(LabelWords.LOWER, tokenizer);
        assertThat(lower.positive().tokenIds()).containsExactly(3967);
        assertThat(lower.negative().tokenIds()).containsExactly(4633);
        assertThat(lower.firstIds()).containsExactly(3967, 4633);
        assertThat(lower.warnings()).isEmpty();
        assertThat(lower.token(Sentiment.POSITIVE).firstToken()).isEqualTo(" positive");
        LabelSet upper = LabelSet.of(TemplateLibrary.builtIn("review-sentiment").labels(), tokenizer);
        assertThat(upper.firstIds()).containsExactly(33733, 36183);
        for (String name : TemplateLibrary.names()) {
            assertThat(LabelSet.of(TemplateLibrary.builtIn(name).labels(), tokenizer).warnings()).as(name).isEmpty();
        }
    }

    @Test
    void aMultiTokenLabelIsReadByItsFirstTokenWithAWarning() {
        needTokenizer();
        LabelSet set = LabelSet.of(new LabelWords(" Neutralish", " negative"), tokenizer);
        int[] ids = tokenizer.encodeIds(" Neutralish");
        assertThat(ids.length).isGreaterThan(1);
        assertThat(set.positive().multiToken()).isTrue();
        assertThat(set.positive().firstId()).isEqualTo(ids[0]);
        assertThat(set.warnings()).containsExactly("' Neutralish' is " + ids.length
                + " tokens; the lens reads its first token '" + tokenizer.decode(ids[0]) + "'");
    }

    @Test
    void labelsSharingAFirstTokenAreAnError() {
        needTokenizer();
        assertThatThrownBy(() -> LabelSet.of(new LabelWords(" positive", " positive!"), tokenizer))
                .isInstanceOf(PromptException.class)
                .hasMessageContaining("both begin with the token ' positive'")
                .hasMessageContaining("3967");
    }

    /** A toy vocabulary, so the rules are tested without the tokenizer too. */
    static final Map<String, int[]> TOY = Map.of(" yes", new int[] {1}, " no", new int[] {2},
            " yesish", new int[] {1, 7}, " nope", new int[] {2, 8});

    static LabelSet toy(String pos, String neg) {
        return LabelSet.of(new LabelWords(pos, neg), TOY::get, id -> id == 1 ? " yes" : id == 2 ? " no" : "?");
    }

    @Test
    void rulesWithAToyVocabulary() {
        assertThat(toy(" yes", " no").warnings()).isEmpty();
        assertThat(toy(" yesish", " no").warnings()).containsExactly("' yesish' is 2 tokens; the lens reads its first token ' yes'");
        assertThat(toy(" yesish", " nope").warnings()).hasSize(2);
        assertThatThrownBy(() -> toy(" yes", " yesish")).isInstanceOf(PromptException.class)
                .hasMessageContaining("' yes' and ' yesish' both begin with the token ' yes'");
        int[] ids = toy(" yesish", " no").positive().tokenIds();
        ids[0] = 99;
        assertThat(toy(" yesish", " no").positive().tokenIds()).containsExactly(1, 7);
    }
}
