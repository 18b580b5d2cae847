package dev.logitscope.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.model.ModelFolder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hub fetches the files the model folder reads: the two lists live apart (hub may not depend
 * on model), so this keeps them in step.
 */
class ModelRepoFilesTest {

    @Test
    void theHubFetchesEveryFileTheModelFolderReads() {
        assertThat(ModelRepoFiles.CONFIG).isEqualTo(ModelFolder.CONFIG);
        assertThat(ModelRepoFiles.WEIGHTS).containsExactly(ModelFolder.WEIGHTS, ModelFolder.WEIGHT_INDEX,
                ModelFolder.PYTORCH_WEIGHTS, ModelFolder.PYTORCH_WEIGHT_INDEX); // the same order of preference
        assertThat(ModelRepoFiles.TOKENIZERS).containsExactly(List.of(ModelFolder.TOKENIZER),
                List.of(ModelFolder.VOCAB, ModelFolder.MERGES));
        assertThat(ModelRepoFiles.TOKENIZER_SETTINGS).containsExactlyInAnyOrder(ModelFolder.TOKENIZER_CONFIG,
                ModelFolder.SPECIAL_TOKENS_MAP, ModelFolder.ADDED_TOKENS);
    }
}
