package dev.logitscope.testing.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.eval.ConditionSummary;
import dev.logitscope.eval.DemoSource;
import dev.logitscope.eval.EvalPlan;
import dev.logitscope.eval.EvalRunner;
import dev.logitscope.eval.EvalSummary;
import dev.logitscope.eval.Example;
import dev.logitscope.eval.ModelRef;
import dev.logitscope.eval.RunFolder;
import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.PromptRecipe;
import dev.logitscope.prompt.PromptTemplate;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.Shots;
import dev.logitscope.prompt.TemplateLibrary;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decoder family the engine has never heard of (the tests' {@link ToyFamily}, registered through
 * src/test/resources/META-INF/services) runs through the lens and through eval, and its numbers are
 * those of a float64 recomputation of its own definition.
 */
class SecondFamilyTest {
    private static final int POSITIVE_ID = 3967; // " positive"
    private static final int NEGATIVE_ID = 4633; // " negative"
    private static final List<Example> EXAMPLES = List.of(
            new Example("1", "A gorgeous, witty and moving film.", Sentiment.POSITIVE),
            new Example("2", "Dull, slow and far too long.", Sentiment.NEGATIVE),
            new Example("3", "I smiled the whole time.", Sentiment.POSITIVE),
            new Example("4", "The plot makes no sense at all.", Sentiment.NEGATIVE));
    private static final PromptTemplate TEMPLATE = TemplateLibrary.builtIn("seed-notebook");

    @TempDir
    static Path dir;
    static ToyCheckpoint toy;

    @BeforeAll
    static void write() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip().resolve("tokenizer.json");
        toy = ToyCheckpoint.write(dir.resolve("toy"), tokenizer, 3, 8, 512, 50257, 4);
    }

    @Test
    void theLensReadsEveryLayerOfTheToyAsItsDefinitionSays() throws Exception {
        String prompt = "Review: An instant classic.\nSentiment:";
        try (LensEngine engine = LensEngine.open(toy.folder, "toy")) {
            assertThat(engine.info().shape().family()).isEqualTo(ToyFamily.MODEL_TYPE);
            assertThat(engine.info().shape().nLayer()).isEqualTo(3);
            LensReport report = engine.inspect(prompt, engine.track(List.of(" positive", " negative")), 5,
                    LensRequest.Positions.LAST, false);
            int[] ids = engine.tokenizer().encodeIds(prompt);
            double[][] expected = toy.lensAtLast(ids);
            assertThat(report.layers()).hasSize(4);
            for (LayerReading layer : report.layers()) {
                double[] p = layer.last().trackedProbs();
                assertThat(p[0]).as("layer %d", layer.layer()).isCloseTo(expected[layer.layer()][POSITIVE_ID], within(1e-5));
                assertThat(p[1]).as("layer %d", layer.layer()).isCloseTo(expected[layer.layer()][NEGATIVE_ID], within(1e-5));
            }
            // Again with the prompt cached: only the last token runs, the toy's residual store serves the rest.
            LensReport cached = engine.inspect(prompt, engine.track(List.of(" positive", " negative")), 5,
                    LensRequest.Positions.LAST, false);
            double[] again = cached.finalLayer().last().trackedProbs();
            assertThat(again[0]).isCloseTo(expected[3][POSITIVE_ID], within(1e-5));
            assertThat(again[1]).isCloseTo(expected[3][NEGATIVE_ID], within(1e-5));
        }
    }

    @Test
    void evalRunsTheToyAndScoresItsLayersAsTheDefinitionSays() throws Exception {
        DemoPool pool = DemoSource.excluding(DemoPool.builtIn(), EXAMPLES);
        EvalPlan plan = EvalPlan.of(List.of(new ModelRef("toy", toy.folder)), List.of(0, 2), List.of(DemoLabels.CORRECT),
                List.of(0L), TEMPLATE, pool);
        EvalSummary summary;
        try (RunFolder folder = RunFolder.open(dir.resolve("run"), Map.of("models", "toy", "shots", "0,2"), false)) {
            summary = new EvalRunner(plan, EXAMPLES, folder, null, null).run();
        }
        assertThat(summary.complete()).isTrue();
        assertThat(summary.conditions()).hasSize(2);
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(toy.folder.resolve("tokenizer.json"))) {
            for (ConditionSummary s : summary.conditions()) {
                PromptRecipe recipe = new PromptRecipe(TEMPLATE, new Shots(s.condition().shots()),
                        s.condition().demoLabels(), null, s.condition().seed());
                double[] pGold = new double[toy.layers + 1];
                int[] right = new int[toy.layers + 1];
                for (Example e : EXAMPLES) {
                    String text = recipe.fit(pool, e.text(), t -> 0, Integer.MAX_VALUE).prompt().text();
                    double[][] p = toy.lensAtLast(tokenizer.encodeIds(text));
                    for (int l = 0; l <= toy.layers; l++) {
                        double positive = p[l][POSITIVE_ID] / (p[l][POSITIVE_ID] + p[l][NEGATIVE_ID]);
                        boolean saysPositive = positive >= 0.5;
                        right[l] += saysPositive == (e.gold() == Sentiment.POSITIVE) ? 1 : 0;
                        pGold[l] += (e.gold() == Sentiment.POSITIVE ? positive : 1 - positive) / EXAMPLES.size();
                    }
                }
                assertThat(s.layers()).hasSize(toy.layers + 1);
                for (int l = 0; l <= toy.layers; l++) {
                    assertThat(s.layers().get(l).accuracy()).as("%s layer %d", s.condition().setting(), l)
                            .isEqualTo(right[l] / (double) EXAMPLES.size());
                    assertThat(s.layers().get(l).meanPGold()).isCloseTo(pGold[l], within(1e-4));
                }
            }
        }
    }
}
