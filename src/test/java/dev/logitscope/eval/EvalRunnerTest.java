package dev.logitscope.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.PromptRecipe;
import dev.logitscope.prompt.PromptTemplate;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.Shots;
import dev.logitscope.prompt.TemplateLibrary;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner end to end on a tiny checkpoint with the real GPT-2 vocabulary. */
class EvalRunnerTest {
    private static final int POSITIVE_ID = 3967; // " positive"
    private static final int NEGATIVE_ID = 4633; // " negative"

    @TempDir
    static Path dir;
    static TinyCheckpoint checkpoint;
    static ModelRef model;
    static final PromptTemplate TEMPLATE = TemplateLibrary.builtIn("seed-notebook");
    static final List<Example> EXAMPLES = List.of(
            new Example("1", "A gorgeous, witty and moving film.", Sentiment.POSITIVE),
            new Example("2", "Dull, slow and far too long.", Sentiment.NEGATIVE),
            new Example("3", "I smiled the whole time.", Sentiment.POSITIVE),
            new Example("4", "The plot makes no sense at all.", Sentiment.NEGATIVE),
            new Example("5", "An instant classic.", Sentiment.POSITIVE),
            new Example("6", "A waste of two hours.", Sentiment.NEGATIVE));

    @BeforeAll
    static void write() throws Exception {
        checkpoint = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(11)
                .realTokenizer(SharedFiles.gpt2TokenizerOrSkip()).write(dir.resolve("tiny"));
        model = new ModelRef("tiny", checkpoint.folder());
    }

    static EvalPlan plan() {
        DemoPool pool = DemoSource.excluding(DemoPool.builtIn(), EXAMPLES);
        return EvalPlan.of(List.of(model), List.of(0, 2), List.of(DemoLabels.CORRECT, DemoLabels.FLIPPED),
                List.of(0L, 1L), TEMPLATE, pool);
    }

    static final Map<String, String> OPTIONS = Map.of("models", "tiny", "shots", "0,2");

