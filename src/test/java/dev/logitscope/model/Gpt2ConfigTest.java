package dev.logitscope.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

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
}
