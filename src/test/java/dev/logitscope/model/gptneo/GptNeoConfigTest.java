package dev.logitscope.model.gptneo;

import static dev.logitscope.model.gptneo.AttentionType.GLOBAL;
import static dev.logitscope.model.gptneo.AttentionType.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFamilies;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** config.json as transformers' GPTNeoConfig reads it. */
class GptNeoConfigTest {
    /** EleutherAI/gpt-neo-125m's config.json, as on the hub (save_pretrained lists attention_layers too). */
    private static final String NEO_125M = "{\"activation_function\": \"gelu_new\", \"architectures\": [\"GPTNeoForCausalLM\"],"
            + " \"attention_dropout\": 0, \"attention_layers\": [\"global\", \"local\", \"global\", \"local\", \"global\", \"local\","
            + " \"global\", \"local\", \"global\", \"local\", \"global\", \"local\"],"
            + " \"attention_types\": [[[\"global\", \"local\"], 6]], \"bos_token_id\": 50256, \"embed_dropout\": 0,"
            + " \"eos_token_id\": 50256, \"gradient_checkpointing\": false, \"hidden_size\": 768, \"initializer_range\": 0.02,"
            + " \"intermediate_size\": null, \"layer_norm_epsilon\": 1e-05, \"max_position_embeddings\": 2048,"
            + " \"model_type\": \"gpt_neo\", \"num_heads\": 12, \"num_layers\": 12, \"resid_dropout\": 0,"
            + " \"summary_activation\": null, \"summary_first_dropout\": 0.1, \"summary_proj_to_labels\": true,"
            + " \"summary_type\": \"cls_index\", \"summary_use_proj\": true, \"torch_dtype\": \"float32\","
            + " \"transformers_version\": \"4.9.0.dev0\", \"use_cache\": true, \"vocab_size\": 50257, \"window_size\": 256}";

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    private static GptNeoConfig parse(String text) throws ModelException {
        return GptNeoConfig.parse(json(text), "c.json");
    }

    /** A small config with {@code extra} JSON members appended. */
    private static String small(String extra) {
        return "{\"model_type\": \"gpt_neo\", \"hidden_size\": 16, \"num_layers\": 4, \"num_heads\": 2,"
                + " \"max_position_embeddings\": 32, \"vocab_size\": 300" + extra + "}";
    }

    @Test
    void readsGptNeo125mWithItsAlternatingLayersAndWindow() throws ModelException {
        GptNeoConfig c = parse(NEO_125M);
        assertThat(c.nLayer()).isEqualTo(12);
        assertThat(c.nInner()).isEqualTo(3072);
        assertThat(c.headDim()).isEqualTo(64);
        assertThat(c.windowSize()).isEqualTo(256);
        assertThat(c.tiedEmbeddings()).isTrue();
        assertThat(c.attentionLayers()).hasSize(12).containsSequence(GLOBAL, LOCAL, GLOBAL, LOCAL);
        assertThat(c.parameterCount()).isEqualTo(125_198_592L); // gpt-neo-125m, tied head counted once
    }

    @Test
    void gptNeo13bHasItsPublishedSize() throws ModelException {
        GptNeoConfig c = parse("{\"model_type\": \"gpt_neo\", \"hidden_size\": 2048, \"num_layers\": 24, \"num_heads\": 16,"
                + " \"max_position_embeddings\": 2048, \"vocab_size\": 50257, \"attention_types\": [[[\"global\", \"local\"], 12]]}");
        assertThat(c.parameterCount()).isEqualTo(1_315_575_808L);
        assertThat(c.windowSize()).isEqualTo(256); // transformers' default
    }

    @Test
    void attentionTypesExpandEachPatternByItsCountInOrder() throws ModelException {
        GptNeoConfig c = parse(small(", \"attention_types\": [[[\"local\"], 1], [[\"global\", \"local\"], 1], [[\"global\"], 1]]"));
        assertThat(c.attentionLayers()).containsExactly(LOCAL, GLOBAL, LOCAL, GLOBAL);
        // Without attention_types, transformers' default [[["global", "local"], 12]] needs 24 layers.
        GptNeoConfig defaulted = parse(small("").replace("\"num_layers\": 4", "\"num_layers\": 24"));
        assertThat(defaulted.attentionLayers()).hasSize(24).startsWith(GLOBAL, LOCAL);
    }

    @Test
    void aListedAttentionLayersIsSetOverTheExpansionAsTransformersDoes() throws ModelException {
        GptNeoConfig c = parse(small(", \"attention_types\": [[[\"global\"], 4]],"
                + " \"attention_layers\": [\"local\", \"local\", \"global\", \"local\"]"));
        assertThat(c.attentionLayers()).containsExactly(LOCAL, LOCAL, GLOBAL, LOCAL);
    }

