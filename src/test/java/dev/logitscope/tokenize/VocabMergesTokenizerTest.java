package dev.logitscope.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.testing.SharedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder with {@code vocab.json} + {@code merges.txt} and no {@code tokenizer.json} tokenizes as
 * the tokenizer.json that transformers' converter made of the same files: the real GPT-2 files of
 * ../shared carry both, so the two sources must agree token for token.
 */
class VocabMergesTokenizerTest {

    /** Texts where byte-level BPE is easy to get wrong. */
    static final List<String> TRICKY = List.of(
            "Hello world", " positive", " Negative", "", " ", "  ", "\n", "\n\n", "a\r\nb", "\ttab\t",
            "  two  spaces   and  trailing  ", "line one\nline two\n\nline four",
            "<|endoftext|>", "a film <|endoftext|>Review: great", " <|endoftext|> ", "</s> <s> <pad>",
            "Café 😀 was très good", "emoji 👍🏽👨‍👩‍👧 flags 🇫🇷", "non-BMP 𝕏 𐍈 𝄞 and CJK 映画は素晴らしい",
            "it's don't I'll we've THEY'RE", "numbers 1234567 3.14 -42", "ÿ\u00a0nbsp\u2009thin\u200bzero-width",
            "\u0000\u0001 control \u007f\u0085", "Ġ literal Ġ and Ċ", "ĠĠ", "a" .repeat(300));

    @Test
    void everySst2DevSentenceGetsTheTokensOfTokenizerJson(@TempDir Path empty) throws IOException {
        Path shared = SharedFiles.gpt2TokenizerOrSkip();
        Path dev = SharedFiles.sst2OrSkip().resolve("stsa.binary.dev");
        List<String> sentences = new ArrayList<>();
        for (String line : Files.readAllLines(dev, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                sentences.add(line.substring(2)); // "L sentence"
            }
        }
        assertThat(sentences).hasSize(872);
        try (Gpt2Tokenizer json = Gpt2Tokenizer.open(files(shared, shared.resolve("tokenizer.json")));
                Gpt2Tokenizer converted = Gpt2Tokenizer.open(files(shared, empty.resolve("tokenizer.json")))) {
            int tokens = 0;
            for (String sentence : sentences) {
                for (String text : List.of(sentence, " " + sentence, "Review: " + sentence + "\nSentiment:")) {
                    List<Token> expected = json.encode(text);
                    assertThat(converted.encode(text)).as(text).isEqualTo(expected);
                    tokens += expected.size();
                }
            }
            assertThat(tokens).isGreaterThan(3 * 872 * 10);
        }
    }

    @Test
    void trickyTextsGetTheTokensOfTokenizerJson(@TempDir Path empty) {
        Path shared = SharedFiles.gpt2TokenizerOrSkip();
        try (Gpt2Tokenizer json = Gpt2Tokenizer.open(files(shared, shared.resolve("tokenizer.json")));
                Gpt2Tokenizer converted = Gpt2Tokenizer.open(files(shared, empty.resolve("tokenizer.json")))) {
            for (String text : TRICKY) {
                assertThat(converted.encode(text)).as(text).isEqualTo(json.encode(text));
            }
            // Ids from OpenAI's encoder (bytes_to_unicode + bpe over the same files): text, never id 50256.
            assertThat(converted.encodeIds("a film <|endoftext|>Review: great"))
                    .containsExactly(64, 2646, 1279, 91, 437, 1659, 5239, 91, 29, 14832, 25, 1049);
            assertThat(converted.encodeIds("Hello world")).containsExactly(15496, 995);
            assertThat(converted.decode(50256)).isEqualTo("<|endoftext|>");
            assertThat(converted.decode(converted.encodeIds("Café 😀 was très good"))).isEqualTo("Café 😀 was très good");
            // GPT-2's config asks for no BOS: nothing goes before a prompt.
            assertThat(converted.promptPrefix()).isEmpty();
            assertThat(json.promptPrefix()).isEmpty();
        }
    }

    @Test
    void theConvertedTokenizerIsGpt2sTokenizerJson() {
        // GPT-2's hub tokenizer.json is what the converter made of its vocab.json and merges.txt:
        // every part of it — model settings, vocabulary, merges in order, the pre-tokenizer,
        // post-processor and decoder settings, the added tokens — must come out the same.
        Path shared = SharedFiles.gpt2TokenizerOrSkip();
        TokenizerFiles files = files(shared, shared.resolve("absent-tokenizer.json"));
        JsonObject converted = Gpt2Converter.tokenizerJson(files.vocab(), files.merges(), TokenizerConfig.read(files));
        JsonObject hub = JsonParser.parseString(read(shared.resolve("tokenizer.json"))).getAsJsonObject();
        assertThat(converted.keySet()).containsExactlyInAnyOrderElementsOf(hub.keySet());
        for (String key : hub.keySet()) {
            assertThat(converted.get(key)).as(key).isEqualTo(hub.get(key));
        }
    }

    static TokenizerFiles files(Path folder, Path tokenizerJson) {
        return new TokenizerFiles(tokenizerJson, folder.resolve("vocab.json"), folder.resolve("merges.txt"),
                folder.resolve("tokenizer_config.json"), folder.resolve("special_tokens_map.json"),
                folder.resolve("added_tokens.json"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
