package dev.logitscope.model.gpt2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one place where Hugging Face config names are read. */
class Gpt2ConfigTest {
    private static final String GPT2 = "{\"model_type\": \"gpt2\", \"n_layer\": 12, \"n_embd\": 768, \"n_head\": 12,"
            + " \"n_positions\": 1024, \"vocab_size\": 50257, \"n_inner\": null, \"layer_norm_epsilon\": 1e-05,"
            + " \"activation_function\": \"gelu_new\"";

    @Test
    void readsGpt2AndDerivesTheMlpWidth() throws ModelException {
        Gpt2Config c = Gpt2Config.parse(GPT2 + "}", "config.json");
        assertThat(c.nLayer()).isEqualTo(12);
        assertThat(c.nInner()).isEqualTo(3072);
        assertThat(c.headDim()).isEqualTo(64);
        assertThat(c.parameterCount()).isEqualTo(124_439_808L); // gpt2 with the tied unembedding counted once
    }

    @Test
    void refusesAttentionVariantsItDoesNotImplement() {
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2 + ", \"scale_attn_by_inverse_layer_idx\": true}", "config.json"))
                .isInstanceOf(ModelException.class).hasMessageContaining("scale_attn_by_inverse_layer_idx");
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2 + ", \"scale_attn_weights\": false}", "config.json"))
                .isInstanceOf(ModelException.class).hasMessageContaining("scale_attn_weights");
    }

    @Test
    void badConfigsAreClearErrors() {
        assertThatThrownBy(() -> Gpt2Config.parse("[1, 2]", "c.json")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> Gpt2Config.parse("{\"model_type\": \"llama\"}", "c.json")).hasMessageContaining("llama");
        assertThatThrownBy(() -> Gpt2Config.parse("{\"n_layer\": 2}", "c.json")).hasMessageContaining("n_embd");
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2.replace("\"n_head\": 12", "\"n_head\": 7") + "}", "c.json"))
                .hasMessageContaining("multiple of n_head");
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2.replace("\"n_layer\": 12", "\"n_layer\": 1.5") + "}", "c.json"))
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> Gpt2Config.parse("{not json", "c.json")).hasMessageContaining("not valid JSON");
    }

    @Test
    void aStringWhereANumberBelongsIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2.replace("1e-05", "\"abc\"") + "}", "c.json"))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("c.json: layer_norm_epsilon: \"abc\" is not a number");
        // Text that looks like a number is still text: transformers would not read it as one.
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2.replace("1e-05", "\"1e-05\"") + "}", "c.json"))
                .hasMessageStartingWith("c.json: layer_norm_epsilon: \"1e-05\" is not a number");
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2.replace("\"n_layer\": 12", "\"n_layer\": \"12\"") + "}", "c.json"))
                .hasMessageStartingWith("c.json: n_layer: \"12\" is not a number");
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2.replace("\"n_inner\": null", "\"n_inner\": \"3072\"") + "}", "c.json"))
                .hasMessageStartingWith("c.json: n_inner: \"3072\" is not a number");
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2.replace("1e-05", "null") + "}", "c.json"))
                .hasMessageStartingWith("c.json: layer_norm_epsilon: null is not a number");
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2.replace("\"n_head\": 12", "\"n_head\": true") + "}", "c.json"))
                .hasMessageStartingWith("c.json: n_head: true is not a number");
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2.replace("\"n_layer\": 12", "\"n_layer\": 12.5") + "}", "c.json"))
                .hasMessageStartingWith("c.json: n_layer: 12.5 is not an integer");
    }

    @Test
    void flagsAndNamesMustHaveTheirJsonType() {
        // "false" as text would be read as the default (true) today, or as truthy by Python.
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2 + ", \"scale_attn_weights\": \"false\"}", "c.json"))
                .hasMessageStartingWith("c.json: scale_attn_weights: \"false\" is not true or false");
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2 + ", \"scale_attn_by_inverse_layer_idx\": 1}", "c.json"))
                .hasMessageStartingWith("c.json: scale_attn_by_inverse_layer_idx: 1 is not true or false");
        assertThatThrownBy(() -> Gpt2Config.parse(GPT2.replace("\"gelu_new\"", "7") + "}", "c.json"))
                .hasMessageStartingWith("c.json: activation_function: 7 is not a string");
    }

    @Test
    void wellTypedValuesStillRead() throws ModelException {
        Gpt2Config c = Gpt2Config.parse(GPT2.replace("1e-05", "1e-6").replace("\"n_layer\": 12", "\"n_layer\": 12.0")
                + ", \"scale_attn_weights\": true, \"scale_attn_by_inverse_layer_idx\": false}", "c.json");
        assertThat(c.nLayer()).isEqualTo(12);
        assertThat(c.layerNormEpsilon()).isEqualTo(1e-6);
        assertThat(Gpt2Config.parse(GPT2.replace(", \"layer_norm_epsilon\": 1e-05", "") + "}", "c.json").layerNormEpsilon())
                .isEqualTo(1e-5);
    }

    @Test
    void anUnreadableConfigSaysPermissionDeniedWithItsPath(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "needs POSIX permissions");
        Path file = Files.writeString(dir.resolve("config.json"), GPT2 + "}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(file), "running as root: permissions are not enforced");
            assertThatThrownBy(() -> Gpt2Config.read(file))
                    .isInstanceOf(ModelException.class)
                    .hasMessageStartingWith("Cannot read " + file + ": permission denied.");
        } finally {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }
}
