package dev.logitscope.model.gptneo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.ModelFamilies;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.ResidualListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's random GPT-Neo loads through the registry with the shape it was written with. */
class RandomCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void aRandomCheckpointOfAReleasedShapeLoadsAndRuns() throws Exception {
        GptNeoConfig shape = RandomCheckpoint.releasedShape(3, 64, 4);
        assertThat(shape.attentionLayers()).containsExactly(AttentionType.GLOBAL, AttentionType.LOCAL, AttentionType.GLOBAL);
        RandomCheckpoint.write(shape, dir, 1);
        assertThat(GptNeoConfig.parse(new ModelFolder(dir).configJson(), "c")).isEqualTo(shape);
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (DecoderModel model = ModelFamilies.load(new ModelFolder(dir), root)) {
                    assertThat(model.shape().family()).isEqualTo("gpt_neo");
                    assertThat(model.shape().parameters()).isEqualTo(shape.parameterCount());
                    assertThat(model.weightBytes()).isEqualTo(4 * shape.parameterCount());
                    assertThat(model.projectionShapes()).hasSize(3);
                    model.forward(new int[] {1, 2, 3}, null, ResidualListener.NONE);
                }
                return null;
            });
        }
    }
}
