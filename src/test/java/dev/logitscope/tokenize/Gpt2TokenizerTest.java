package dev.logitscope.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.testing.SharedFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real GPT-2 tokenizer: ids, no truncation, UTF-16 offsets, display forms. */
class Gpt2TokenizerTest {

    @Test
    void realGpt2Ids() {
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(SharedFiles.gpt2TokenizerOrSkip())) {
            assertThat(tokenizer.encodeIds("Hello world")).containsExactly(15496, 995);
            assertThat(tokenizer.encodeIds(" positive")).containsExactly(3967);
            assertThat(tokenizer.encodeIds(" negative")).containsExactly(4633);
            assertThat(tokenizer.encodeIds(" Positive")).containsExactly(33733);
            assertThat(tokenizer.encodeIds(" Negative")).containsExactly(36183);
        }
    }

    @Test
    void endOfTextInUserTextIsOrdinaryTextAsInOpenAisEncoder() {
        // Ids from OpenAI's encoder.py (bytes_to_unicode + bpe over vocab.json/merges.txt), which has
        // no special tokens: the characters are text, never id 50256.
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(SharedFiles.gpt2TokenizerOrSkip())) {
            assertThat(tokenizer.encodeIds("<|endoftext|>")).containsExactly(27, 91, 437, 1659, 5239, 91, 29);
            assertThat(tokenizer.encodeIds("a film <|endoftext|>Review: great"))
                    .containsExactly(64, 2646, 1279, 91, 437, 1659, 5239, 91, 29, 14832, 25, 1049);
            assertThat(tokenizer.encode(" <|endoftext|>")).extracting(Token::id)
                    .containsExactly(1279, 91, 437, 1659, 5239, 91, 29);
            // The id itself still decodes: the lens may rank it among the top tokens.
            assertThat(tokenizer.decode(50256)).isEqualTo("<|endoftext|>");
        }
    }

    @Test
    void longPromptsAreNeverTruncated() {
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(SharedFiles.gpt2TokenizerOrSkip())) {
            String text = " good".repeat(2000); // DJL's default would cut this at 512 tokens
            assertThat(tokenizer.encodeIds(text)).hasSize(2000);
        }
    }

    @Test
    void offsetsAreJavaStringIndicesEvenAfterEmojiAndAccents() {
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(SharedFiles.gpt2TokenizerOrSkip())) {
            String text = "Café 😀 was très good";
            List<Token> tokens = tokenizer.encode(text);
            Token good = tokens.get(tokens.size() - 1);
            assertThat(good.text()).isEqualTo(" good");
            assertThat(text.substring(good.start(), good.end())).isEqualTo(" good");
            Token tres = tokens.stream().filter(t -> t.text().contains("tr")).findFirst().orElseThrow();
            assertThat(text.substring(tres.start(), tres.end())).isEqualTo(tres.text());
            assertThat(tokens.get(0).start()).isZero();
            StringBuilder joined = new StringBuilder();
            tokens.forEach(t -> joined.append(t.text()));
            // The emoji spans several byte-level tokens; each alone decodes to U+FFFD, together to the emoji.
            assertThat(tokenizer.decode(tokens.stream().mapToInt(Token::id).toArray())).isEqualTo(text);
        }
    }

    @Test
    void displayMakesWhitespaceAndControlCharactersVisible() {
        assertThat(TokenDisplay.visible(" the")).isEqualTo("␣the");
        assertThat(TokenDisplay.visible("\n\n")).isEqualTo("↵↵");
        assertThat(TokenDisplay.visible("\t")).isEqualTo("⇥");
        assertThat(TokenDisplay.visible("\u0001x\u007f")).isEqualTo("\u2401x\u2421");
        assertThat(TokenDisplay.visible("\u0085")).isEqualTo("\ufffd");
        assertThat(TokenDisplay.visible("é")).isEqualTo("é");
    }

    @Test
    void aMissingTokenizerIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> Gpt2Tokenizer.open(dir)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("tokenizer.json").hasMessageContaining("does not exist");
    }

    @Test
    void aCorruptTokenizerIsAClearError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        java.nio.file.Files.writeString(file, "{\"model\": 42");
        assertThatThrownBy(() -> Gpt2Tokenizer.open(file)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("Cannot read the tokenizer");
    }
}
