package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.model.KvCache;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.gpt2.Gpt2Model;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.tokenize.Token;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Properties the lens must hold whatever the weights: causality, cache equivalence, bounds. */
class LensInvariantsTest {
    @TempDir
    static Path dir;
    static TinyCheckpoint checkpoint;
    static LensEngine engine;
    static List<TrackedWord> labels;

    @BeforeAll
    static void load() throws Exception {
        checkpoint = TinyCheckpoint.builder().nLayer(3).nEmbd(24).nHead(4).nPositions(96).seed(11).write(dir.resolve("m"));
        engine = LensEngine.open(checkpoint.folder(), "tiny");
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

    @Test
    void appendingTokensDoesNotChangeEarlierPositions() throws Exception {
        String prefix = "Review: a slow, tender film.";
        List<LayerReading> shortRun = engine.run(ids(prefix), LensRequest.allPositions(trackedIds(), 3, false));
        List<LayerReading> longRun = engine.run(ids(prefix + " I loved every minute of it.\nSentiment:"),
                LensRequest.allPositions(trackedIds(), 3, false));
        int n = ids(prefix).length;
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

    @Test
    void theKvCacheGivesTheSameNumbersAfterEditsAtTheEndAndInTheMiddle() throws Exception {
        List<String> edits = List.of(
                "Review: the acting was wooden and the plot was thin.\nSentiment:",
                "Review: the acting was wooden and the plot was thin, but I smiled.\nSentiment:", // appended
                "Review: the acting was superb and the plot was thin, but I smiled.\nSentiment:", // edited in the middle
                "Review: the acting was superb and the plot was thin, but I smiled.\nSentiment:", // unchanged
                "Review: the acting");                                                           // cut short
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (Gpt2Model model = Gpt2Model.load(checkpoint.folder(), root); KvCache cache = model.newCache()) {
                    LogitLens lens = new LogitLens(model, id -> "");
                    for (String text : edits) {
                        int[] ids = ids(text);
                        LensRequest last = LensRequest.lastPosition(trackedIds(), 5);
                        assertSameReadings(lens.read(ids, cache, last, root), lens.read(ids, null, last, root));
                        // The grid read from the cached residual stream equals a full recomputation.
                        LensRequest grid = LensRequest.allPositions(trackedIds(), 5, false);
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

    @Test
    void promptsThatShareAPrefixReadSideBySideGiveEachPromptsOwnNumbers() throws Exception {
        String demos = "Review: dull.\nSentiment: negative\nReview: a joy.\nSentiment: positive\nReview:";
        List<String> reviews = List.of(" a slow, tender film.", " bad.", " I loved every minute of it, truly.",
                " the acting was wooden and the plot was thin.", " fine", " what a waste of two hours of my life.",
                " a slow, tender film.");
        List<int[]> prompts = new java.util.ArrayList<>();
        for (String review : reviews) {
            prompts.add(ids(demos + review + "\nSentiment:"));
        }
        prompts.add(ids(demos)); // a prompt that is the prefix itself: it keeps its last token as its own
        int tokens = prompts.stream().mapToInt(p -> p.length).sum();
        assertThat(tokens).as("enough tokens that the side-by-side pass must be split").isGreaterThan(2 * 96);
        engine.run(ids("Something else entirely"), LensRequest.lastPosition(trackedIds(), 5)); // a cold cache
        List<List<LayerReading>> together = engine.runAll(prompts, trackedIds(), 5);
        assertThat(together).hasSameSizeAs(prompts);
        for (int i = 0; i < prompts.size(); i++) {
            List<LayerReading> alone = engine.run(prompts.get(i), LensRequest.lastPosition(trackedIds(), 5));
            assertSameReadings(together.get(i), alone);
            assertThat(together.get(i).get(0).positions()).hasSize(1);
        }
    }

    @Test
    void alternatingBetweenPromptFamiliesKeepsACacheForEach() throws Exception {
        // The app's comparison: the same review after correct demonstrations, flipped ones and none.
        String correct = "Review: dull.\nSentiment: negative\nReview: a joy.\nSentiment: positive\nReview:";
        String flipped = "Review: dull.\nSentiment: positive\nReview: a joy.\nSentiment: negative\nReview:";
        String none = "Review:";
        String typed = " a slow, tender film";
        for (String head : List.of(correct, flipped, none)) {
            engine.run(ids(head + typed + "\nSentiment:"), LensRequest.lastPosition(trackedIds(), 5));
        }
        assertThat(engine.cachedPrompts()).isGreaterThanOrEqualTo(3);
        String more = typed + ", and I loved it";
        for (String head : List.of(correct, flipped, none)) {
            int[] prompt = ids(head + more + "\nSentiment:");
            List<LayerReading> cached = engine.run(prompt, LensRequest.lastPosition(trackedIds(), 5));
            // everything up to the edit came from this family's own cache
            assertThat(engine.lastCachedPrefix()).as(head).isGreaterThanOrEqualTo(ids(head + typed).length - 1);
            try (ModelThread thread = new ModelThread()) {
                List<LayerReading> fresh = thread.call(root -> {
                    try (Gpt2Model model = Gpt2Model.load(checkpoint.folder(), root)) {
                        return new LogitLens(model, id -> "").read(prompt, null, LensRequest.lastPosition(trackedIds(), 5), root);
                    }
                });
                assertSameReadings(cached, fresh);
            }
        }
        assertThat(engine.cachedPrompts()).isLessThanOrEqualTo(4);
    }

    @Test
    void promptsWithoutACommonPrefixAreReadOneByOne() throws Exception {
        List<int[]> prompts = List.of(ids("Good film."), ids("Bad film."));
        List<List<LayerReading>> together = engine.runAll(prompts, trackedIds(), 3);
        for (int i = 0; i < prompts.size(); i++) {
            assertSameReadings(together.get(i), engine.run(prompts.get(i), LensRequest.lastPosition(trackedIds(), 3)));
        }
    }

    @Test
    void aWindowReadsOnlyTheRequestedPositions() throws Exception {
        int[] ids = ids("Review: a long and winding film about nothing.\nSentiment:");
        List<LayerReading> all = engine.run(ids, LensRequest.allPositions(trackedIds(), 3, false));
        List<LayerReading> window = engine.run(ids, LensRequest.window(trackedIds(), 3, 2, 5));
        for (int layer = 0; layer < all.size(); layer++) {
            assertThat(window.get(layer).positions()).extracting(PositionReading::position).containsExactly(2, 3, 4);
        }
        for (int t = 2; t < 5; t++) {
            assertSameReadings(at(window, t), at(all, t));
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
            // float32 precision: relative to the magnitude
            assertThat(a.entropy()).isCloseTo(b.entropy(), within(1e-5 + 2e-6 * b.entropy()));
            assertThat(a.klToFinal()).isCloseTo(b.klToFinal(), within(1e-5 + 2e-6 * b.klToFinal()));
            assertThat(a.top().stream().map(TopToken::id).toList()).isEqualTo(b.top().stream().map(TopToken::id).toList());
        }
    }

    @Test
    void nextTokenLogProbsMatchTheReference() throws Exception {
        int[] ids = ids("This is an example of positive text: what a joy.");
        List<LayerReading> layers = engine.run(ids, LensRequest.allPositions(trackedIds(), 0, true));
        ReferenceGpt2 reference = new ReferenceGpt2(checkpoint);
        ReferenceGpt2.Result expected = reference.run(ids);
        for (LayerReading layer : layers) {
            for (PositionReading reading : layer.positions()) {
                int t = reading.position();
                if (t == ids.length - 1) {
                    assertThat(reading.nextTokenLogProb()).isNaN();
                    continue;
                }
                double p = reference.lensProbabilities(expected.afterLayer()[layer.layer()][t])[ids[t + 1]];
                assertThat(reading.nextTokenLogProb()).as(layer.name() + " @" + t).isCloseTo(Math.log(p), within(2e-3));
            }
        }
    }

    @Test
    void ranksCountTheTokensMoreLikelyThanTheTrackedOne() throws Exception {
        List<LayerReading> layers = engine.run(ids("The movie was"), LensRequest.lastPosition(trackedIds(), 300));
        for (LayerReading layer : layers) {
            PositionReading r = layer.last();
            for (int j = 0; j < labels.size(); j++) {
                int id = labels.get(j).firstTokenId();
                int index = r.top().stream().map(TopToken::id).toList().indexOf(id);
                assertThat(r.trackedRanks()[j]).isEqualTo(index);
            }
            double sum = r.top().stream().mapToDouble(TopToken::prob).sum();
            assertThat(sum).isCloseTo(1.0, within(1e-4)); // top-300 of a 300-token vocabulary is everything
        }
    }

    @Test
    void promptsLongerThanTheContextAndEmptyPromptsAreClearErrors() {
        String tooLong = "word ".repeat(200);
        assertThatThrownBy(() -> engine.tokenize(tooLong)).isInstanceOf(ModelException.class)
                .hasMessageContaining("tokens long").hasMessageContaining("at most 96");
        assertThatThrownBy(() -> engine.tokenize("")).isInstanceOf(ModelException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> engine.run(new int[0], LensRequest.lastPosition(trackedIds(), 1)))
                .isInstanceOf(ModelException.class);
    }
}
