package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.eval.Condition;
import dev.logitscope.eval.EvalJob;
import dev.logitscope.eval.EvalListener;
import dev.logitscope.eval.EvalRequest;
import dev.logitscope.eval.ModelRef;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which conditions an evaluation runs: each distinct prompt set once (zero-shot once, the loss
 * method once per model), progress counting exactly that work, and several templates reported
 * each and as their mean. Runs through the job the CLI and the app share.
 */
class EvalConditionsTest {
    static final int EXAMPLES = 6;
    static final int LAYERS = 2;

    @TempDir
    static Path dir;
    static Path model;
    static Path sst2;

    @BeforeAll
    static void setUp() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip();
        sst2 = SharedFiles.sst2OrSkip().resolve("stsa.binary.dev");
        model = TinyCheckpoint.builder().nLayer(LAYERS).nEmbd(16).nHead(2).nPositions(1024).seed(5)
                .realTokenizer(tokenizer).write(dir.resolve("tiny")).folder();
    }

    /** What a run told its listener. */
    static final class Counted implements EvalListener {
        final AtomicLong total = new AtomicLong(-1);
        final AtomicLong steps = new AtomicLong();
        final Set<String> stepped = new HashSet<>();
        final List<String> warnings = new ArrayList<>();

        @Override
        public void started(long total, long done) {
            this.total.set(total);
        }

        @Override
        public void step(Condition condition, String exampleId) {
            steps.incrementAndGet();
            stepped.add(condition.key() + "/" + exampleId);
        }

        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    }

    static Counted run(Path out, List<String> templates, String method, int seeds) throws Exception {
        EvalRequest request = new EvalRequest(List.of("tiny"), sst2, null, null, null, null, EXAMPLES, null, 0, false,
                null, null, templates, List.of("0", "2"), List.of("correct", "flipped"), null, seeds, method, false,
                0.1, out, false, false, 0, null);
        Counted counted = new Counted();
        EvalJob.prepare(request).run(List.of(new ModelRef("tiny", model)), counted, () -> false, null);
        return counted;
    }

    static JsonArray conditions(Path out) throws Exception {
        return JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject()
                .getAsJsonArray("conditions");
    }

    @Test
    void zeroShotRunsOnceAndProgressCountsTheDistinctConditions() throws Exception {
        Path out = dir.resolve("zero-shot-once");
        Counted counted = run(out, List.of("seed-notebook"), "next-token", 1);
        JsonArray conditions = conditions(out);
        // 0-shot, 2 correct, 2 flipped: the zero-shot prompt is the same under correct and flipped labels
        assertThat(conditions).hasSize(3);
        List<JsonObject> zeroShot = new ArrayList<>();
        conditions.forEach(c -> {
            if (c.getAsJsonObject().get("shots").getAsInt() == 0) {
                zeroShot.add(c.getAsJsonObject());
            }
        });
        assertThat(zeroShot).singleElement().satisfies(c -> {
            assertThat(c.get("demo_labels").isJsonNull()).isTrue(); // no demonstrations: no demo labels, no seed
            assertThat(c.get("seed").isJsonNull()).isTrue();
            assertThat(c.get("examples").getAsInt()).isEqualTo(EXAMPLES);
        });
        assertThat(counted.total.get()).isEqualTo((long) EXAMPLES * 3);
        assertThat(counted.steps.get()).isEqualTo(counted.total.get());
        assertThat(counted.stepped).hasSize(EXAMPLES * 3);
        assertThat(Files.readAllLines(out.resolve("examples.csv"))).hasSize(1 + EXAMPLES * 3 * (LAYERS + 1));
        // every 0-shot row leaves demo_labels and seed empty
        assertThat(Files.readAllLines(out.resolve("examples.csv")).stream().filter(l -> l.contains(",seed-notebook,0,")))
                .hasSize(EXAMPLES * (LAYERS + 1)).allSatisfy(l -> assertThat(l).contains(",seed-notebook,0,,,next-token,"));
    }

    @Test
    void theLossMethodRunsOneConditionPerModel() throws Exception {
        Path out = dir.resolve("loss-once");
        // two templates with the same (default) loss prompt: still one prompt per class and review
        Counted counted = run(out, List.of("seed-notebook", "review-answer"), "loss", 2);
        JsonArray conditions = conditions(out);
        assertThat(conditions).singleElement().satisfies(c -> {
            assertThat(c.getAsJsonObject().get("method").getAsString()).isEqualTo("loss");
            assertThat(c.getAsJsonObject().get("shots").getAsInt()).isZero();
            assertThat(c.getAsJsonObject().get("template").getAsString()).isEqualTo("seed-notebook");
        });
        assertThat(counted.total.get()).isEqualTo(EXAMPLES);
        assertThat(counted.steps.get()).isEqualTo(EXAMPLES);
        assertThat(counted.warnings).anyMatch(w -> w.contains("one condition per model"))
                .anyMatch(w -> w.contains("review-answer has the same loss prompt as seed-notebook"));
    }

    @Test
    void severalTemplatesAreReportedEachAndAsTheirMean() throws Exception {
        Path out = dir.resolve("templates");
        List<String> templates = List.of("review-answer", "overthinking-sst2-1", "seed-movie-review");
        CliRunner result = CliRunner.run("eval", "--models", model.toString(), "--dataset", sst2.toString(), "--limit",
                String.valueOf(EXAMPLES), "--shots", "0,2", "--demo-labels", "correct,flipped", "--templates",
                String.join(",", templates), "--out", out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        JsonArray conditions = summary.getAsJsonArray("conditions");
        assertThat(conditions).hasSize(templates.size() * 3);
        List<String> named = new ArrayList<>();
        conditions.forEach(c -> named.add(c.getAsJsonObject().get("template").getAsString()));
        assertThat(named.stream().distinct()).containsExactlyElementsOf(templates);

        // Recompute each template's accuracy per layer from examples.csv, then their mean.
        Map<String, double[]> accuracy = accuracyFromCsv(out.resolve("examples.csv")); // template|setting -> per layer
        JsonArray means = summary.getAsJsonArray("template_means");
        assertThat(means).hasSize(3);
        Map<String, double[]> meanCurves = new LinkedHashMap<>();
        for (JsonElement e : means) {
            JsonObject m = e.getAsJsonObject();
            String setting = setting(m.get("shots").getAsInt(), m.get("demo_labels"));
            assertThat(m.getAsJsonArray("templates")).hasSize(templates.size());
            double[] curve = new double[LAYERS + 1];
            for (int l = 0; l <= LAYERS; l++) {
                double sum = 0;
                for (String t : templates) {
                    sum += accuracy.get(t + "|" + setting)[l];
                }
                curve[l] = sum / templates.size();
                assertThat(m.getAsJsonArray("layers").get(l).getAsJsonObject().getAsJsonObject("accuracy").get("mean")
                        .getAsDouble()).as("%s layer %d", setting, l).isCloseTo(curve[l], within(1e-12));
            }
            meanCurves.put(setting, curve);
            assertThat(m.getAsJsonObject("final_accuracy").get("mean").getAsDouble()).isCloseTo(curve[LAYERS], within(1e-12));
        }
        // The critical layer of the mean curves, by its definition: the first layer where
        // acc_correct − acc_flipped ≥ half the final gap (none when the final gap is not positive).
        double[] correct = meanCurves.get("2 correct");
        double[] flipped = meanCurves.get("2 flipped");
        double finalGap = correct[LAYERS] - flipped[LAYERS];
        Integer expected = null;
        for (int l = 0; l <= LAYERS && finalGap > 0; l++) {
            if (correct[l] - flipped[l] >= 0.5 * finalGap - 1e-12) {
                expected = l;
                break;
            }
        }
        JsonObject flippedMean = null;
        for (JsonElement e : means) {
            if ("flipped".equals(e.getAsJsonObject().get("demo_labels").isJsonNull() ? null
                    : e.getAsJsonObject().get("demo_labels").getAsString())) {
                flippedMean = e.getAsJsonObject();
            }
        }
        assertThat(flippedMean).isNotNull();
        assertThat(flippedMean.get("critical_layer_of_means").isJsonNull() ? null
                : flippedMean.get("critical_layer_of_means").getAsInt()).isEqualTo(expected);

        assertThat(result.out()).contains("template").contains("review-answer").contains("overthinking-sst2-1")
                .contains("mean of 3");
        assertThat(Files.exists(out.resolve("accuracy_by_layer.png"))).isTrue();
    }

    @Test
    void templateAndTemplatesTogetherAreAOneLineError() {
        CliRunner result = CliRunner.run("eval", "--models", model.toString(), "--dataset", sst2.toString(),
                "--template", "review-answer", "--templates", "review-answer,seed-notebook", "--out",
                dir.resolve("both").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: ").contains("--templates");
        assertThat(result.err().strip().lines().count()).isEqualTo(1);
    }

    private static String setting(int shots, JsonElement demoLabels) {
        return shots == 0 ? "0-shot" : shots + " " + demoLabels.getAsString();
    }

    /** template|setting → accuracy per layer, from the rows: prediction = normalized ≥ 0.5 against gold. */
    private static Map<String, double[]> accuracyFromCsv(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        Map<String, double[]> right = new LinkedHashMap<>();
        Map<String, int[]> count = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            // model paths and template names here hold no commas or quotes
            String[] f = line.split(",", -1);
            int shots = Integer.parseInt(f[header.indexOf("shots")]);
            String setting = shots == 0 ? "0-shot" : shots + " " + f[header.indexOf("demo_labels")];
            String key = f[header.indexOf("template")] + "|" + setting;
            int layer = Integer.parseInt(f[header.indexOf("layer")]);
            double normalized = Double.parseDouble(f[header.indexOf("normalized")]);
            String predicted = normalized >= 0.5 ? "positive" : "negative";
            right.computeIfAbsent(key, k -> new double[LAYERS + 1])[layer] +=
                    predicted.equals(f[header.indexOf("gold")]) ? 1 : 0;
            count.computeIfAbsent(key, k -> new int[LAYERS + 1])[layer]++;
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        right.forEach((k, v) -> {
            double[] acc = new double[v.length];
            for (int l = 0; l < v.length; l++) {
                acc[l] = v[l] / count.get(k)[l];
            }
            out.put(k, acc);
        });
        return out;
    }
}
