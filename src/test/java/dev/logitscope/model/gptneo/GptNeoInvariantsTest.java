package dev.logitscope.model.gptneo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.lens.LogitLens;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.lens.TopToken;
import dev.logitscope.lens.TrackedWord;
import dev.logitscope.model.Cancellation;
import dev.logitscope.model.KvCache;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.ResidualListener;
import dev.logitscope.model.RunCancelledException;
import dev.logitscope.model.TapPoint;
import dev.logitscope.model.WeightStorage;
import dev.logitscope.testing.TinyGptNeoCheckpoint;
import dev.logitscope.tokenize.Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lens invariants for GPT-Neo with a window much shorter than the prompts: causality, the KV
 * cache (whose local layers must still look back only a window), side-by-side continuations, and
 * cancellation between blocks.
 */
class GptNeoInvariantsTest {
    private static final int WINDOW = 5;

    @TempDir
    static Path dir;
    static TinyGptNeoCheckpoint checkpoint;
    static LensEngine engine;
    static List<TrackedWord> labels;

    @BeforeAll
    static void load() throws Exception {
        checkpoint = TinyGptNeoCheckpoint.builder().nLayer(4).nEmbd(24).nHead(4).nPositions(160).windowSize(WINDOW)
                .pattern("local", "global").seed(11).write(dir.resolve("m"));
        engine = LensEngine.open(checkpoint.folder(), "tiny-neo");
        labels = engine.track(List.of(" positive", " negative"));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static int[] ids(String text) throws ModelException {
        return engine.tokenize(text).stream().mapToInt(Token::id).toArray();
    }

    private static int[] trackedIds() {
        return labels.stream().mapToInt(TrackedWord::firstTokenId).toArray();
    }

    private static GptNeoModel load(ai.djl.ndarray.NDManager root) throws ModelException {
        return GptNeoModel.load(new ModelFolder(checkpoint.folder()), root, WeightStorage.IN_MEMORY);
    }

    @Test
    void appendingTokensDoesNotChangeEarlierPositions() throws Exception {
        String prefix = "Review: a slow, tender film.";
        List<LayerReading> shortRun = engine.run(ids(prefix), LensRequest.allPositions(trackedIds(), 3, false));
        List<LayerReading> longRun = engine.run(ids(prefix + " I loved every minute of it.\nSentiment:"),
                LensRequest.allPositions(trackedIds(), 3, false));
        int n = ids(prefix).length;
        assertThat(n).isGreaterThan(3 * WINDOW);
        for (int layer = 0; layer < shortRun.size(); layer++) {
            for (int t = 0; t < n; t++) {
                PositionReading a = shortRun.get(layer).positions().get(t);
                PositionReading b = longRun.get(layer).positions().get(t);
                assertThat(b.trackedProbs()[0]).isCloseTo(a.trackedProbs()[0], within(1e-6));
                assertThat(b.entropy()).isCloseTo(a.entropy(), within(1e-5));
                assertThat(b.top().get(0).id()).isEqualTo(a.top().get(0).id());
            }
        }
    }

    /** Typed one token at a time (the typing path: one new row, a mask only for the local layers) and edited. */
    @Test
    void theKvCacheGivesTheResidualsOfARecomputation() throws Exception {
        int[] text = ids("Review: the acting was wooden and the plot was thin, but I smiled.\nSentiment:");
        int[] edited = text.clone();
        edited[text.length / 2] = (edited[text.length / 2] + 1) % 300;
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (GptNeoModel model = load(root); KvCache cache = model.newCache()) {
                    for (int n = 1; n <= text.length; n++) { // one token at a time, across the window's edge
                        Taps step = Taps.run(model, new int[] {text[n - 1]}, cache);
                        Taps full = Taps.run(model, Arrays.copyOf(text, n), null);
                        assertSameLastRow(step, full, "typed up to " + n);
                    }
                    // An edit in the middle: truncate to the common prefix and run the rest in one pass.
                    cache.truncate(cache.commonPrefix(edited));
                    int past = cache.length();
                    Taps rest = Taps.run(model, Arrays.copyOfRange(edited, past, edited.length), cache);
                    Taps full = Taps.run(model, edited, null);
                    for (Map.Entry<TapPoint, float[][]> e : rest.rows().entrySet()) {
                        float[][] expected = full.at(e.getKey());
                        for (int i = 0; i < e.getValue().length; i++) {
                            assertThat(e.getValue()[i]).as(e.getKey().name() + " @" + (past + i))
                                    .containsExactly(expected[past + i], within(2e-5f));
                        }
                    }
                    assertThat(cache.length()).isEqualTo(edited.length);
                }
                return null;
            });
        }
    }

    @Test
    void theLensWithTheKvCacheEqualsARecomputation() throws Exception {
        List<String> edits = List.of(
                "Review: the acting was wooden and the plot was thin.\nSentiment:",
                "Review: the acting was wooden and the plot was thin, but I smiled.\nSentiment:",
                "Review: the acting was superb and the plot was thin, but I smiled.\nSentiment:",
                "Review: the acting");
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (GptNeoModel model = load(root); KvCache cache = model.newCache()) {
                    LogitLens lens = new LogitLens(model, id -> "");
                    for (String text : edits) {
                        int[] ids = ids(text);
                        LensRequest grid = LensRequest.allPositions(trackedIds(), 5, false);
                        List<LayerReading> cached = lens.read(ids, cache, grid, root);
                        List<LayerReading> fresh = lens.read(ids, null, grid, root);
                        for (int t = 0; t < ids.length; t++) {
                            assertSameReadings(at(cached, t), at(fresh, t));
                        }
                    }
                }
                return null;
            });
        }
    }

    /** Continuations side by side after a cached prefix: every row at every tap equals running each alone. */
    @Test
    void continuationsSideBySideEqualEachRunAlone() throws Exception {
        int[] prefix = ids("Review: dull.\nSentiment: negative\nReview: a joy.\nSentiment: positive\nReview:");
        int[][] branches = {ids(" a slow, tender film.\nSentiment:"), ids(" bad."), ids(" I loved every minute of it, truly."),
                ids(" x")};
        assertThat(prefix.length).isGreaterThan(2 * WINDOW);
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (GptNeoModel model = load(root); KvCache cache = model.newCache()) {
                    model.forward(prefix, cache, ResidualListener.NONE);
                    Map<TapPoint, float[][]> together = new HashMap<>();
                    model.forwardBranches(branches, cache, new ResidualListener() {
                        @Override
                        public void onResidual(TapPoint tap, int firstPosition, ai.djl.ndarray.NDArray residual) {
                            assertThat(firstPosition).isEqualTo(prefix.length);
                            together.put(tap, Taps.toRows(residual));
                        }

                        @Override
                        public boolean wantsMidBlock() {
                            return true;
                        }
                    });
                    assertThat(cache.length()).isEqualTo(prefix.length);
                    int row = 0;
                    for (int[] branch : branches) {
                        int[] whole = concat(prefix, branch);
                        Taps alone = Taps.run(model, whole, null);
                        for (Map.Entry<TapPoint, float[][]> e : together.entrySet()) {
                            for (int i = 0; i < branch.length; i++) {
                                assertThat(e.getValue()[row + i]).as(e.getKey().name() + " branch row " + i)
                                        .containsExactly(alone.at(e.getKey())[prefix.length + i], within(2e-5f));
                            }
                        }
                        row += branch.length;
                    }
                }
                return null;
            });
        }
    }

    @Test
    void promptsThatShareAPrefixReadSideBySideGiveEachPromptsOwnNumbers() throws Exception {
        String demos = "Review: dull.\nSentiment: negative\nReview: a joy.\nSentiment: positive\nReview:";
        List<String> reviews = List.of(" a slow, tender film.", " bad.", " I loved every minute of it, truly.",
                " the acting was wooden and the plot was thin.", " fine");
        List<int[]> prompts = new ArrayList<>();
        for (String review : reviews) {
            prompts.add(ids(demos + review + "\nSentiment:"));
        }
        engine.run(ids("Something else entirely"), LensRequest.lastPosition(trackedIds(), 5)); // a cold cache
        List<List<LayerReading>> together = engine.runAll(prompts, trackedIds(), 5);
        for (int i = 0; i < prompts.size(); i++) {
            List<LayerReading> alone = engine.run(prompts.get(i), LensRequest.lastPosition(trackedIds(), 5));
            assertSameReadings(together.get(i), alone);
        }
    }

    @Test
    void aCancelledPassStopsBetweenBlocksAndLeavesTheCacheAsItWas() throws Exception {
        int[] text = ids("Review: the acting was wooden and the plot was thin.");
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (GptNeoModel model = load(root); KvCache cache = model.newCache()) {
                    model.forward(Arrays.copyOf(text, 8), cache, ResidualListener.NONE);
                    AtomicInteger blocks = new AtomicInteger();
                    ResidualListener counter = (tap, first, residual) -> {
                        if (tap.layer() >= 1 && !tap.midBlock()) {
                            blocks.incrementAndGet();
                        }
                    };
                    Cancellation afterTwo = () -> blocks.get() >= 2;
                    assertThatThrownBy(() -> model.forward(Arrays.copyOfRange(text, 8, text.length), cache, counter, afterTwo))
                            .isInstanceOf(RunCancelledException.class);
                    assertThat(blocks.get()).isEqualTo(2);
                    assertThat(cache.length()).isEqualTo(8);
                    Taps resumed = Taps.run(model, Arrays.copyOfRange(text, 8, text.length), cache);
                    assertSameLastRow(resumed, Taps.run(model, text, null), "after the cancelled pass");
                }
                return null;
            });
        }
    }

    @Test
    void theCheckpointWatchNoticesARewrittenFile() throws Exception {
        TinyGptNeoCheckpoint other = TinyGptNeoCheckpoint.builder().seed(2).write(dir.resolve("watched"));
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (GptNeoModel model = GptNeoModel.load(new ModelFolder(other.folder()), root, WeightStorage.IN_MEMORY)) {
                    assertThat(model.checkpoint().changed()).isFalse();
                    TinyGptNeoCheckpoint.builder().seed(3).write(dir.resolve("watched"));
                    Files.setLastModifiedTime(other.modelFile(), java.nio.file.attribute.FileTime.fromMillis(0));
                    assertThat(model.checkpoint().changed()).isTrue();
                }
                return null;
            });
        }
    }

    @Test
    void promptsLongerThanTheContextAndForeignIdsAreClearErrors() throws Exception {
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (GptNeoModel model = load(root)) {
                    assertThatThrownBy(() -> model.forward(new int[161], null, ResidualListener.NONE))
                            .isInstanceOf(ModelException.class).hasMessageContaining("at most 160");
                    assertThatThrownBy(() -> model.forward(new int[] {300}, null, ResidualListener.NONE))
                            .isInstanceOf(ModelException.class).hasMessageContaining("outside the model's vocabulary of 300");
                    assertThatThrownBy(() -> model.forward(new int[0], null, ResidualListener.NONE))
                            .isInstanceOf(ModelException.class).hasMessageContaining("no tokens");
                }
                return null;
            });
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void assertSameLastRow(Taps step, Taps full, String where) {
        for (Map.Entry<TapPoint, float[][]> e : step.rows().entrySet()) {
            float[][] rows = e.getValue();
            float[][] expected = full.at(e.getKey());
            assertThat(rows[rows.length - 1]).as(where + ", " + e.getKey().name())
                    .containsExactly(expected[expected.length - 1], within(2e-5f));
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
            // float32 precision, relative to the magnitude (GPT-Neo's unscaled scores make KLs of several nats)
            assertThat(a.entropy()).isCloseTo(b.entropy(), within(1e-5 + 5e-6 * b.entropy()));
            assertThat(a.klToFinal()).isCloseTo(b.klToFinal(), within(1e-5 + 5e-6 * b.klToFinal()));
            assertThat(a.top().stream().map(TopToken::id).toList()).isEqualTo(b.top().stream().map(TopToken::id).toList());
        }
    }
}
