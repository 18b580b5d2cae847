package dev.logitscope.model.opt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFamilies;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config.json read as transformers' OPTConfig reads it: its defaults, the released shapes, clear refusals. */
class OptConfigTest {
    /** facebook/opt-125m's config.json. */
    static final String OPT_125M = "{\"_name_or_path\": \"facebook/opt-125m\", \"activation_dropout\": 0.0,"
            + " \"activation_function\": \"relu\", \"architectures\": [\"OPTForCausalLM\"], \"attention_dropout\": 0.0,"
            + " \"bos_token_id\": 2, \"do_layer_norm_before\": true, \"dropout\": 0.1, \"eos_token_id\": 2,"
            + " \"ffn_dim\": 3072, \"hidden_size\": 768, \"init_std\": 0.02, \"layerdrop\": 0.0,"
            + " \"max_position_embeddings\": 2048, \"model_type\": \"opt\", \"num_attention_heads\": 12,"
            + " \"num_hidden_layers\": 12, \"pad_token_id\": 1, \"prefix\": \"</s>\", \"torch_dtype\": \"float16\","
            + " \"transformers_version\": \"4.21.0.dev0\", \"use_cache\": true, \"vocab_size\": 50272,"
            + " \"word_embed_proj_dim\": 768}";
    /** facebook/opt-350m's config.json: post-LN, 512-wide token embeddings. */
    static final String OPT_350M = OPT_125M.replace("opt-125m", "opt-350m")
            .replace("\"do_layer_norm_before\": true", "\"do_layer_norm_before\": false")
            .replace("\"ffn_dim\": 3072", "\"ffn_dim\": 4096").replace("\"hidden_size\": 768", "\"hidden_size\": 1024")
            .replace("\"num_attention_heads\": 12", "\"num_attention_heads\": 16")
            .replace("\"num_hidden_layers\": 12", "\"num_hidden_layers\": 24")
            .replace("\"word_embed_proj_dim\": 768", "\"word_embed_proj_dim\": 512");

    private static OptConfig parse(String json) throws ModelException {
        return OptConfig.parse(JsonParser.parseString(json).getAsJsonObject(), "config.json");
    }

    @Test
    void theReleasedShapesAndTheirParameterCounts() throws Exception {
        OptConfig small = parse(OPT_125M);
        assertThat(small.hasProjections()).isFalse();
        assertThat(small.hasFinalLayerNorm()).isTrue();
        assertThat(small.headDim()).isEqualTo(64);
        assertThat(small.parameterCount()).isEqualTo(125_239_296L); // OPTForCausalLM("facebook/opt-125m").num_parameters()
        assertThat(small.readoutDescription()).isEqualTo("final norm, then unembedding");

        OptConfig medium = parse(OPT_350M);
        assertThat(medium.hasProjections()).isTrue();
        assertThat(medium.hasFinalLayerNorm()).isFalse();
        assertThat(medium.wordEmbedProjDim()).isEqualTo(512);
        assertThat(medium.parameterCount()).isEqualTo(331_196_416L); // facebook/opt-350m
        assertThat(medium.readoutDescription()).isEqualTo("post-LN, no final norm");
    }

    @Test
    void absentKeysTakeOptConfigsDefaults() throws Exception {
        OptConfig c = parse("{\"model_type\": \"opt\"}");
        assertThat(c).isEqualTo(new OptConfig(768, 12, 12, 3072, 2048, 50272, 768, true, false, true, true,
                OptActivation.RELU, true));
        assertThat(parse("{\"hidden_size\": 64, \"num_attention_heads\": 4, \"word_embed_proj_dim\": null}")
                .wordEmbedProjDim()).isEqualTo(64); // word_embed_proj_dim defaults to hidden_size
        OptConfig removed = parse("{\"_remove_final_layer_norm\": true}");
        assertThat(removed.hasFinalLayerNorm()).isFalse();
        assertThat(removed.readoutDescription()).isEqualTo("pre-LN, no final norm");
        assertThat(parse("{\"tie_word_embeddings\": false}").parameterCount() - c.parameterCount())
                .isEqualTo(50272L * 768); // an untied lm_head counts
    }

    @Test
    void badValuesAreRefusedWithTheKeyNamed() {
        Map<String, String> refusals = Map.of(
                "{\"activation_function\": \"tanh\"}", "activation_function 'tanh' is not supported",
                "{\"hidden_size\": \"768\"}", "hidden_size",
                "{\"num_attention_heads\": 7}", "must be a multiple of num_attention_heads",
                "{\"do_layer_norm_before\": \"false\"}", "do_layer_norm_before",
                "{\"num_hidden_layers\": 0}", "num_hidden_layers must be between 1",
                "{\"vocab_size\": 1.5}", "vocab_size",
                "{\"word_embed_proj_dim\": -1}", "word_embed_proj_dim");
        refusals.forEach((json, message) -> assertThatThrownBy(() -> parse(json))
                .as(json).isInstanceOf(ModelException.class).hasMessageContaining("config.json").hasMessageContaining(message));
        assertThatThrownBy(() -> parse("{\"activation_function\": \"tanh\"}")).hasMessageContaining("relu, gelu");
    }

    @Test
    void theRegistryFindsOptByModelTypeAndByArchitecture() throws Exception {
        assertThat(ModelFamilies.forConfig(JsonParser.parseString(OPT_350M).getAsJsonObject(), "c"))
                .isInstanceOf(OptFamily.class);
        JsonObject byArchitecture = JsonParser.parseString("{\"architectures\": [\"OPTForCausalLM\"]}").getAsJsonObject();
        assertThat(ModelFamilies.forConfig(byArchitecture, "c").modelType()).isEqualTo("opt");
    }

    @Test
    void bothNamePrefixesMapToTheSameNamesAndTwoCopiesOfOneTensorAreRefused() {
        assertThat(OptCheckpointNames.index(List.of("model.decoder.embed_tokens.weight", "lm_head.weight")))
                .containsEntry("embed_tokens.weight", "model.decoder.embed_tokens.weight")
                .containsEntry("lm_head.weight", "lm_head.weight");
        assertThat(OptCheckpointNames.index(List.of("decoder.layers.3.fc1.bias")))
                .containsEntry("layers.3.fc1.bias", "decoder.layers.3.fc1.bias");
        assertThatThrownBy(() -> OptCheckpointNames.index(List.of("decoder.layers.0.fc1.weight",
                "model.decoder.layers.0.fc1.weight")))
                .hasMessageContaining("decoder.layers.0.fc1.weight").hasMessageContaining("model.decoder.layers.0.fc1.weight");
    }
}
