package dev.logitscope.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json's model_type (else architectures) chooses the family; anything else is refused by name. */
class ModelFamiliesTest {
    @TempDir
    Path dir;

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    @Test
    void gpt2IsFoundByModelTypeByArchitectureAndForOldConfigsWithNeither() throws Exception {
        assertThat(ModelFamilies.forConfig(json("{\"model_type\": \"gpt2\"}"), "c").modelType()).isEqualTo("gpt2");
        assertThat(ModelFamilies.forConfig(json("{\"architectures\": [\"GPT2LMHeadModel\"]}"), "c").modelType())
                .isEqualTo("gpt2");
        assertThat(ModelFamilies.forConfig(json("{\"n_layer\": 2}"), "c").modelType()).isEqualTo("gpt2");
        assertThat(ModelFamilies.all()).extracting(ModelFamily::modelType).contains("gpt2").doesNotHaveDuplicates();
    }

    @Test
    void anUnsupportedFamilyIsNamedWithTheSupportedOnes() {
        assertThatThrownBy(() -> ModelFamilies.forConfig(json("{\"model_type\": \"llama\","
                + " \"architectures\": [\"LlamaForCausalLM\"]}"), "x/config.json"))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("x/config.json").hasMessageContaining("model_type 'llama'")
                .hasMessageContaining("not supported yet").hasMessageContaining("gpt2");
        assertThatThrownBy(() -> ModelFamilies.forConfig(json("{\"architectures\": [\"BloomForCausalLM\"]}"), "c"))
                .isInstanceOf(ModelException.class).hasMessageContaining("BloomForCausalLM");
    }

    @Test
    void aFolderOfAnotherFamilyIsRefusedBeforeAnyWeightIsRead() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().write(dir.resolve("m"));
        Files.writeString(ckpt.configFile(), "{\"model_type\": \"llama\"}");
        try (ModelThread thread = new ModelThread()) {
            assertThatThrownBy(() -> thread.call(root -> ModelFamilies.load(new ModelFolder(ckpt.folder()), root)))
                    .isInstanceOf(ModelException.class).hasMessageContaining("llama', which is not supported yet");
        }
    }
}
