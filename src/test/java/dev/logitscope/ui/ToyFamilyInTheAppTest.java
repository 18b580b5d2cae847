package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.toy.ToyCheckpoint;
import dev.logitscope.testing.toy.ToyFamily;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that the family seam reaches the window: a decoder family that only the tests know (the
 * {@link ToyFamily}, registered through src/test/resources/META-INF/services) loads through the model
 * bar, and the app's view model shows the numbers of a float64 recomputation of its definition —
 * with no engine, lens or ui code knowing about it.
 */
class ToyFamilyInTheAppTest {
    static final String REVIEW = "A gorgeous, witty and moving film.";

    @TempDir
    static Path shared;
    static ToyCheckpoint toy;

    @TempDir
    Path dir;
    final AppHarness app = new AppHarness();

    @BeforeAll
    static void checkpoint() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip().resolve("tokenizer.json");
        toy = ToyCheckpoint.write(shared.resolve("toy"), tokenizer, 3, 8, 512, 50257, 4);
    }

    @AfterEach
    void close() throws Exception {
        app.closeIfOpen();
    }

    @Test
    void theWindowAnalysesAToyFamilyModelAsItsDefinitionSays() throws Exception {
        app.openWithModel(SessionStore.inMemory(Session.defaults()), dir.resolve("hub"), toy.folder);
        assertThat(app.fx(() -> app.vm().modelBar().engine().info().shape().family())).isEqualTo(ToyFamily.MODEL_TYPE);
        app.fx(() -> app.vm().reviewProperty().set(REVIEW));
        AnalysisResult r = app.waitForResult(x -> true);

        var lens = r.analysis().lens();
        assertThat(lens.layers()).hasSize(toy.layers + 1);
        int[] labelIds = lens.tracked().stream().mapToInt(w -> w.firstTokenId()).toArray();
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(toy.folder.resolve("tokenizer.json"))) {
            // The prompt the window analysed, recomputed in float64 by the toy's own definition.
            double[][] expected = toy.lensAtLast(tokenizer.encodeIds(r.prompt().text()));
            for (LayerReading layer : lens.layers()) {
                double[] p = layer.last().trackedProbs();
                for (int w = 0; w < labelIds.length; w++) {
                    assertThat(p[w]).as("layer %d, label %d", layer.layer(), w)
                            .isCloseTo(expected[layer.layer()][labelIds[w]], within(1e-5));
                }
            }
        }
        // The window shows a verdict for it, not an error.
        assertThat(app.fx(() -> app.vm().verdictIsErrorProperty().get())).isFalse();
        assertThat(app.fx(() -> app.vm().verdictProperty().get())).isNotBlank();
    }
}
