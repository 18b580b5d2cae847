package dev.logitscope.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.testing.OptLikeTokenizer;
import dev.logitscope.testing.SharedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * merges.txt read as the slow GPT2Tokenizer reads it ({@code read().split("\n")[1:-1]}, each line
 * {@code split()}), which is what transformers' converter hands on.
 */
class MergesFileTest {
    private static final Map<String, Integer> VOCAB = OptLikeTokenizer.vocab();
    private static final Path FILE = Path.of("merges.txt");

    @Test
    void theHeaderLineAndTheEmptyPieceAfterTheLastLineBreakAreNotRules() {
        assertThat(MergesFile.parse("#version: 0.2\nĠ t\nĠ a\nh e\n", VOCAB, FILE)).containsExactly("Ġ t", "Ġ a", "h e");
        // Whatever the first line says, it is the header (the slow tokenizer skips line 0 unread).
        assertThat(MergesFile.parse("#version: 0.2 - Trained by huggingface/tokenizers\nĠ t\n", VOCAB, FILE))
                .containsExactly("Ġ t");
        assertThat(MergesFile.parse("Ġ a\nĠ t\n", VOCAB, FILE)).containsExactly("Ġ t");
    }

    @Test
    void aFileWithoutAFinalLineBreakLosesItsLastLineAsInTransformers() {
        // split("\n")[1:-1] drops the last piece, a rule when the file does not end with "\n".
        assertThat(MergesFile.parse("#version: 0.2\nĠ t\nĠ a", VOCAB, FILE)).containsExactly("Ġ t");
    }

    @Test
    void blankLinesCarriageReturnsAndRunsOfSpacesAreWhitespace() {
        assertThat(MergesFile.parse("#version: 0.2\r\nĠ t\r\n\r\n  Ġ   a \t\nh e\n\n", VOCAB, FILE))
                .containsExactly("Ġ t", "Ġ a", "h e");
    }

    @Test
    void aSpaceInsideATokenIsWrittenAsGAndARepeatedRuleKeepsItsFirstRank() {
        // "Ġt he" merges " t" and "he" into " the": the space is the Ġ character, not a separator.
        assertThat(MergesFile.parse("#version: 0.2\nĠ t\nh e\nĠt he\nĠ t\n", VOCAB, FILE))
                .containsExactly("Ġ t", "h e", "Ġt he");
    }

    @Test
    void aLineThatIsNotARuleIsNamed() {
        assertThatThrownBy(() -> MergesFile.parse("#version: 0.2\nĠ t\nĠ a b\n", VOCAB, FILE))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("line 3 has 3 tokens ('Ġ a b')");
        assertThatThrownBy(() -> MergesFile.parse("#version: 0.2\nĠt\n", VOCAB, FILE))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("line 2 has 1 tokens");
    }

    @Test
    void aRuleOutsideTheVocabularyIsNamed() {
        assertThatThrownBy(() -> MergesFile.parse("#version: 0.2\nĠ t\nq q\n", VOCAB, FILE))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("line 3 merges 'q' and 'q', but vocab.json has no 'qq'");
    }

    @Test
    void gpt2sMergesAreFiftyThousandRules() throws IOException {
        Path shared = SharedFiles.gpt2TokenizerOrSkip();
        Map<String, Integer> vocab = Gpt2Converter.vocab(shared.resolve("vocab.json"));
        String text = Files.readString(shared.resolve("merges.txt"), StandardCharsets.UTF_8);
        List<String> rules = MergesFile.parse(text, vocab, shared.resolve("merges.txt"));
        assertThat(vocab).hasSize(50257);
        assertThat(rules).hasSize(50000).startsWith("Ġ t", "Ġ a", "h e").endsWith("Ġg azed");
    }

    @Test
    void aVocabularyThatIsNotTokenToIdIsAClearError(@TempDir Path dir) throws IOException {
        Path vocab = Files.writeString(dir.resolve("vocab.json"), "{\"a\": 0, \"b\": \"one\"}");
        assertThatThrownBy(() -> Gpt2Converter.vocab(vocab)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("maps 'b' to \"one\"");
        Files.writeString(vocab, "[1, 2]");
        assertThatThrownBy(() -> Gpt2Converter.vocab(vocab)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("is not a JSON object");
        Files.write(vocab, new byte[] {'{', (byte) 0xff, '}'});
        assertThatThrownBy(() -> Gpt2Converter.vocab(vocab)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("not UTF-8");
    }
}
