package dev.logitscope.model.gptneo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.TapPoint;
import dev.logitscope.model.WeightStorage;
import dev.logitscope.tensors.DType;
import dev.logitscope.testing.ReferenceGptNeo;
import dev.logitscope.testing.TinyGptNeoCheckpoint;
import dev.logitscope.testing.TinyGptNeoCheckpoint.Head;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which stored tensors a GPT-Neo uses, however the file holds them. */
class GptNeoWeightsTest {
    private static final int[] IDS = {14, 3, 77, 150, 9, 260, 41, 41, 5, 199, 88, 123};

    @TempDir
    Path dir;

    /** The final layer's logits as the model reads them out, at every position. */
    private static float[][] outputLogits(Path folder) throws Exception {
        try (ModelThread thread = new ModelThread()) {
            return thread.call(root -> {
                try (GptNeoModel model = GptNeoModel.load(new ModelFolder(folder), root, WeightStorage.IN_MEMORY)) {
                    float[][][] out = new float[1][][];
                    model.forward(IDS, null, (tap, first, residual) -> {
                        if (tap.equals(TapPoint.afterBlock(model.config().nLayer()))) {
                            out[0] = Taps.toRows(model.readout(residual));
                        }
                    });
                    return out[0];
                }
            });
        }
    }

    @Test
    void aTiedConfigUsesWteEvenWhenTheFileAlsoHoldsAnLmHead() throws Exception {
        // transformers ties lm_head to wte after loading, so a stored lm_head.weight is overwritten.
        TinyGptNeoCheckpoint both = TinyGptNeoCheckpoint.builder().head(Head.UNTIED).seed(4).write(dir.resolve("both"));
        String config = Files.readString(both.configFile(), StandardCharsets.UTF_8);
        Files.writeString(both.configFile(), config.replace("\"tie_word_embeddings\": false,", ""), StandardCharsets.UTF_8);
        Map<String, float[]> tied = new HashMap<>(both.weights());
        tied.remove("lm_head.weight");
        ReferenceGptNeo reference = new ReferenceGptNeo(both.nHead(), both.layerNormEpsilon(), both.windowSize(),
                both.attentionLayers(), tied);
        double[][] expected = reference.run(IDS).logits();
        float[][] actual = outputLogits(both.folder());
        for (int t = 0; t < IDS.length; t++) {
            for (int v = 0; v < expected[t].length; v++) {
                assertThat((double) actual[t][v]).as("@" + t + " id " + v).isCloseTo(expected[t][v], within(1e-3 + 1e-4 * Math.abs(expected[t][v])));
            }
        }
    }

    @Test
    void mappedWeightsGiveTheNumbersOfWeightsReadIntoMemory() throws Exception {
        for (DType dtype : new DType[] {DType.F32, DType.F16}) {
            TinyGptNeoCheckpoint ckpt = TinyGptNeoCheckpoint.builder().dtype(dtype).seed(6).write(dir.resolve(dtype.name()));
            Taps mapped = Taps.of(ckpt.folder(), IDS, WeightStorage.MAPPED);
            Taps read = Taps.of(ckpt.folder(), IDS, WeightStorage.IN_MEMORY);
            for (int layer = 0; layer <= ckpt.nLayer(); layer++) {
                TapPoint tap = TapPoint.afterBlock(layer);
                for (int t = 0; t < IDS.length; t++) {
                    assertThat(mapped.at(tap)[t]).as(dtype + " " + tap.name()).containsExactly(read.at(tap)[t]);
                }
            }
        }
    }

    @Test
    void aConfigThatDoesNotFitTheWeightsNamesTheTensor() throws Exception {
        TinyGptNeoCheckpoint ckpt = TinyGptNeoCheckpoint.builder().seed(8).write(dir.resolve("m"));
        String config = Files.readString(ckpt.configFile(), StandardCharsets.UTF_8);
        Files.writeString(ckpt.configFile(), config.replace("\"intermediate_size\": null", "\"intermediate_size\": 50"),
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> outputLogits(ckpt.folder())).isInstanceOf(ModelException.class)
                .hasMessageContaining("transformer.h.0.mlp.c_fc.weight").hasMessageContaining("[64, 16]")
                .hasMessageContaining("[50, 16]");
    }

    @Test
    void anUntiedConfigWithoutAnLmHeadSaysWhatIsMissing() throws Exception {
        TinyGptNeoCheckpoint ckpt = TinyGptNeoCheckpoint.builder().seed(8).write(dir.resolve("m"));
        String config = Files.readString(ckpt.configFile(), StandardCharsets.UTF_8);
        Files.writeString(ckpt.configFile(), config.replace("\"use_cache\"", "\"tie_word_embeddings\": false, \"use_cache\""),
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> outputLogits(ckpt.folder())).isInstanceOf(ModelException.class)
                .hasMessageContaining("no tensor 'lm_head.weight'").hasMessageContaining("GPT-Neo");
    }
}
