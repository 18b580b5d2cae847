package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.prompt.BuiltPrompt;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.Demonstration;
import dev.logitscope.prompt.PromptRecipe;
import dev.logitscope.prompt.PromptTemplate;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.Shots;
import dev.logitscope.prompt.TemplateLibrary;
import dev.logitscope.prompt.UsedDemo;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.toy.ToyCheckpoint;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A template of three label words runs through prompt, analysis and {@code eval} on the command
 * line, and every per-layer number is that of a float64 recomputation written here from the
 * definitions: the lens probabilities of the three first tokens (the toy family's own float64
 * forward), renormalised over the labels, the argmax prediction, Zhao et al.'s contextual
 * calibration (p_cf = the mean raw probabilities over "N/A", "", "[MASK]", normalised; argmax of
 * p / p_cf), and Halawi et al.'s calibrated accuracy for three labels (per label a threshold at the
 * 2/3 quantile over the examples, linear interpolation; 1 above, 1/3 at it). Flipped
 * demonstrations show label (i + 1) mod 3.
 */
class ThreeLabelEvalTest {
    private static final String[] WORDS = {" bad", " okay", " good"};
    private static final int[] IDS = {2089, 8788, 922}; // GPT-2's single tokens of the three words
    private static final String[] TEXTS = {"A dull, tiring mess.", "It was fine, nothing more.", "A joy from start to end.",
        "Badly acted and far too long.", "Some parts work, some do not.", "Warm, funny and moving."};
    private static final int[] GOLD = {0, 1, 2, 0, 1, 2};
    private static final String[] TRAIN = {"Awful from the first scene.", "An average film, watchable.",
        "A wonderful surprise.", "I wanted to leave early.", "Neither good nor bad.", "Brilliant and sharp."};
    private static final String[] TRAIN_LABELS = {"bad", "okay", "good", "bad", "okay", "good"};

    @TempDir
    static Path dir;
    static ToyCheckpoint toy;
    static Path template;
    static Path data;
    static Path train;

