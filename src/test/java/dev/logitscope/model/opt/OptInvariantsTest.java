package dev.logitscope.model.opt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.lens.LogitLens;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.lens.TopToken;
import dev.logitscope.lens.TrackedWord;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.KvCache;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFamilies;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.ReferenceOpt;
import dev.logitscope.testing.TinyOptCheckpoint;
import dev.logitscope.tokenize.Token;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * lens.LensInvariantsTest's properties for OPT, pre-LN and post-LN: the last layer's lens is the
 * model's output, appending tokens leaves earlier positions unchanged, the KV cache gives the
 * numbers of a recomputation, and continuations read side by side ({@code forwardBranches}) give
 * the numbers of separate runs. Positions matter here: each is a row of the offset table.
 */
class OptInvariantsTest {
    @TempDir
    Path dir;

    static Stream<Arguments> checkpoints() {
        return Stream.of(
                Arguments.of("pre-LN", TinyOptCheckpoint.builder().nLayer(3).hidden(24).nHead(4).ffnDim(48).maxPositions(96)),
                Arguments.of("post-LN, project_in/out", TinyOptCheckpoint.builder().nLayer(3).hidden(24).nHead(4).ffnDim(48)
                        .maxPositions(96).wordEmbedProjDim(16).doLayerNormBefore(false).prefix("decoder.")));
    }

    private static int[] ids(LensEngine engine, String text) throws ModelException {
        return engine.tokenize(text).stream().mapToInt(Token::id).toArray();
    }

