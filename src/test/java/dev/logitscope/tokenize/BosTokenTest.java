package dev.logitscope.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.testing.OptLikeTokenizer;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BOS a model's tokenizer config asks for (OPT's {@code </s>}, id 2) starts every prompt, as
 * transformers' {@code tokenizer(text)} gives it; label words and other pieces of text never get it.
 */
class BosTokenTest {

    /**
     * Ids of the OPT-like files by an independent Python re-implementation of the slow GPT-2 BPE
     * (bytes_to_unicode + bpe over vocab.json/merges.txt), without the BOS.
     */
    static final int[] HELLO_WORLD = {43, 72, 79, 79, 82, 270, 277, 79, 71};
    static final int[] PROMPT = {53, 72, 89, 76, 72, 90, 29, 266, 281, 76, 79, 80, 224, 275, 224, 265, 261, 87, 260, 272,
        17, 202, 54, 272, 87, 76, 80, 272, 87, 29};
    static final String PROMPT_TEXT = "Review: the film is on at ten.\nSentiment:";

    @Test
    void anOptFolderWithVocabAndMergesStartsEveryPromptWithItsBos(@TempDir Path dir) throws IOException {
        OptLikeTokenizer.writeVocabAndMerges(dir);
        OptLikeTokenizer.writeConfig(dir, true);
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(files(dir))) {
            assertThat(tokenizer.promptPrefix()).containsExactly(new Token(2, "", "</s>", -1, -1, true));
            assertThat(tokenizer.encodeIds("Hello world")).containsExactly(HELLO_WORLD);
            assertThat(tokenizer.encodePrompt("Hello world")).extracting(Token::id)
                    .containsExactly(2, 43, 72, 79, 79, 82, 270, 277, 79, 71);
            assertThat(tokenizer.encodePrompt(PROMPT_TEXT)).extracting(Token::id)
                    .containsExactlyElementsOf(withBos(PROMPT));
            assertThat(tokenizer.promptLength(PROMPT_TEXT)).isEqualTo(PROMPT.length + 1);
            // The text's tokens keep their offsets; only the BOS is special.
            List<Token> tokens = tokenizer.encodePrompt(PROMPT_TEXT);
            assertThat(tokens.subList(1, tokens.size())).isEqualTo(tokenizer.encode(PROMPT_TEXT))
                    .noneMatch(Token::special);
            assertThat(tokenizer.decode(2)).isEqualTo("</s>");
        }
    }

    @Test
    void labelWordsNeverGetTheBos(@TempDir Path dir) throws IOException {
        OptLikeTokenizer.writeVocabAndMerges(dir);
        OptLikeTokenizer.writeConfig(dir, true);
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(files(dir))) {
            // Python: " positive" → [283, 82, 86, 274, 76, 89, 72], " negative" → [224, 81, 72, 74, 269, 76, 89, 72]
            assertThat(tokenizer.encodeIds(" positive")).containsExactly(283, 82, 86, 274, 76, 89, 72);
            assertThat(tokenizer.encodeIds(" negative")).containsExactly(224, 81, 72, 74, 269, 76, 89, 72);
            assertThat(tokenizer.encode(" positive")).noneMatch(Token::special);
        }
    }

    @Test
    void theHubTokenizerJsonOfOptAddsTheSameBosThroughItsTemplate(@TempDir Path dir) throws IOException {
        // OPT's hub tokenizer.json has TemplateProcessing("</s>:0 $A:0"): tokenizer(text) starts with 2
        // even without a tokenizer_config.json; with the config it is the same single BOS.
        Files.writeString(dir.resolve("tokenizer.json"), OptLikeTokenizer.tokenizerJson(), StandardCharsets.UTF_8);
        try (Gpt2Tokenizer alone = Gpt2Tokenizer.open(dir)) {
            assertThat(alone.encodePrompt(PROMPT_TEXT)).extracting(Token::id).containsExactlyElementsOf(withBos(PROMPT));
            assertThat(alone.promptPrefix()).containsExactly(Token.special(2, "</s>"));
        }
        OptLikeTokenizer.writeConfig(dir, true);
        try (Gpt2Tokenizer withConfig = Gpt2Tokenizer.open(files(dir))) {
            assertThat(withConfig.encodePrompt(PROMPT_TEXT)).extracting(Token::id)
                    .containsExactlyElementsOf(withBos(PROMPT));
            // "</s>" typed in a review is text, as <|endoftext|> is for GPT-2 (Python: [31, 18, 86, 33, ...]).
            assertThat(withConfig.encodeIds("</s> in text")).containsExactly(31, 18, 86, 33, 291, 260, 72, 91, 87);
        }
    }

    @Test
    void addBosTokenInTheConfigAddsItOverATokenizerJsonThatAddsNothing(@TempDir Path dir) throws IOException {
        // A tokenizer.json whose post-processor adds nothing (ByteLevel), with OPT's config: BOS, as the
        // slow tokenizer and transformers' rebuilt post-processor give.
        String json = OptLikeTokenizer.tokenizerJson(false);
        assertThat(json).doesNotContain("TemplateProcessing");
        Files.writeString(dir.resolve("tokenizer.json"), json, StandardCharsets.UTF_8);
        OptLikeTokenizer.writeConfig(dir, true);
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(files(dir))) {
            assertThat(tokenizer.promptPrefix()).containsExactly(Token.special(2, "</s>"));
        }
        OptLikeTokenizer.writeConfig(dir, false);
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(files(dir))) {
            assertThat(tokenizer.promptPrefix()).isEmpty();
            assertThat(tokenizer.encodePrompt(PROMPT_TEXT)).extracting(Token::id).containsExactly(
                    IntStream.of(PROMPT).boxed().toArray(Integer[]::new));
        }
    }

    @Test
    void withoutAddBosTokenTheVocabFolderAddsNothing(@TempDir Path dir) throws IOException {
        OptLikeTokenizer.writeVocabAndMerges(dir);
        OptLikeTokenizer.writeConfig(dir, false);
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(files(dir))) {
            assertThat(tokenizer.promptPrefix()).isEmpty();
            assertThat(tokenizer.encodePrompt("Hello world")).extracting(Token::id).containsExactly(
                    IntStream.of(HELLO_WORLD).boxed().toArray(Integer[]::new));
        }
    }

    @Test
    void gpt2sOwnConfigAsksForNoBos() {
        // GPT-2's tokenizer_config.json names bos_token <|endoftext|> but not add_bos_token.
        Path shared = SharedFiles.gpt2TokenizerOrSkip();
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(files(shared))) {
            assertThat(tokenizer.promptPrefix()).isEmpty();
            assertThat(tokenizer.encodePrompt("Hello world")).extracting(Token::id).containsExactly(15496, 995);
        }
    }

    @Test
    void specialTokensMapNamesTheBosOverTheConfig(@TempDir Path dir) throws IOException {
        OptLikeTokenizer.writeVocabAndMerges(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": true, \"bos_token\": \"<s>\"}");
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(files(dir))) {
            assertThat(tokenizer.promptPrefix()).containsExactly(Token.special(0, "<s>"));
        }
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"bos_token\": {\"content\": \"</s>\"}}");
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(files(dir))) {
            assertThat(tokenizer.promptPrefix()).containsExactly(Token.special(2, "</s>"));
        }
    }

    @Test
    void addBosTokenWithoutABosTokenInTheVocabularyIsAClearError(@TempDir Path dir) throws IOException {
        // GPT2Tokenizer's default bos_token is <|endoftext|>, which the OPT-like vocabulary lacks.
        OptLikeTokenizer.writeVocabAndMerges(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": true}");
        assertThatThrownBy(() -> Gpt2Tokenizer.open(files(dir))).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("add_bos_token: true").hasMessageContaining("'<|endoftext|>'")
                .hasMessageContaining("vocab.json");
    }

    @Test
    void addPrefixSpaceInTheConfigPutsASpaceBeforeTheText(@TempDir Path dir) throws IOException {
        OptLikeTokenizer.writeVocabAndMerges(dir);
        try (Gpt2Tokenizer plain = Gpt2Tokenizer.open(files(dir))) {
            int[] spaced = plain.encodeIds(" positive");
            Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_prefix_space\": true}");
            try (Gpt2Tokenizer prefixed = Gpt2Tokenizer.open(files(dir))) {
                assertThat(prefixed.encodeIds("positive")).containsExactly(spaced);
                assertThat(prefixed.encodeIds(" positive")).containsExactly(spaced); // ByteLevel adds none before a space
            }
        }
    }

    @Test
    void aBadConfigIsAClearError(@TempDir Path dir) throws IOException {
        OptLikeTokenizer.writeVocabAndMerges(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": \"yes\"}");
        assertThatThrownBy(() -> Gpt2Tokenizer.open(files(dir))).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("tokenizer_config.json").hasMessageContaining("add_bos_token is \"yes\"");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": tru");
        assertThatThrownBy(() -> Gpt2Tokenizer.open(files(dir))).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("tokenizer_config.json").hasMessageContaining("not valid JSON");
    }

    @Test
    void aFolderWithNeitherTokenizerSaysWhatItNeeds(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("vocab.json"), "{\"a\": 0}"); // no merges.txt
        assertThatThrownBy(() -> Gpt2Tokenizer.open(files(dir))).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("tokenizer.json, or vocab.json and merges.txt");
    }

    @Test
    void tinyTokenizerJsonStillAddsNothing(@TempDir Path dir) throws IOException {
        TinyTokenizer.writeTo(dir);
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(files(dir))) {
            assertThat(tokenizer.promptPrefix()).isEmpty();
        }
    }

    static TokenizerFiles files(Path dir) {
        return VocabMergesTokenizerTest.files(dir, dir.resolve("tokenizer.json"));
    }

    private static List<Integer> withBos(int[] ids) {
        return IntStream.concat(IntStream.of(2), IntStream.of(ids)).boxed().toList();
    }
}
