package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.model.ModelException;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.testing.TinyClassifier;
import dev.logitscope.tokenize.Token;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier-head lens of a GPT2ForSequenceClassification checkpoint (written here as
 * transformers saves one) equals softmax(score · ln_f(h_l)) computed in float64 on every layer.
 */
class ClassifierLensTest {

    @TempDir
    Path dir;

    @Test
    void everyLayerEqualsAFloat64ReferenceOfScoreThroughLnF() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(32).seed(21)
                .write(dir.resolve("base"));
        TinyClassifier classifier = TinyClassifier.write(dir.resolve("classifier"), ckpt,
                List.of("negative", "neutral", "positive"), 4);
        Path folder = classifier.folder();

        String text = "a tender, funny film";
        try (LensEngine engine = LensEngine.open(folder, "classifier")) {
            assertThat(engine.classLabels()).get().extracting(l -> l.names()).isEqualTo(List.of("negative", "neutral", "positive"));
            int[] ids = engine.tokenize(text).stream().mapToInt(Token::id).toArray();
            List<ClassReading> layers = engine.classifierLens(text);
            ReferenceGpt2.Result reference = new ReferenceGpt2(ckpt).run(ids);
            assertThat(layers).hasSize(4);
            for (ClassReading layer : layers) {
                double[] h = reference.afterLayer()[layer.layer()][ids.length - 1];
                double[] expected = classifier.classProbabilities(h);
                assertThat(layer.labels()).containsExactly("negative", "neutral", "positive");
                for (int j = 0; j < 3; j++) {
                    assertThat(layer.probabilities()[j]).as("layer %d class %d", layer.layer(), j)
                            .isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
    }

    @Test
    void aModelWithoutAHeadIsRefusedWithAMessage() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().write(dir.resolve("lm"));
        try (LensEngine engine = LensEngine.open(ckpt.folder(), "lm")) {
            assertThat(engine.classLabels()).isEmpty();
            assertThatThrownBy(() -> engine.classifierLens("hello")).isInstanceOf(ModelException.class)
                    .hasMessageContaining("no classification head");
        }
    }
}
