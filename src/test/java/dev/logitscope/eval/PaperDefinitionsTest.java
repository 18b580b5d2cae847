package dev.logitscope.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.analysis.LossSpan;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures an eval run writes (examples.csv, summary.json) against the papers' definitions,
 * recomputed here in float64 on the reference forward pass of a tiny checkpoint:
 * contextual calibration (Zhao et al. 2021, {@code get_p_content_free} / {@code eval_accuracy}),
 * calibrated accuracy (Halawi et al., {@code get_cal_correct_over_incorrect}) and the seed's
 * loss-based scoring (a causal LM's loss on the whole class prompt).
 */
class PaperDefinitionsTest {
    private static final int POSITIVE_ID = 3967; // " positive"
    private static final int NEGATIVE_ID = 4633; // " negative"
    private static final List<String> CONTENT_FREE = List.of("N/A", "", "[MASK]");
    private static final PromptTemplate TEMPLATE = TemplateLibrary.builtIn("seed-notebook");
    /** An odd count: the middle input of each layer sits exactly at its label's median. */
    private static final List<Example> EXAMPLES = List.of(
            new Example("1", "A gorgeous, witty and moving film.", Sentiment.POSITIVE),
            new Example("2", "Dull, slow and far too long.", Sentiment.NEGATIVE),
            new Example("3", "I smiled the whole time.", Sentiment.POSITIVE),
            new Example("4", "The plot makes no sense at all.", Sentiment.NEGATIVE),
            new Example("5", "An instant classic.", Sentiment.POSITIVE));

    @TempDir
    static Path dir;
    static TinyCheckpoint checkpoint;
    static ModelRef model;
    static ReferenceGpt2 reference;
    static Gpt2Tokenizer tokenizer;
    static DemoPool pool;

    @BeforeAll
    static void write() throws Exception {
        checkpoint = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(23)
                .realTokenizer(SharedFiles.gpt2TokenizerOrSkip()).write(dir.resolve("tiny"));
        model = new ModelRef("tiny", checkpoint.folder());
        reference = new ReferenceGpt2(checkpoint);
        tokenizer = Gpt2Tokenizer.open(checkpoint.tokenizerFile());
        pool = DemoSource.excluding(DemoPool.builtIn(), EXAMPLES);
    }

    @AfterAll
    static void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    private static EvalPlan plan(List<Integer> shots) {
        return EvalPlan.of(List.of(model), shots, List.of(DemoLabels.CORRECT), List.of(0L), TEMPLATE, pool);
    }

    private static Path run(EvalPlan plan, String name) throws Exception {
        Path out = dir.resolve(name);
        try (RunFolder folder = RunFolder.open(out, Map.of("models", "tiny"), false)) {
            assertThat(new EvalRunner(plan, EXAMPLES, folder, null, null).run().complete()).isTrue();
        }
        return out;
    }

    /** [positive, negative] full-vocabulary lens probabilities of the label tokens at the last position, per layer. */
    private static double[][] labelProbs(String prompt) {
        int[] ids = tokenizer.encodeIds(prompt);
        ReferenceGpt2.Result r = reference.run(ids);
        double[][] out = new double[checkpoint.nLayer() + 1][];
        for (int l = 0; l < out.length; l++) {
            double[] p = reference.lensProbabilities(r.afterLayer()[l][ids.length - 1]);
            out[l] = new double[] {p[POSITIVE_ID], p[NEGATIVE_ID]};
        }
        return out;
    }

    @Test
    void contextualAndCalibratedAccuracyEqualTheAuthorsDefinitions() throws Exception {
        Path out = run(plan(List.of(0, 2)).withMethod(ScoringMethod.NEXT_TOKEN, true), "calibrated");
        Map<String, String[]> rows = rows(out); // "shots/id/layer" → fields
        JsonArray conditions = summary(out).getAsJsonArray("conditions");
        assertThat(conditions).hasSize(2);
        int layers = checkpoint.nLayer() + 1;
        for (int c = 0; c < 2; c++) {
            JsonObject condition = conditions.get(c).getAsJsonObject();
            int shots = condition.get("shots").getAsInt();
            PromptRecipe recipe = new PromptRecipe(TEMPLATE, new Shots(shots), DemoLabels.CORRECT, null, 0);

            // get_p_content_free: the raw label probabilities averaged over the inputs, then normalised.
            double[][] pcf = new double[layers][2];
            for (String input : CONTENT_FREE) {
                double[][] p = labelProbs(recipe.fit(pool, input, t -> 0, Integer.MAX_VALUE).prompt().text());
                for (int l = 0; l < layers; l++) {
                    pcf[l][0] += p[l][0] / CONTENT_FREE.size();
                    pcf[l][1] += p[l][1] / CONTENT_FREE.size();
                }
            }
            for (double[] layer : pcf) {
                double sum = layer[0] + layer[1];
                layer[0] /= sum;
                layer[1] /= sum;
            }

            double[][] normalized = new double[layers][EXAMPLES.size()];
            int[] contextualRight = new int[layers];
            for (int i = 0; i < EXAMPLES.size(); i++) {
                Example e = EXAMPLES.get(i);
                double[][] p = labelProbs(recipe.fit(pool, e.text(), t -> 0, Integer.MAX_VALUE).prompt().text());
                for (int l = 0; l < layers; l++) {
                    // eval_accuracy: normalise the label probabilities, W = diag(p_cf)⁻¹, argmax of W·p.
                    double[] q = {p[l][0] / (p[l][0] + p[l][1]), p[l][1] / (p[l][0] + p[l][1])};
                    double[] w = {q[0] / pcf[l][0], q[1] / pcf[l][1]};
                    normalized[l][i] = q[0];
                    Sentiment calibrated = w[0] >= w[1] ? Sentiment.POSITIVE : Sentiment.NEGATIVE;
                    contextualRight[l] += calibrated == e.gold() ? 1 : 0;

                    String[] row = rows.get(shots + "/" + e.id() + "/" + l);
                    assertThat(Double.parseDouble(row[10])).as("normalized %d-shot #%s layer %d", shots, e.id(), l)
                            .isCloseTo(q[0], within(1e-5));
                    assertThat(Double.parseDouble(row[12])).as("calibrated %d-shot #%s layer %d", shots, e.id(), l)
                            .isCloseTo(w[0] / (w[0] + w[1]), within(1e-5));
                }
            }
            JsonArray summaryLayers = condition.getAsJsonArray("layers");
            for (int l = 0; l < layers; l++) {
                JsonObject layer = summaryLayers.get(l).getAsJsonObject();
                assertThat(layer.get("contextual_accuracy").getAsDouble()).as("contextual %d-shot layer %d", shots, l)
                        .isEqualTo(contextualRight[l] / (double) EXAMPLES.size());
                // Halawi et al.: from the reference's values, and from the very values examples.csv holds.
                double[] fromCsv = new double[EXAMPLES.size()];
                for (int i = 0; i < EXAMPLES.size(); i++) {
                    fromCsv[i] = Double.parseDouble(rows.get(shots + "/" + EXAMPLES.get(i).id() + "/" + l)[10]);
                }
                assertThat(layer.get("calibrated_accuracy").getAsDouble()).as("calibrated accuracy %d-shot layer %d", shots, l)
                        .isEqualTo(halawi(normalized[l]))
                        .isEqualTo(halawi(fromCsv));
            }
        }
    }

    /**
     * Halawi et al.'s calibrated accuracy, two labels: per label, the median (torch.quantile at
     * (n_labels − 1) / n_labels, linear interpolation) of that label's normalised probability
     * over the inputs; the gold label scores 1 above its threshold, 1/n_labels at it.
     */
    private static double halawi(double[] normalizedPositive) {
        int n = normalizedPositive.length;
        double[][] byLabel = new double[2][n];
        for (int i = 0; i < n; i++) {
            byLabel[0][i] = normalizedPositive[i];
            byLabel[1][i] = 1 - normalizedPositive[i];
        }
        double[] threshold = new double[2];
        for (int j = 0; j < 2; j++) {
            double[] sorted = byLabel[j].clone();
            Arrays.sort(sorted);
            double at = 0.5 * (n - 1);
            int lo = (int) Math.floor(at);
            int hi = (int) Math.ceil(at);
            threshold[j] = sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int g = EXAMPLES.get(i).gold() == Sentiment.POSITIVE ? 0 : 1;
            double p = byLabel[g][i];
            sum += (p > threshold[g] ? 1 : 0) + 0.5 * (p == threshold[g] ? 1 : 0);
        }
        return sum / n;
    }

    /** Mean next-token loss of a prompt under each layer's lens: transformers' labels = input_ids loss, positions 1..n−1. */
    private static double[] wholePromptLoss(String text) {
        int[] ids = tokenizer.encodeIds(text);
        ReferenceGpt2.Result r = reference.run(ids);
        double[] out = new double[checkpoint.nLayer() + 1];
        for (int l = 0; l < out.length; l++) {
            for (int t = 1; t < ids.length; t++) {
                out[l] -= Math.log(reference.lensProbabilities(r.afterLayer()[l][t - 1])[ids[t]]) / (ids.length - 1);
            }
        }
        return out;
    }

    @Test
    void lossScoringIsTheModelsLossOnTheWholeClassPrompt() throws Exception {
        Path out = run(plan(List.of(0)).withMethod(ScoringMethod.LOSS, false), "loss");
        Map<String, String[]> rows = rows(out);
        int right = 0;
        for (Example e : EXAMPLES) {
            double[] pos = wholePromptLoss("This is an example of positive text: " + e.text());
            double[] neg = wholePromptLoss("This is an example of negative text: " + e.text());
            for (int l = 0; l <= checkpoint.nLayer(); l++) {
                String[] row = rows.get("0/" + e.id() + "/" + l);
                assertThat(row[4]).isEqualTo("loss");
                // examples.csv holds exp(−mean loss) per class
                assertThat(-Math.log(Double.parseDouble(row[8]))).as("loss(pos) #%s layer %d", e.id(), l)
                        .isCloseTo(pos[l], within(1e-4));
                assertThat(-Math.log(Double.parseDouble(row[9]))).as("loss(neg) #%s layer %d", e.id(), l)
                        .isCloseTo(neg[l], within(1e-4));
            }
            int last = checkpoint.nLayer();
            right += (pos[last] <= neg[last] ? Sentiment.POSITIVE : Sentiment.NEGATIVE) == e.gold() ? 1 : 0;
        }
        JsonObject summary = summary(out);
        JsonObject condition = summary.getAsJsonArray("conditions").get(0).getAsJsonObject();
        assertThat(condition.get("final_accuracy").getAsDouble()).isEqualTo(right / (double) EXAMPLES.size());
        assertThat(condition.get("loss_span").getAsString()).isEqualTo("whole");
        assertThat(summary.getAsJsonArray("aggregates").get(0).getAsJsonObject().get("loss_span").getAsString())
                .isEqualTo("whole");
    }

    @Test
    void theReviewOnlySpanIsNamedInTheSummaryAndNextTokenRunsCarryNoSpan() throws Exception {
        Path review = run(plan(List.of(0)).withMethod(ScoringMethod.LOSS, false).withLossSpan(LossSpan.REVIEW), "review");
        JsonObject condition = summary(review).getAsJsonArray("conditions").get(0).getAsJsonObject();
        assertThat(condition.get("method").getAsString()).isEqualTo("loss");
        assertThat(condition.get("loss_span").getAsString()).isEqualTo("review");
        // the review's tokens alone give other losses than the whole prompt
        Example e = EXAMPLES.get(0);
        double[] whole = wholePromptLoss("This is an example of positive text: " + e.text());
        double got = -Math.log(Double.parseDouble(rows(review).get("0/1/" + checkpoint.nLayer())[8]));
        assertThat(Math.abs(got - whole[checkpoint.nLayer()])).isGreaterThan(1e-3);

        Path nextToken = run(plan(List.of(0)).withLossSpan(LossSpan.REVIEW), "next-token");
        assertThat(summary(nextToken).getAsJsonArray("conditions").get(0).getAsJsonObject().has("loss_span")).isFalse();
    }

    private static JsonObject summary(Path out) throws Exception {
        return JsonParser.parseString(Files.readString(out.resolve(RunFolder.SUMMARY))).getAsJsonObject();
    }

    /** examples.csv rows keyed "shots/id/layer" (the ids and the model name here need no CSV quoting). */
    private static Map<String, String[]> rows(Path out) throws Exception {
        List<String> lines = Files.readAllLines(out.resolve(RunFolder.EXAMPLES));
        assertThat(lines.get(0)).isEqualTo("model,template,shots,demo_labels,seed,method,id,gold,layer,p_positive,"
                + "p_negative,normalized,prediction,calibrated");
        Map<String, String[]> out2 = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = new java.util.ArrayList<>(List.of(line.split(",", -1)));
            fields.remove(1); // one template here: the indices below are those of the other columns
            String[] f = fields.toArray(String[]::new);
            out2.put(f[1] + "/" + f[5] + "/" + f[7], f);
        }
        return out2;
    }
}
