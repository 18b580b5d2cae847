package dev.logitscope.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model folder's tokenizer is tokenizer.json, or vocab.json + merges.txt as older hub repos ship it. */
class ModelFolderTokenizerTest {

    private static Path folder(Path dir, String... files) throws IOException {
        Files.createDirectories(dir);
        for (String f : files) {
            Files.writeString(dir.resolve(f), "{}");
        }
        return dir;
    }

    @Test
    void vocabAndMergesStandInForTokenizerJson(@TempDir Path dir) throws Exception {
        Path f = folder(dir, "config.json", "model.safetensors", "vocab.json", "merges.txt");
        ModelFolder folder = new ModelFolder(f).requireFiles(true);
        assertThat(folder.hasTokenizer()).isTrue();
        assertThat(folder.vocab()).isEqualTo(f.resolve("vocab.json"));
        assertThat(folder.merges()).isEqualTo(f.resolve("merges.txt"));
        assertThat(folder.tokenizerConfig()).isEqualTo(f.resolve("tokenizer_config.json"));
        assertThat(folder.specialTokensMap()).isEqualTo(f.resolve("special_tokens_map.json"));
        assertThat(folder.addedTokens()).isEqualTo(f.resolve("added_tokens.json"));
        assertThat(new ModelFolder(folder(dir.resolve("json"), "config.json", "model.safetensors", "tokenizer.json"))
                .requireFiles(true).hasTokenizer()).isTrue();
    }

    @Test
    void aFolderWithHalfATokenizerSaysBothWays(@TempDir Path dir) throws Exception {
        Path f = folder(dir, "config.json", "model.safetensors", "vocab.json"); // no merges.txt
        assertThatThrownBy(() -> new ModelFolder(f).requireFiles(true)).isInstanceOf(ModelException.class)
                .hasMessageContaining("has no tokenizer.json (or vocab.json and merges.txt)")
                .hasMessageContaining("needs config.json, model.safetensors")
                .hasMessageContaining("and tokenizer.json (or vocab.json and merges.txt)");
        assertThat(new ModelFolder(f).requireFiles(false).hasTokenizer()).isFalse();
    }
}
