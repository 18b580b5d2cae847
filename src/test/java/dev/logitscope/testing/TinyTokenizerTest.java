package dev.logitscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TinyTokenizerTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "The cat sat on the mat.",
        "  leading and trailing spaces  ",
        "line one\nline two\r\n\ttabbed\n\n",
        "café é à ü ß — “quotes”",
        "emoji 😀👍🏽 and 🇩🇪 flags",
        "中文 日本語 한국어",
        "",
        "x",
        "it's 3.14159 + 2 = 5.14159!!! ???",
    })
    void decodeOfEncodeIsTheText(String text) throws IOException {
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(TinyTokenizer.writeTo(dir))) {
            int[] ids = tokenizer.encodeIds(text);
            assertThat(java.util.Arrays.stream(ids)).allMatch(id -> id >= 0 && id < TinyTokenizer.VOCAB_SIZE);
            assertThat(tokenizer.decode(ids)).isEqualTo(text);
        }
    }

    @Test
    void everyByteIsOneTokenAndRoundTrips() throws IOException {
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(TinyTokenizer.writeTo(dir))) {
            for (int b = 0; b < 128; b++) { // one-byte characters
                String text = String.valueOf((char) b);
                int[] ids = tokenizer.encodeIds(text);
                assertThat(ids).as("byte %d", b).hasSize(1);
                assertThat(tokenizer.decode(ids)).as("byte %d", b).isEqualTo(text);
            }
        }
    }

    @Test
    void mergesMakeSingleTokens() throws IOException {
        Map<String, Integer> vocab = TinyTokenizer.vocab();
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(TinyTokenizer.writeTo(dir))) {
            assertThat(tokenizer.encodeIds(" the")).containsExactly(vocab.get("Ġthe"));
            assertThat(tokenizer.encodeIds(" and")).containsExactly(vocab.get("Ġand"));
            assertThat(tokenizer.encodeIds("ing")).containsExactly(vocab.get("ing"));
            assertThat(tokenizer.encodeIds(" the cat")).containsExactly(
                    vocab.get("Ġthe"), vocab.get("Ġc"), vocab.get("at"));
            assertThat(tokenizer.encodeIds("the")).containsExactly(vocab.get("t"), vocab.get("he"));
            assertThat(tokenizer.decode(vocab.get("Ġthe"))).isEqualTo(" the");
        }
    }

    @Test
    void idsFollowGpt2ByteOrderAndEndOfTextIsLast() throws IOException {
        assertThat(TinyTokenizer.VOCAB_SIZE).isEqualTo(300);
        Map<String, Integer> vocab = TinyTokenizer.vocab();
        assertThat(vocab).hasSize(TinyTokenizer.VOCAB_SIZE);
        assertThat(vocab.get("!")).isZero();           // GPT-2: '!' is id 0
        assertThat(vocab.get("Ġ")).isEqualTo(220);      // GPT-2: space is id 220
        assertThat(vocab.get("Ċ")).isEqualTo(198);      // GPT-2: newline is id 198
        assertThat(vocab.get("Ġt")).isEqualTo(256);
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(TinyTokenizer.writeTo(dir))) {
            assertThat(tokenizer.decode(TinyTokenizer.END_OF_TEXT)).isEqualTo("<|endoftext|>");
            // In user text it is ordinary characters, as in OpenAI's encoder (see Gpt2TokenizerTest).
            assertThat(tokenizer.encodeIds("<|endoftext|>")).doesNotContain(TinyTokenizer.END_OF_TEXT);
            assertThat(tokenizer.encodeIds("\n")).containsExactly(198);
            assertThat(tokenizer.encodeIds(" ")).containsExactly(220);
        }
    }

    @Test
    void vocabularyIsAPrefixOfTheRealGpt2Vocabulary() throws IOException {
        Path real = SharedFiles.gpt2TokenizerOrSkip().resolve("tokenizer.json");
        JsonObject realVocab = JsonParser.parseString(Files.readString(real, StandardCharsets.UTF_8))
                .getAsJsonObject().getAsJsonObject("model").getAsJsonObject("vocab");
        TinyTokenizer.vocab().forEach((piece, id) -> {
            if (id != TinyTokenizer.END_OF_TEXT) {
                assertThat(realVocab.get(piece)).as(piece).isNotNull();
                assertThat(realVocab.get(piece).getAsInt()).as(piece).isEqualTo(id);
            }
        });
    }
}