    @Test
    void perLayerAccuraciesMatchAFloat64ReferenceOfTheSamePrompts() throws Exception {
        EvalPlan plan = plan();
        Path out = dir.resolve("reference-run");
        EvalSummary summary;
        try (RunFolder folder = RunFolder.open(out, OPTIONS, false)) {
            summary = new EvalRunner(plan, EXAMPLES, folder, null, null).run();
        }
        assertThat(summary.complete()).isTrue();
        assertThat(summary.conditions()).hasSize(1 + 4); // zero-shot once, then 2 labels × 2 seeds
        assertThat(summary.models()).singleElement().satisfies(m -> {
            assertThat(m.layers()).isEqualTo(2);
            assertThat(m.computed()).isEqualTo(6 + 4 * 6);
            assertThat(m.examplesPerSecond()).isPositive();
        });

        ReferenceGpt2 reference = new ReferenceGpt2(checkpoint);
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(checkpoint.tokenizerFile())) {
            for (ConditionSummary s : summary.conditions()) {
                Condition c = s.condition();
                PromptRecipe recipe = new PromptRecipe(TEMPLATE, new Shots(c.shots()), c.demoLabels(), null, c.seed());
                int[] right = new int[3];
                double[] pGold = new double[3];
                for (Example e : EXAMPLES) {
                    int[] ids = tokenizer.encodeIds(recipe.fit(plan.pool(), e.text(), t -> 0, Integer.MAX_VALUE).prompt().text());
                    ReferenceGpt2.Result r = reference.run(ids);
                    for (int l = 0; l <= 2; l++) {
                        double[] p = reference.lensProbabilities(r.afterLayer()[l][ids.length - 1]);
                        double normalized = p[POSITIVE_ID] / (p[POSITIVE_ID] + p[NEGATIVE_ID]);
                        Sentiment prediction = normalized >= 0.5 ? Sentiment.POSITIVE : Sentiment.NEGATIVE;
                        right[l] += prediction == e.gold() ? 1 : 0;
                        pGold[l] += (e.gold() == Sentiment.POSITIVE ? normalized : 1 - normalized) / EXAMPLES.size();
                    }
                }
                for (int l = 0; l <= 2; l++) {
                    assertThat(s.layers().get(l).accuracy()).as("%s layer %d", c.setting(), l)
                            .isEqualTo(right[l] / (double) EXAMPLES.size());
                    assertThat(s.layers().get(l).meanPGold()).isCloseTo(pGold[l], within(1e-4));
                }
                assertThat(s.examples()).isEqualTo(6);
            }
        }
        assertThat(Files.readAllLines(out.resolve(RunFolder.EXAMPLES))).hasSize(1 + 5 * 6 * 3);
        assertThat(Files.readString(out.resolve(RunFolder.SUMMARY))).contains("\"critical_layer\"");
    }

    @Test
    void aStoppedRunResumesToTheSameSummaryWithoutRedoingExamples() throws Exception {
        Path whole = dir.resolve("whole");
        EvalSummary uninterrupted;
        try (RunFolder folder = RunFolder.open(whole, OPTIONS, false)) {
            uninterrupted = new EvalRunner(plan(), EXAMPLES, folder, null, null).run();
        }

        Path stopped = dir.resolve("stopped");
        int k = 9;
        AtomicInteger steps = new AtomicInteger();
        EvalListener counter = new EvalListener() {
            @Override
            public void step(Condition condition, String exampleId) {
                steps.incrementAndGet();
            }
        };
        EvalSummary partial;
        try (RunFolder folder = RunFolder.open(stopped, OPTIONS, false)) {
            partial = new EvalRunner(plan(), EXAMPLES, folder, counter, () -> steps.get() >= k).run();
        }
        assertThat(partial.complete()).isFalse();
        int finished = steps.get(); // a stop is honoured between passes of up to one condition's 6 examples
        assertThat(finished).isBetween(k, k + EXAMPLES.size() - 1);
        assertThat(Files.readAllLines(stopped.resolve(RunFolder.EXAMPLES))).hasSize(1 + finished * 3);
        assertThat(Files.readString(stopped.resolve(RunFolder.SUMMARY))).contains("\"complete\": false");

        // a new run may not overwrite it, and a resume must use the same options
        assertThatThrownBy(() -> RunFolder.open(stopped, OPTIONS, false)).hasMessageContaining("--resume");
        assertThatThrownBy(() -> RunFolder.open(stopped, Map.of("models", "tiny", "shots", "0,4"), true))
                .isInstanceOf(EvalException.class).hasMessageContaining("shots was '0,2', now '0,4'");

        // the process died while writing: a torn last line must not count as done
        Files.writeString(stopped.resolve(RunFolder.EXAMPLES), "tiny,seed-notebook,2,correct,0,next-token,1,positive,0,0.0",
                java.nio.file.StandardOpenOption.APPEND);

        List<String> resumedIds = new ArrayList<>();
        EvalSummary resumed;
        try (RunFolder folder = RunFolder.open(stopped, OPTIONS, true)) {
            assertThat(folder.loaded()).hasSize(finished);
            assertThat(folder.droppedRows()).isEqualTo(1);
            resumed = new EvalRunner(plan(), EXAMPLES, folder, new EvalListener() {
                @Override
                public void step(Condition condition, String exampleId) {
                    resumedIds.add(condition.key() + "/" + exampleId);
                }
            }, null).run();
        }
        assertThat(resumed.complete()).isTrue();
        assertThat(resumedIds).hasSize(5 * 6 - finished).doesNotHaveDuplicates();
        assertThat(resumed.models().get(0).computed()).isEqualTo(uninterrupted.models().get(0).computed());
        JsonObject a = EvalJson.summary(uninterrupted);
        JsonObject b = EvalJson.summary(resumed);
        // Equal up to float32 rounding: the resumed examples ran side by side in other company.
        assertCloseJson("conditions", b.get("conditions"), a.get("conditions"));
        assertCloseJson("aggregates", b.get("aggregates"), a.get("aggregates"));
        assertThat(Files.readAllLines(stopped.resolve(RunFolder.EXAMPLES))).hasSize(1 + 5 * 6 * 3);
    }

    @Test
    void aStopLandsInsideAPassBetweenBlocksAndThePassIsRedoneOnResume() throws Exception {
        Path stopped = dir.resolve("stopped-inside");
        AtomicInteger steps = new AtomicInteger();
        EvalListener counter = new EvalListener() {
            @Override
            public void step(Condition condition, String exampleId) {
                steps.incrementAndGet();
            }
        };
        // The runner asks before the model and before the first pass (2 calls); from then on the
        // engine asks between blocks. Stop at the first question inside the pass.
        AtomicInteger asked = new AtomicInteger();
        EvalSummary partial;
        try (RunFolder folder = RunFolder.open(stopped, OPTIONS, false)) {
            partial = new EvalRunner(plan(), EXAMPLES, folder, counter, () -> asked.incrementAndGet() > 2).run();
        }
        assertThat(partial.complete()).isFalse();
        assertThat(asked.get()).as("the stop was seen inside the first pass").isGreaterThan(2);
        assertThat(steps.get()).as("the first pass stopped before any of its examples was done").isZero();
        assertThat(Files.readAllLines(stopped.resolve(RunFolder.EXAMPLES))).hasSize(1);

        try (RunFolder folder = RunFolder.open(stopped, OPTIONS, true)) {
            EvalSummary resumed = new EvalRunner(plan(), EXAMPLES, folder, counter, null).run();
            assertThat(resumed.complete()).isTrue();
        }
        assertThat(steps.get()).isEqualTo(5 * 6);
        assertThat(Files.readAllLines(stopped.resolve(RunFolder.EXAMPLES))).hasSize(1 + 5 * 6 * 3);
    }

    /** {@code actual} has {@code expected}'s structure and text, and numbers equal up to float32 rounding. */
    private static void assertCloseJson(String path, com.google.gson.JsonElement actual, com.google.gson.JsonElement expected) {
        if (expected.isJsonObject()) {
            assertThat(actual.getAsJsonObject().keySet()).as(path).isEqualTo(expected.getAsJsonObject().keySet());
            expected.getAsJsonObject().entrySet().forEach(e ->
                    assertCloseJson(path + "." + e.getKey(), actual.getAsJsonObject().get(e.getKey()), e.getValue()));
        } else if (expected.isJsonArray()) {
            assertThat(actual.getAsJsonArray().size()).as(path).isEqualTo(expected.getAsJsonArray().size());
            for (int i = 0; i < expected.getAsJsonArray().size(); i++) {
                assertCloseJson(path + "[" + i + "]", actual.getAsJsonArray().get(i), expected.getAsJsonArray().get(i));
            }
        } else if (expected.isJsonPrimitive() && expected.getAsJsonPrimitive().isNumber()) {
            double e = expected.getAsDouble();
            assertThat(actual.getAsDouble()).as(path).isCloseTo(e, within(1e-7 + 1e-5 * Math.abs(e)));
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }

    @Test
    void examplesSideBySideAndOneAtATimeGiveTheSameResults() throws Exception {
        EvalPlan calibrated = plan().withMethod(ScoringMethod.NEXT_TOKEN, true);
        EvalSummary together;
        EvalSummary alone;
        try (RunFolder folder = RunFolder.open(dir.resolve("side-by-side"), OPTIONS, false)) {
            together = new EvalRunner(calibrated.withBatch(4), EXAMPLES, folder, null, null).run(); // passes of 4 and 2
        }
        try (RunFolder folder = RunFolder.open(dir.resolve("one-at-a-time"), OPTIONS, false)) {
            alone = new EvalRunner(calibrated.withBatch(1), EXAMPLES, folder, null, null).run();
        }
        assertThat(together.models().get(0).computed()).isEqualTo(alone.models().get(0).computed());
        for (int c = 0; c < alone.conditions().size(); c++) {
            ConditionSummary a = alone.conditions().get(c);
            ConditionSummary b = together.conditions().get(c);
            assertThat(b.condition()).isEqualTo(a.condition());
            for (int l = 0; l < a.layers().size(); l++) {
                assertThat(b.layers().get(l).accuracy()).isEqualTo(a.layers().get(l).accuracy());
                assertThat(b.layers().get(l).contextualAccuracy()).isEqualTo(a.layers().get(l).contextualAccuracy());
                assertThat(b.layers().get(l).meanPGold()).isCloseTo(a.layers().get(l).meanPGold(), within(1e-6));
            }
        }
        assertThatThrownBy(() -> plan().withBatch(0)).hasMessageContaining("--batch");
    }

    @Test
    void lossMethodAndCalibrationPassThrough() throws Exception {
        EvalPlan loss = plan().withMethod(ScoringMethod.LOSS, false);
        try (RunFolder folder = RunFolder.open(dir.resolve("loss"), OPTIONS, false)) {
            EvalSummary s = new EvalRunner(loss, EXAMPLES.subList(0, 2), folder, null, null).run();
            assertThat(s.conditions()).allSatisfy(c -> assertThat(c.condition().method()).isEqualTo(ScoringMethod.LOSS));
            assertThat(Files.readString(dir.resolve("loss").resolve(RunFolder.EXAMPLES))).contains(",loss,");
        }
        EvalPlan calibrated = plan().withMethod(ScoringMethod.NEXT_TOKEN, true);
        try (RunFolder folder = RunFolder.open(dir.resolve("calibrated"), OPTIONS, false)) {
            EvalSummary s = new EvalRunner(calibrated, EXAMPLES.subList(0, 2), folder, null, null).run();
            assertThat(s.conditions()).allSatisfy(c -> assertThat(c.layers())
                    .allSatisfy(l -> assertThat(l.contextualAccuracy()).isBetween(0.0, 1.0)));
        }
        assertThatThrownBy(() -> plan().withMethod(ScoringMethod.LOSS, true)).hasMessageContaining("--calibrate");
    }

    @Test
    void aPoolTooSmallOrAnUnwritableFolderFailsBeforeAnyModelWork() throws Exception {
        DemoPool tiny = new DemoPool(List.of(new dev.logitscope.prompt.Demonstration("good", Sentiment.POSITIVE)));
        EvalPlan plan = EvalPlan.of(List.of(model), List.of(2), List.of(DemoLabels.CORRECT), List.of(0L), TEMPLATE, tiny);
        try (RunFolder folder = RunFolder.open(dir.resolve("small-pool"), OPTIONS, false)) {
            assertThatThrownBy(() -> new EvalRunner(plan, EXAMPLES, folder, null, null))
                    .hasMessageContaining("0 negative reviews");
        }
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> RunFolder.check(file.resolve("out"), OPTIONS, false))
                .hasMessageContaining("Cannot write to the output folder");
        assertThatThrownBy(() -> RunFolder.check(dir.resolve("fresh"), OPTIONS, true))
                .hasMessageContaining("Nothing to resume");
        // demonstrations are never evaluated reviews
        DemoPool pool = new DemoPool(List.of(new dev.logitscope.prompt.Demonstration(" an INSTANT  classic. ", Sentiment.POSITIVE),
                new dev.logitscope.prompt.Demonstration("fine", Sentiment.POSITIVE)));
        assertThat(DemoSource.excluding(pool, EXAMPLES).all()).extracting(d -> d.review()).containsExactly("fine");
    }
}
