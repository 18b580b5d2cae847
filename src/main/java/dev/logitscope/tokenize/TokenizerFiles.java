package dev.logitscope.tokenize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a model's tokenizer files are, as the model folder names them (the names live in
 * {@code model.ModelFolder}); any of them may be absent. A tokenizer is {@code tokenizer.json},
 * or else {@code vocab.json} + {@code merges.txt} (as transformers converts a slow GPT-2
 * tokenizer); the config files say which special tokens the model asks for.
 *
 * @param tokenizerJson    {@code tokenizer.json}
 * @param vocab            {@code vocab.json}
 * @param merges           {@code merges.txt}
 * @param tokenizerConfig  {@code tokenizer_config.json}
 * @param specialTokensMap {@code special_tokens_map.json}
 * @param addedTokens      {@code added_tokens.json}
 */
public record TokenizerFiles(Path tokenizerJson, Path vocab, Path merges, Path tokenizerConfig,
        Path specialTokensMap, Path addedTokens) {

    public TokenizerFiles {
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        Objects.requireNonNull(vocab, "vocab");
        Objects.requireNonNull(merges, "merges");
        Objects.requireNonNull(tokenizerConfig, "tokenizerConfig");
        Objects.requireNonNull(specialTokensMap, "specialTokensMap");
        Objects.requireNonNull(addedTokens, "addedTokens");
    }

    /** Whether {@code tokenizer.json} is there: then it is the tokenizer, as transformers prefers it. */
    public boolean hasTokenizerJson() {
        return Files.isRegularFile(tokenizerJson);
    }

    /** Whether both {@code vocab.json} and {@code merges.txt} are there. */
    public boolean hasVocabAndMerges() {
        return Files.isRegularFile(vocab) && Files.isRegularFile(merges);
    }
}