    private static int[] trackedIds(LensEngine engine) throws ModelException {
        return engine.track(List.of(" positive", " negative")).stream().mapToInt(TrackedWord::firstTokenId).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void theLastLayersLensIsTheModelsOutput(String name, TinyOptCheckpoint.Builder builder) throws Exception {
        TinyOptCheckpoint checkpoint = builder.seed(11).write(dir.resolve("m"));
        try (LensEngine engine = LensEngine.open(checkpoint.folder(), name)) {
            int[] ids = ids(engine, "Review: a slow, tender film.\nSentiment:");
            int[] tracked = trackedIds(engine);
            List<LayerReading> layers = engine.run(ids, LensRequest.allPositions(tracked, 3, false));
            ReferenceOpt.Result expected = new ReferenceOpt(checkpoint).run(ids);
            LayerReading last = layers.get(layers.size() - 1);
            assertThat(last.layer()).isEqualTo(checkpoint.nLayer());
            for (PositionReading reading : last.positions()) {
                double[] output = ReferenceGpt2.softmax(expected.logits()[reading.position()]); // lm_head(decoder output)
                assertThat(reading.klToFinal()).isCloseTo(0.0, within(1e-6));
                for (int j = 0; j < tracked.length; j++) {
                    assertThat(reading.trackedProbs()[j]).isCloseTo(output[tracked[j]], within(2e-5 + 1e-3 * output[tracked[j]]));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void appendingTokensDoesNotChangeEarlierPositions(String name, TinyOptCheckpoint.Builder builder) throws Exception {
        TinyOptCheckpoint checkpoint = builder.seed(11).write(dir.resolve("m"));
        try (LensEngine engine = LensEngine.open(checkpoint.folder(), name)) {
            int[] tracked = trackedIds(engine);
            String prefix = "Review: a slow, tender film.";
            List<LayerReading> shortRun = engine.run(ids(engine, prefix), LensRequest.allPositions(tracked, 3, true));
            List<LayerReading> longRun = engine.run(ids(engine, prefix + " I loved every minute of it.\nSentiment:"),
                    LensRequest.allPositions(tracked, 3, true));
            int n = ids(engine, prefix).length;
            assertThat(shortRun).hasSameSizeAs(longRun);
            for (int layer = 0; layer < shortRun.size(); layer++) {
                for (int t = 0; t < n; t++) {
                    PositionReading a = shortRun.get(layer).positions().get(t);
                    PositionReading b = longRun.get(layer).positions().get(t);
                    assertThat(b.position()).isEqualTo(t);
                    assertThat(b.trackedProbs()[0]).isCloseTo(a.trackedProbs()[0], within(1e-6));
                    assertThat(b.entropy()).isCloseTo(a.entropy(), within(1e-5));
                    assertThat(b.top().get(0).id()).isEqualTo(a.top().get(0).id());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void theKvCacheGivesTheNumbersOfARecomputation(String name, TinyOptCheckpoint.Builder builder) throws Exception {
        TinyOptCheckpoint checkpoint = builder.seed(11).write(dir.resolve("m"));
        List<String> edits = List.of(
                "Review: the acting was wooden and the plot was thin.\nSentiment:",
                "Review: the acting was wooden and the plot was thin, but I smiled.\nSentiment:", // appended
                "Review: the acting was superb and the plot was thin, but I smiled.\nSentiment:", // edited in the middle
                "Review: the acting");                                                           // cut short
        try (LensEngine engine = LensEngine.open(checkpoint.folder(), name); ModelThread thread = new ModelThread()) {
            int[] tracked = trackedIds(engine);
            List<int[]> prompts = new ArrayList<>();
            for (String text : edits) {
                prompts.add(ids(engine, text));
            }
            thread.call(root -> {
                try (DecoderModel model = ModelFamilies.load(new ModelFolder(checkpoint.folder()), root);
                        KvCache cache = model.newCache()) {
                    LogitLens lens = new LogitLens(model, id -> "");
                    for (int[] ids : prompts) {
                        LensRequest last = LensRequest.lastPosition(tracked, 5);
                        assertSameReadings(lens.read(ids, cache, last, root), lens.read(ids, null, last, root));
                        LensRequest grid = LensRequest.allPositions(tracked, 5, false);
                        List<LayerReading> cachedGrid = lens.read(ids, cache, grid, root);
                        List<LayerReading> fullGrid = lens.read(ids, null, grid, root);
                        for (int t = 0; t < ids.length; t++) {
                            assertSameReadings(at(cachedGrid, t), at(fullGrid, t));
                        }
                        assertThat(cache.length()).isEqualTo(ids.length);
                    }
                }
                return null;
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void continuationsReadSideBySideGiveTheNumbersOfSeparateRuns(String name, TinyOptCheckpoint.Builder builder)
            throws Exception {
        TinyOptCheckpoint checkpoint = builder.seed(11).write(dir.resolve("m"));
        try (LensEngine engine = LensEngine.open(checkpoint.folder(), name)) {
            int[] tracked = trackedIds(engine);
            String demos = "Review: dull.\nSentiment: negative\nReview: a joy.\nSentiment: positive\nReview:";
            List<int[]> prompts = new ArrayList<>();
            for (String review : List.of(" a slow, tender film.", " bad.", " I loved it, truly.", " what a waste.")) {
                prompts.add(ids(engine, demos + review + "\nSentiment:"));
            }
            engine.run(ids(engine, "Something else entirely"), LensRequest.lastPosition(tracked, 5)); // a cold cache
            List<List<LayerReading>> together = engine.runAll(prompts, tracked, 5);
            assertThat(together).hasSameSizeAs(prompts);
            for (int i = 0; i < prompts.size(); i++) {
                assertSameReadings(together.get(i), engine.run(prompts.get(i), LensRequest.lastPosition(tracked, 5)));
            }
        }
    }

    private static List<LayerReading> at(List<LayerReading> layers, int position) {
        return layers.stream().map(l -> new LayerReading(l.layer(), l.midBlock(), l.name(),
                l.positions().stream().filter(p -> p.position() == position).toList())).toList();
    }

    private static void assertSameReadings(List<LayerReading> cached, List<LayerReading> full) {
        assertThat(cached).hasSameSizeAs(full);
        for (int i = 0; i < cached.size(); i++) {
            PositionReading a = cached.get(i).last();
            PositionReading b = full.get(i).last();
            assertThat(a.position()).isEqualTo(b.position());
            for (int j = 0; j < a.trackedProbs().length; j++) {
                assertThat(a.trackedProbs()[j]).isCloseTo(b.trackedProbs()[j], within(1e-6 + 1e-5 * b.trackedProbs()[j]));
            }
            assertThat(a.entropy()).isCloseTo(b.entropy(), within(1e-5 + 2e-6 * b.entropy()));
            assertThat(a.klToFinal()).isCloseTo(b.klToFinal(), within(1e-5 + 2e-6 * b.klToFinal()));
            assertThat(a.top().stream().map(TopToken::id).toList()).isEqualTo(b.top().stream().map(TopToken::id).toList());
        }
    }
}