    @Test
    void theOtherNamesOfLayersAndHeadsAreRead() throws ModelException {
        GptNeoConfig c = parse(small(", \"attention_types\": [[[\"global\"], 4]]")
                .replace("\"num_layers\"", "\"num_hidden_layers\"").replace("\"num_heads\"", "\"num_attention_heads\""));
        assertThat(c.nLayer()).isEqualTo(4);
        assertThat(c.nHead()).isEqualTo(2);
        assertThatThrownBy(() -> parse(small(", \"attention_types\": [[[\"global\"], 4]], \"num_attention_heads\": 4")))
                .hasMessageContaining("\"num_heads\": 2").hasMessageContaining("\"num_attention_heads\": 4");
    }

    @Test
    void anUntiedHeadCountsItsOwnParameters() throws ModelException {
        GptNeoConfig tied = parse(small(", \"attention_types\": [[[\"global\"], 4]]"));
        GptNeoConfig untied = parse(small(", \"attention_types\": [[[\"global\"], 4]], \"tie_word_embeddings\": false"));
        assertThat(untied.tiedEmbeddings()).isFalse();
        assertThat(untied.parameterCount() - tied.parameterCount()).isEqualTo(300L * 16);
    }

    @Test
    void badAttentionTypesAreClearErrors() {
        assertThatThrownBy(() -> parse(small(", \"attention_types\": [[[\"global\", \"local\"], 3]]")))
                .isInstanceOf(ModelException.class).hasMessageContaining("expands to 6 layers but num_layers is 4");
        assertThatThrownBy(() -> parse(small(", \"attention_types\": [[[\"global\", \"sparse\"], 2]]")))
                .hasMessageContaining("'sparse'").hasMessageContaining("\"global\" or \"local\"");
        assertThatThrownBy(() -> parse(small(", \"attention_types\": [\"global\", 4]")))
                .hasMessageContaining("not a [list of types, repeats] pair");
        assertThatThrownBy(() -> parse(small(", \"attention_types\": [[[\"global\"], 2.5]]")))
                .hasMessageContaining("not an integer");
        assertThatThrownBy(() -> parse(small(", \"attention_types\": [[[\"global\"], 4]], \"attention_layers\": [\"global\"]")))
                .hasMessageContaining("attention_layers names 1 layers but num_layers is 4");
        assertThatThrownBy(() -> parse(small("")))
                .hasMessageContaining("the default").hasMessageContaining("expands to 24 layers");
    }

    @Test
    void badValuesAreClearErrors() {
        String ok = ", \"attention_types\": [[[\"global\", \"local\"], 2]]";
        assertThatThrownBy(() -> parse(small(ok + ", \"window_size\": 0"))).hasMessageContaining("window_size must be at least 1");
        assertThatThrownBy(() -> parse(small(ok + ", \"activation_function\": \"relu\"")))
                .hasMessageContaining("activation_function 'relu' is not supported");
        assertThatThrownBy(() -> parse(small(ok).replace("\"num_heads\": 2", "\"num_heads\": 3")))
                .hasMessageContaining("multiple of num_heads");
        assertThatThrownBy(() -> parse(small(ok).replace("\"hidden_size\": 16, ", "")))
                .hasMessageContaining("has no \"hidden_size\"");
        assertThatThrownBy(() -> parse(small(ok + ", \"layer_norm_epsilon\": \"1e-05\"")))
                .hasMessageStartingWith("c.json: layer_norm_epsilon: \"1e-05\" is not a number");
        assertThatThrownBy(() -> parse(small(ok + ", \"tie_word_embeddings\": \"false\"")))
                .hasMessageContaining("is not true or false");
        assertThatThrownBy(() -> parse(small(ok).replace("gpt_neo", "gpt2"))).hasMessageContaining("not a GPT-Neo");
    }

    @Test
    void theRegistryFindsGptNeoByModelTypeAndByArchitecture() throws ModelException {
        assertThat(ModelFamilies.forConfig(json("{\"model_type\": \"gpt_neo\"}"), "c")).isInstanceOf(GptNeoFamily.class);
        assertThat(ModelFamilies.forConfig(json("{\"architectures\": [\"GPTNeoForCausalLM\"]}"), "c"))
                .isInstanceOf(GptNeoFamily.class);
        assertThat(ModelFamilies.supported()).contains("gpt_neo");
    }

    @Test
    void theConstructorChecksOneTypePerLayer() {
        assertThatThrownBy(() -> new GptNeoConfig(3, 16, 2, 32, 300, 64, 1e-5, 4, Collections.nCopies(2, GLOBAL), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 layers but num_layers is 3");
        assertThat(new GptNeoConfig(1, 16, 2, 32, 300, 64, 1e-5, 4, List.of(LOCAL), true).attentionLayers()).containsExactly(LOCAL);
    }
}
