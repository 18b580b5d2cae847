package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.model.Cancellation;
import dev.logitscope.model.KvCache;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.ResidualListener;
import dev.logitscope.model.RunCancelledException;
import dev.logitscope.model.TapPoint;
import dev.logitscope.model.gpt2.Gpt2Model;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.tokenize.Token;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancelled run stops between blocks (not at the end of the pass) and leaves the KV cache
 * holding only positions it computed in full, so the next run's numbers are those of a run that
 * was never interrupted.
 */
class CancellationTest {
    static final int LAYERS = 6;
    static final String PREFIX = "Review: the acting was wooden, the plot was thin and the music was far too loud for the room.";
    static final String PROMPT = PREFIX + " I smiled.\nSentiment:"; // more than half is the prefix: the engine reuses its cache

    @TempDir
    static Path dir;
    static TinyCheckpoint checkpoint;
    static LensEngine engine;
    static int[] tracked;

    @BeforeAll
    static void load() throws Exception {
        checkpoint = TinyCheckpoint.builder().nLayer(LAYERS).nEmbd(24).nHead(4).nPositions(128).seed(5).write(dir.resolve("m"));
        engine = LensEngine.open(checkpoint.folder(), "tiny");
        tracked = engine.track(List.of(" positive", " negative")).stream().mapToInt(TrackedWord::firstTokenId).toArray();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static int[] ids(String text) throws ModelException {
        return engine.tokenize(text).stream().mapToInt(Token::id).toArray();
    }

    /** Counts the blocks a pass has finished; cancellation is requested once {@code stopAfter} have. */
    private static final class BlockCounter implements ResidualListener {
        final AtomicInteger blocks = new AtomicInteger();
        final int stopAfter;

        BlockCounter(int stopAfter) {
            this.stopAfter = stopAfter;
        }

        @Override
        public void onResidual(TapPoint tap, int firstPosition, ai.djl.ndarray.NDArray residual) {
            if (!tap.midBlock() && tap.layer() >= 1) {
                blocks.incrementAndGet();
            }
        }

        Cancellation cancellation() {
            return () -> blocks.get() >= stopAfter;
        }
    }

    @Test
    void aPassCancelledAfterBlockKStopsBeforeBlockKPlusOneAndTheCacheStaysValid() throws Exception {
        int[] prefix = ids(PREFIX);
        int[] prompt = ids(PROMPT);
        LensRequest last = LensRequest.lastPosition(tracked, 5);
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (Gpt2Model model = Gpt2Model.load(checkpoint.folder(), root);
                        KvCache cache = model.newCache();
                        KvCache uninterrupted = model.newCache()) {
                    LogitLens lens = new LogitLens(model, id -> "");
                    for (int k = 0; k < LAYERS; k++) {
                        BlockCounter counter = new BlockCounter(k);
                        cache.clear();
                        model.forward(prefix, cache, ResidualListener.NONE);
                        int[] tail = Arrays.copyOfRange(prompt, prefix.length, prompt.length);
                        assertThatThrownBy(() -> model.forward(tail, cache, counter, counter.cancellation()))
                                .isInstanceOf(RunCancelledException.class);
                        assertThat(counter.blocks.get()).as("blocks run when cancelled after block %d", k).isEqualTo(k);
                        assertThat(cache.length()).as("the cancelled positions are not cached").isEqualTo(prefix.length);
                        assertThat(cache.tokenIds()).containsExactly(prefix);
                    }
                    // A pass that is never cancelled runs every block.
                    BlockCounter never = new BlockCounter(Integer.MAX_VALUE);
                    model.forward(prompt, null, never, never.cancellation());
                    assertThat(never.blocks.get()).isEqualTo(LAYERS);

                    // The cancelled pass wrote rows past the prefix into the buffers: the next run
                    // must give exactly the numbers of a run from the same prefix that was never
                    // interrupted, and a fresh full run's to float32 precision.
                    List<LayerReading> afterCancel = lens.read(prompt, cache, LensRequest.allPositions(tracked, 5, false), root);
                    model.forward(prefix, uninterrupted, ResidualListener.NONE);
                    List<LayerReading> clean = lens.read(prompt, uninterrupted, LensRequest.allPositions(tracked, 5, false), root);
                    List<LayerReading> fresh = lens.read(prompt, null, LensRequest.allPositions(tracked, 5, false), root);
                    for (int layer = 0; layer <= LAYERS; layer++) {
                        for (int t = 0; t < prompt.length; t++) {
                            PositionReading a = afterCancel.get(layer).positions().get(t);
                            assertThat(a.trackedProbs()).containsExactly(clean.get(layer).positions().get(t).trackedProbs());
                            assertThat(a.entropy()).isEqualTo(clean.get(layer).positions().get(t).entropy());
                            PositionReading f = fresh.get(layer).positions().get(t);
                            for (int j = 0; j < a.trackedProbs().length; j++) {
                                assertThat(a.trackedProbs()[j]).isCloseTo(f.trackedProbs()[j], within(1e-6 + 1e-5 * f.trackedProbs()[j]));
                            }
                        }
                    }
                    assertThat(cache.length()).isEqualTo(prompt.length);
                    assertThat(lens.read(prompt, cache, last, root).get(LAYERS).last().trackedProbs())
                            .containsExactly(lens.read(prompt, uninterrupted, last, root).get(LAYERS).last().trackedProbs());
                }
                return null;
            });
        }
    }

    @Test
    void theLensStopsBetweenChunksOfRows() throws Exception {
        int[] prompt = ids(PROMPT);
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (Gpt2Model model = Gpt2Model.load(checkpoint.folder(), root)) {
                    // Counts the checks: the pass checks before it and before each block, then the
                    // lens before each chunk of (taps × positions) rows; cancel at the second chunk.
                    int passChecks = 1 + LAYERS;
                    AtomicInteger checks = new AtomicInteger();
                    Cancellation atSecondChunk = () -> checks.incrementAndGet() > passChecks + 1;
                    LensRequest grid = LensRequest.allPositions(tracked, 5, false); // 7 taps × 20+ positions > one chunk
                    assertThatThrownBy(() -> new LogitLens(model, id -> "").read(prompt, null, grid, root, atSecondChunk))
                            .isInstanceOf(RunCancelledException.class);
                    assertThat(checks.get()).isEqualTo(passChecks + 2);
                }
                return null;
            });
        }
    }

    @Test
    void anEngineRunOnAThreadWhoseCancellationIsRequestedStopsAndKeepsTheCachedPrefix() throws Exception {
        int[] prefix = ids(PREFIX);
        int[] prompt = ids(PROMPT);
        LensRequest last = LensRequest.lastPosition(tracked, 5);
        engine.forgetCachedPrompts();
        engine.run(prefix, last);
        // Requested from the third check on: the run starts, then stops inside the pass.
        AtomicInteger checks = new AtomicInteger();
        List<String> threads = new ArrayList<>();
        Cancellation midPass = () -> {
            threads.add(Thread.currentThread().getName());
            return checks.incrementAndGet() >= 3;
        };
        assertThatThrownBy(() -> Cancellation.callWith(midPass, () -> engine.run(prompt, last)))
                .isInstanceOf(RunCancelledException.class);
        assertThat(checks.get()).isEqualTo(3);
        assertThat(threads).as("checked on the model thread").allMatch(name -> name.equals("logitscope-model"));
        // Outside callWith nothing is cancelled; the cache kept the prefix (only the tail runs) and
        // the numbers equal a run that was never interrupted.
        List<LayerReading> after = engine.run(prompt, last);
        assertThat(engine.lastCachedPrefix()).isEqualTo(prefix.length);
        engine.forgetCachedPrompts();
        engine.run(prefix, last);
        List<LayerReading> clean = engine.run(prompt, last);
        for (int layer = 0; layer <= LAYERS; layer++) {
            assertThat(after.get(layer).last().trackedProbs()).containsExactly(clean.get(layer).last().trackedProbs());
        }
    }
}