    @BeforeAll
    static void write() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip().resolve("tokenizer.json");
        toy = ToyCheckpoint.write(dir.resolve("toy"), tokenizer, 3, 8, 512, 50257, 11);
        template = Files.writeString(dir.resolve("three.template"), """
                name: three
                demonstration: Review: {review}\\nSentiment:{label}
                separator: \\n\\n
                label.0: " bad"
                label.1: " okay"
                label.2: " good"
                """);
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < TEXTS.length; i++) {
            d.append("{\"text\": \"").append(TEXTS[i]).append("\", \"label\": ").append(GOLD[i]).append("}\n");
        }
        data = Files.writeString(dir.resolve("data.jsonl"), d.toString());
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < TRAIN.length; i++) {
            t.append("{\"text\": \"").append(TRAIN[i]).append("\", \"label\": \"").append(TRAIN_LABELS[i]).append("\"}\n");
        }
        train = Files.writeString(dir.resolve("train.jsonl"), t.toString());
    }

    @Test
    void evalOfThreeLabelsMatchesAFloat64RecomputationLayerByLayer() throws Exception {
        Path out = dir.resolve("run");
        CliRunner result = CliRunner.run("eval", "--models", toy.folder.toString(), "--dataset", data.toString(),
                "--template", template.toString(), "--train", train.toString(), "--shots", "0,3", "--demo-labels",
                "correct,flipped", "--calibrate", "--out", out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertThat(summary.getAsJsonObject("labels").getAsJsonArray("names").toString())
                .isEqualTo("[\"bad\",\"okay\",\"good\"]");
        JsonArray conditions = summary.getAsJsonArray("conditions");
        assertThat(conditions).hasSize(3);
        List<String> csv = Files.readAllLines(out.resolve("examples.csv"));
        assertThat(csv.get(0)).isEqualTo("model,template,shots,demo_labels,seed,method,id,gold,layer,p_bad,p_okay,"
                + "p_good,normalized_bad,normalized_okay,normalized_good,prediction,calibrated_bad,calibrated_okay,"
                + "calibrated_good");

        PromptTemplate three = TemplateLibrary.resolve(template.toString());
        List<Demonstration> trainDemos = new ArrayList<>();
        for (int i = 0; i < TRAIN.length; i++) {
            trainDemos.add(new Demonstration(TRAIN[i], Sentiment.of(i % 3)));
        }
        DemoPool pool = new DemoPool(trainDemos, 3);
        int taps = toy.layers + 1;
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(toy.folder.resolve("tokenizer.json"))) {
            for (int c = 0; c < conditions.size(); c++) {
                JsonObject cond = conditions.get(c).getAsJsonObject();
                int shots = cond.get("shots").getAsInt();
                DemoLabels labels = shots == 0 ? DemoLabels.CORRECT : DemoLabels.parse(cond.get("demo_labels").getAsString());
                PromptRecipe recipe = new PromptRecipe(three, new Shots(shots), labels, null, 0);
                double[][][] normalized = new double[TEXTS.length][][];
                double[][][] calibrated = new double[TEXTS.length][][];
                for (int e = 0; e < TEXTS.length; e++) {
                    BuiltPrompt prompt = recipe.fit(pool, TEXTS[e], x -> 0, Integer.MAX_VALUE).prompt();
                    assertThat(prompt.demos()).hasSize(shots);
                    for (UsedDemo demo : prompt.demos()) {
                        int truth = trainLabel(demo.review());
                        int shown = labels == DemoLabels.FLIPPED ? (truth + 1) % 3 : truth;
                        assertThat(prompt.text()).contains("Review: " + demo.review() + "\nSentiment:" + WORDS[shown] + "\n");
                    }
                    String text = prompt.text();
                    double[][] raw = labelProbs(tokenizer, text);
                    // Content-free: the same demonstrations, the query's review replaced.
                    String before = text.substring(0, text.lastIndexOf("Review: "));
                    double[][] cf = new double[taps][3];
                    for (String input : new String[] {"N/A", "", "[MASK]"}) {
                        double[][] p = labelProbs(tokenizer, before + "Review: " + input + "\nSentiment:");
                        for (int l = 0; l < taps; l++) {
                            for (int k = 0; k < 3; k++) {
                                cf[l][k] += p[l][k] / 3;
                            }
                        }
                    }
                    normalized[e] = new double[taps][];
                    calibrated[e] = new double[taps][];
                    for (int l = 0; l < taps; l++) {
                        normalized[e][l] = sumToOne(raw[l]);
                        double[] pcf = sumToOne(cf[l]);
                        double[] w = new double[3];
                        for (int k = 0; k < 3; k++) {
                            w[k] = normalized[e][l][k] / pcf[k];
                        }
                        calibrated[e][l] = sumToOne(w);
                    }
                    checkCsv(csv, shots, labels, e, raw, normalized[e], calibrated[e]);
                }
                JsonArray layers = cond.getAsJsonArray("layers");
                assertThat(layers).hasSize(taps);
                for (int l = 0; l < taps; l++) {
                    JsonObject layer = layers.get(l).getAsJsonObject();
                    String where = cond.get("shots") + " " + labels + " layer " + l;
                    assertThat(layer.get("accuracy").getAsDouble()).as(where).isEqualTo(accuracy(normalized, l));
                    assertThat(layer.get("contextual_accuracy").getAsDouble()).as(where).isEqualTo(accuracy(calibrated, l));
                    assertThat(layer.get("calibrated_accuracy").getAsDouble()).as(where)
                            .isCloseTo(halawi(normalized, l), within(1e-12));
                    double pGold = 0;
                    for (int e = 0; e < TEXTS.length; e++) {
                        pGold += normalized[e][l][GOLD[e]] / TEXTS.length;
                    }
                    assertThat(layer.get("mean_p_gold").getAsDouble()).as(where).isCloseTo(pGold, within(1e-5));
                }
            }
        }
    }

    @Test
    void inspectReadsThreeLabelsAndNamesThem() throws Exception {
        CliRunner result = CliRunner.run("inspect", "--model", toy.folder.toString(), "--review", TEXTS[2],
                "--template", template.toString(), "--gold", "good", "--calibrate", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject json = JsonParser.parseString(result.out()).getAsJsonObject();
        assertThat(json.get("gold").getAsString()).isEqualTo("good");
        assertThat(json.getAsJsonArray("label_names").toString()).isEqualTo("[\"bad\",\"okay\",\"good\"]");
        JsonArray layers = json.getAsJsonArray("layers");
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(toy.folder.resolve("tokenizer.json"))) {
            double[][] raw = labelProbs(tokenizer, json.get("prompt").getAsString());
            for (int l = 0; l < layers.size(); l++) {
                JsonObject layer = layers.get(l).getAsJsonObject();
                JsonArray n = layer.getAsJsonArray("normalized");
                double[] want = sumToOne(raw[l]);
                assertThat(n).hasSize(3);
                for (int k = 0; k < 3; k++) {
                    assertThat(n.get(k).getAsDouble()).isCloseTo(want[k], within(1e-5));
                }
                assertThat(layer.has("log_odds")).isFalse();
                assertThat(layer.get("prediction").getAsString()).isEqualTo(List.of("bad", "okay", "good").get(argmax(want)));
                assertThat(layer.getAsJsonObject("calibrated").getAsJsonArray("normalized")).hasSize(3);
            }
        }
        CliRunner wrongGold = CliRunner.run("inspect", "--model", toy.folder.toString(), "--review", TEXTS[2],
                "--template", template.toString(), "--gold", "positive");
        assertThat(wrongGold.exitCode()).isEqualTo(1);
        assertThat(wrongGold.err()).startsWith("error:").contains("bad, okay, good").doesNotContain("\tat ");
    }

    /** The float64 lens probability of each label's first token at the last position, [layer][label]. */
    private static double[][] labelProbs(Gpt2Tokenizer tokenizer, String text) {
        double[][] all = toy.lensAtLast(tokenizer.encodeIds(text));
        double[][] out = new double[all.length][3];
        for (int l = 0; l < all.length; l++) {
            for (int k = 0; k < 3; k++) {
                out[l][k] = all[l][IDS[k]];
            }
        }
        return out;
    }

    private static void checkCsv(List<String> csv, int shots, DemoLabels labels, int example, double[][] raw,
            double[][] normalized, double[][] calibrated) {
        String setting = shots == 0 ? ",0,,,0-shot" : "," + shots + "," + labels.key() + ",0,";
        List<String[]> rows = new ArrayList<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            boolean sameSetting = shots == 0 ? f[2].equals("0") : f[2].equals(String.valueOf(shots)) && f[3].equals(labels.key());
            if (sameSetting && f[6].equals(String.valueOf(example + 1))) {
                rows.add(f);
            }
        }
        assertThat(rows).as(setting + " example " + example).hasSize(raw.length);
        for (String[] f : rows) {
            int l = Integer.parseInt(f[8]);
            assertThat(f[7]).isEqualTo(List.of("bad", "okay", "good").get(GOLD[example]));
            for (int k = 0; k < 3; k++) {
                assertThat(Double.parseDouble(f[9 + k])).isCloseTo(raw[l][k], within(1e-6 + 1e-4 * raw[l][k]));
                assertThat(Double.parseDouble(f[12 + k])).isCloseTo(normalized[l][k], within(1e-5));
                assertThat(Double.parseDouble(f[16 + k])).isCloseTo(calibrated[l][k], within(1e-5));
            }
            assertThat(f[15]).isEqualTo(List.of("bad", "okay", "good").get(argmax(normalized[l])));
        }
    }

    private static int trainLabel(String review) {
        return Arrays.asList(TRAIN).indexOf(review) % 3;
    }

    private static double accuracy(double[][][] probs, int layer) {
        int right = 0;
        for (int e = 0; e < probs.length; e++) {
            right += argmax(probs[e][layer]) == GOLD[e] ? 1 : 0;
        }
        return right / (double) probs.length;
    }

    /** Halawi et al.'s cal_correct_over_incorrect for three labels, written out from their code. */
    private static double halawi(double[][][] probs, int layer) {
        int n = probs.length;
        double credit = 0;
        for (int e = 0; e < n; e++) {
            int gold = GOLD[e];
            double[] column = new double[n];
            for (int i = 0; i < n; i++) {
                column[i] = probs[i][layer][gold];
            }
            Arrays.sort(column);
            double pos = (2.0 / 3.0) * (n - 1);
            int lo = (int) pos;
            double threshold = column[lo] + (column[Math.min(lo + 1, n - 1)] - column[lo]) * (pos - lo);
            double p = probs[e][layer][gold];
            credit += p > threshold ? 1 : p == threshold ? 1.0 / 3 : 0;
        }
        return credit / n;
    }

    private static double[] sumToOne(double[] p) {
        double sum = 0;
        for (double v : p) {
            sum += v;
        }
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] / sum;
        }
        return out;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
