package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.ShardedCheckpoint;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code inspect} command's JSON contract and its error messages. */
class InspectCommandTest {
    @TempDir
    Path dir;

    @Test
    void aShardedModelFolderInspectsToTheNumbersOfItsSingleFile() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(64).write(dir.resolve("m"));
        Path sharded = ShardedCheckpoint.write(ckpt, dir.resolve("sharded"));
        CliRunner single = CliRunner.run("inspect", "--model", ckpt.folder().toString(), "--prompt", "Hello world", "--json");
        CliRunner shards = CliRunner.run("inspect", "--model", sharded.toString(), "--prompt", "Hello world", "--json");
        assertThat(shards.exitCode()).as(shards.err()).isZero();
        assertThat(JsonParser.parseString(shards.out()).getAsJsonObject().get("layers"))
                .isEqualTo(JsonParser.parseString(single.out()).getAsJsonObject().get("layers"));
    }

    @Test
    void jsonHasTheDocumentedShape() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(64).write(dir.resolve("m"));
        CliRunner result = CliRunner.run("inspect", "--model", ckpt.folder().toString(), "--prompt", "Hello world",
                "--top", "3", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject json = JsonParser.parseString(result.out()).getAsJsonObject();
        JsonObject model = json.getAsJsonObject("model");
        assertThat(model.get("n_layer").getAsInt()).isEqualTo(2);
        assertThat(model.get("n_embd").getAsInt()).isEqualTo(16);
        assertThat(model.get("n_head").getAsInt()).isEqualTo(2);
        assertThat(model.get("vocab_size").getAsInt()).isEqualTo(ckpt.vocabSize());
        assertThat(model.get("n_positions").getAsInt()).isEqualTo(64);
        JsonArray tokens = json.getAsJsonArray("tokens");
        StringBuilder text = new StringBuilder();
        tokens.forEach(t -> text.append(t.getAsJsonObject().get("text").getAsString()));
        assertThat(text.toString()).isEqualTo("Hello world");
        JsonArray labels = json.getAsJsonArray("labels");
        assertThat(labels).hasSize(2);
        assertThat(labels.get(0).getAsJsonObject().get("word").getAsString()).isEqualTo(" positive");
        JsonArray layers = json.getAsJsonArray("layers");
        assertThat(layers).hasSize(3);
        for (int i = 0; i < layers.size(); i++) {
            JsonObject layer = layers.get(i).getAsJsonObject();
            assertThat(layer.get("layer").getAsInt()).isEqualTo(i);
            assertThat(layer.get("name").getAsString()).isEqualTo(i == 0 ? "embed" : "block " + i);
            assertThat(layer.getAsJsonArray("label_probs")).hasSize(2);
            assertThat(layer.getAsJsonArray("top")).hasSize(3);
            assertThat(layer.has("entropy")).isTrue();
            assertThat(layer.has("kl_to_final")).isTrue();
            assertThat(layer.has("positions")).isFalse();
        }
        assertThat(layers.get(2).getAsJsonObject().get("kl_to_final").getAsDouble()).isLessThan(1e-6);
    }

    @Test
    void allPositionsAddsAPositionsArrayPerLayer() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(64).write(dir.resolve("m"));
        CliRunner result = CliRunner.run("inspect", "-m", ckpt.folder().toString(), "-p", "one two three",
                "--positions", "all", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject json = JsonParser.parseString(result.out()).getAsJsonObject();
        int tokens = json.getAsJsonArray("tokens").size();
        for (var layer : json.getAsJsonArray("layers")) {
            JsonArray positions = layer.getAsJsonObject().getAsJsonArray("positions");
            assertThat(positions).hasSize(tokens);
            assertThat(positions.get(tokens - 1).getAsJsonObject().get("label_probs"))
                    .isEqualTo(layer.getAsJsonObject().get("label_probs"));
        }
    }

    @Test
    void realGpt2TokenIdsForTheLabelsAndPrompt() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip();
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nEmbd(8).nHead(2).nPositions(16).realTokenizer(tokenizer)
                .write(dir.resolve("real"));
        CliRunner result = CliRunner.run("inspect", "-m", ckpt.folder().toString(), "-p", "Hello world", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject json = JsonParser.parseString(result.out()).getAsJsonObject();
        assertThat(json.getAsJsonArray("tokens").get(0).getAsJsonObject().get("id").getAsInt()).isEqualTo(15496);
        assertThat(json.getAsJsonArray("tokens").get(1).getAsJsonObject().get("id").getAsInt()).isEqualTo(995);
        JsonArray labels = json.getAsJsonArray("labels");
        assertThat(labels.get(0).getAsJsonObject().getAsJsonArray("token_ids").get(0).getAsInt()).isEqualTo(3967);
        assertThat(labels.get(1).getAsJsonObject().getAsJsonArray("token_ids").get(0).getAsInt()).isEqualTo(4633);
    }

    @Test
    void tableOutputWithoutJson() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(64).write(dir.resolve("m"));
        CliRunner result = CliRunner.run("inspect", "-m", ckpt.folder().toString(), "-p", "The film");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("P(positive)").contains("embed").contains("block 2");
    }

    @Test
    void userErrorsAreOneLineWithoutStackTrace() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(8).write(dir.resolve("m"));
        CliRunner tooLong = CliRunner.run("inspect", "-m", ckpt.folder().toString(), "-p", "a b c d e f g h i j k l");
        assertThat(tooLong.exitCode()).isEqualTo(1);
        assertThat(tooLong.err()).startsWith("error: The prompt is").contains("at most 8").doesNotContain("\tat ");

        CliRunner missing = CliRunner.run("inspect", "-m", dir.resolve("nowhere").toString() + "/", "-p", "x");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("error:").doesNotContain("\tat ");

        Path truncated = dir.resolve("m").resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2), StandardOpenOption.TRUNCATE_EXISTING);
        CliRunner corrupt = CliRunner.run("inspect", "-m", ckpt.folder().toString(), "-p", "x");
        assertThat(corrupt.exitCode()).isEqualTo(1);
        assertThat(corrupt.err()).startsWith("error:").contains("model.safetensors").doesNotContain("\tat ");

        Files.delete(ckpt.folder().resolve("tokenizer.json"));
        CliRunner noTokenizer = CliRunner.run("inspect", "-m", ckpt.folder().toString(), "-p", "x");
        assertThat(noTokenizer.exitCode()).isEqualTo(1);
        assertThat(noTokenizer.err()).contains("tokenizer.json");
    }

    @Test
    void badOptionValuesAreUsageErrors() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(64).write(dir.resolve("m"));
        CliRunner result = CliRunner.run("inspect", "-m", ckpt.folder().toString(), "-p", "x", "--positions", "some");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("--positions");
    }

    // ---- --review: prompts from templates, verdicts, calibration, overthinking, the loss method ----

    private static final String REVIEW = "The plot was thin but I smiled the whole time.";

    private JsonObject reviewJson(TinyCheckpoint ckpt, String... extra) {
        String[] base = {"inspect", "-m", ckpt.folder().toString(), "--review", REVIEW, "--json"};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        CliRunner result = CliRunner.run(args);
        assertThat(result.exitCode()).as(result.err()).isZero();
        return JsonParser.parseString(result.out()).getAsJsonObject();
    }

    @Test
    void reviewJsonKeepsTheLensFieldsAndAddsPromptDemosAndVerdicts() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(300).write(dir.resolve("m"));
        JsonObject json = reviewJson(ckpt, "--shots", "2", "--gold", "positive", "--top", "3");
        for (String field : new String[] {"model", "tokens", "labels", "layers", "prompt", "demos", "warnings",
                "overthinking", "template", "shots", "demo_labels", "seed", "gold", "prediction"}) {
            assertThat(json.has(field)).as(field).isTrue();
        }
        String prompt = json.get("prompt").getAsString();
        assertThat(prompt).startsWith("Text: ").contains(REVIEW).endsWith("Sentiment:");
        StringBuilder text = new StringBuilder();
        json.getAsJsonArray("tokens").forEach(t -> text.append(t.getAsJsonObject().get("text").getAsString()));
        assertThat(text.toString()).isEqualTo(prompt);
        JsonArray demos = json.getAsJsonArray("demos");
        assertThat(demos).hasSize(2);
        for (var d : demos) {
            JsonObject demo = d.getAsJsonObject();
            assertThat(prompt).contains(demo.get("text").getAsString());
            assertThat(demo.get("label").getAsString()).isEqualTo(demo.get("true_label").getAsString());
        }
        assertThat(json.getAsJsonArray("warnings").toString()).contains("first token");
        JsonArray layers = json.getAsJsonArray("layers");
        assertThat(layers).hasSize(3);
        for (var element : layers) {
            JsonObject layer = element.getAsJsonObject();
            JsonArray probs = layer.getAsJsonArray("label_probs");
            JsonArray normalized = layer.getAsJsonArray("normalized");
            double pos = probs.get(0).getAsDouble();
            double neg = probs.get(1).getAsDouble();
            assertThat(normalized.get(0).getAsDouble()).isCloseTo(pos / (pos + neg), org.assertj.core.api.Assertions.within(1e-9));
            assertThat(normalized.get(0).getAsDouble() + normalized.get(1).getAsDouble()).isCloseTo(1.0,
                    org.assertj.core.api.Assertions.within(1e-12));
            assertThat(layer.get("log_odds").getAsDouble()).isCloseTo(Math.log(pos / neg), org.assertj.core.api.Assertions.within(1e-6));
            String prediction = layer.get("prediction").getAsString();
            assertThat(prediction).isEqualTo(pos >= neg ? "positive" : "negative");
            assertThat(layer.get("correct").getAsBoolean()).isEqualTo(prediction.equals("positive"));
            assertThat(layer.has("calibrated")).isFalse();
            assertThat(layer.getAsJsonArray("top")).hasSize(3);
        }
        JsonObject overthinking = json.getAsJsonObject("overthinking");
        for (String field : new String[] {"overthinks", "last_correct_layer", "reversal_layer", "first_correct_layer", "flips"}) {
            assertThat(overthinking.has(field)).as(field).isTrue();
        }
        assertThat(json.has("loss")).isFalse();
        assertThat(json.has("calibration")).isFalse();
    }

    @Test
    void withoutGoldThereIsNoCorrectnessAndOverthinkingHasFlipsOnly() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(300).write(dir.resolve("m"));
        JsonObject json = reviewJson(ckpt);
        assertThat(json.get("gold").isJsonNull()).isTrue();
        assertThat(json.getAsJsonArray("demos")).isEmpty();
        for (var layer : json.getAsJsonArray("layers")) {
            assertThat(layer.getAsJsonObject().has("correct")).isFalse();
        }
        assertThat(json.getAsJsonObject("overthinking").keySet()).containsExactly("flips");
    }

    @Test
    void flippedAndCorrectPromptsDifferOnlyInTheDemonstrationLabelWords() throws Exception {
        // The tiny tokenizer is nearly one token per character: give four demonstrations room.
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(1024).write(dir.resolve("m"));
        JsonObject correct = reviewJson(ckpt, "--shots", "4", "--demo-labels", "correct", "--seed", "3");
        JsonObject flipped = reviewJson(ckpt, "--shots", "4", "--demo-labels", "flipped", "--seed", "3");
        String[] a = correct.get("prompt").getAsString().split("\n", -1);
        String[] b = flipped.get("prompt").getAsString().split("\n", -1);
        assertThat(a).hasSameSizeAs(b);
        int differing = 0;
        for (int i = 0; i < a.length; i++) {
            if (!a[i].equals(b[i])) {
                differing++;
                assertThat(java.util.Set.of(a[i], b[i])).containsExactlyInAnyOrder("Sentiment: positive", "Sentiment: negative");
            }
        }
        assertThat(correct.get("dropped_demos").getAsInt()).isZero();
        assertThat(flipped.get("dropped_demos").getAsInt()).isZero();
        assertThat(differing).isEqualTo(4);
        JsonArray demosA = correct.getAsJsonArray("demos");
        JsonArray demosB = flipped.getAsJsonArray("demos");
        for (int i = 0; i < 4; i++) {
            JsonObject x = demosA.get(i).getAsJsonObject();
            JsonObject y = demosB.get(i).getAsJsonObject();
            assertThat(y.get("text")).isEqualTo(x.get("text"));
            assertThat(y.get("true_label")).isEqualTo(x.get("true_label"));
            assertThat(y.get("label").getAsString()).isNotEqualTo(y.get("true_label").getAsString());
        }
    }

    @Test
    void calibrateAddsCalibratedVerdictsBesideTheRawOnes() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(300).write(dir.resolve("m"));
        JsonObject plain = reviewJson(ckpt, "--shots", "1", "--gold", "negative");
        JsonObject json = reviewJson(ckpt, "--shots", "1", "--gold", "negative", "--calibrate");
        JsonObject calibration = json.getAsJsonObject("calibration");
        assertThat(calibration.getAsJsonArray("content_free").toString()).isEqualTo("[\"N/A\",\"\",\"[MASK]\"]");
        assertThat(calibration.getAsJsonArray("p_cf")).hasSize(3);
        assertThat(calibration.has("overthinking")).isTrue();
        JsonArray layers = json.getAsJsonArray("layers");
        for (int l = 0; l < layers.size(); l++) {
            JsonObject layer = layers.get(l).getAsJsonObject();
            JsonObject cal = layer.getAsJsonObject("calibrated");
            for (String field : new String[] {"normalized", "prediction", "correct"}) {
                assertThat(cal.has(field)).as(field).isTrue();
            }
            // The raw numbers are the same as without --calibrate.
            JsonObject raw = plain.getAsJsonArray("layers").get(l).getAsJsonObject();
            assertThat(layer.get("normalized")).isEqualTo(raw.get("normalized"));
            assertThat(layer.get("prediction")).isEqualTo(raw.get("prediction"));
        }
    }

    @Test
    void methodLossAddsTheLossObject() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(300).write(dir.resolve("m"));
        JsonObject json = reviewJson(ckpt, "--method", "loss", "--gold", "positive");
        JsonObject loss = json.getAsJsonObject("loss");
        assertThat(json.get("method").getAsString()).isEqualTo("loss");
        assertThat(loss.get("method").getAsString()).isEqualTo("loss");
        assertThat(loss.getAsJsonObject("prompts").get("positive").getAsString())
                .isEqualTo("This is an example of positive text: " + REVIEW);
        JsonArray layers = loss.getAsJsonArray("layers");
        assertThat(layers).hasSize(3);
        for (var element : layers) {
            JsonObject layer = element.getAsJsonObject();
            JsonArray mean = layer.getAsJsonArray("mean_loss");
            String lower = mean.get(0).getAsDouble() <= mean.get(1).getAsDouble() ? "positive" : "negative";
            assertThat(layer.get("prediction").getAsString()).isEqualTo(lower);
            assertThat(layer.has("correct")).isTrue();
        }
        assertThat(loss.getAsJsonObject("overthinking").has("overthinks")).isTrue();
        assertThat(json.getAsJsonArray("layers").get(0).getAsJsonObject().has("normalized")).isTrue();
    }

    /**
     * Zhao et al.'s {@code get_p_content_free} and {@code eval_accuracy} written out in float64 on
     * the reference forward pass: p_cf = normalise(mean over "N/A", "", "[MASK]" of the raw label
     * probabilities); calibrated = normalise(diag(p_cf)⁻¹ · normalise(p)).
     */
    @Test
    void calibrationJsonIsZhaoEtAlsDefinitionRecomputedInFloat64() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(300).seed(3).write(dir.resolve("m"));
        JsonObject json = reviewJson(ckpt, "--shots", "1", "--gold", "negative", "--calibrate");
        JsonArray labelIds = json.getAsJsonArray("labels");
        int pos = labelIds.get(0).getAsJsonObject().getAsJsonArray("token_ids").get(0).getAsInt();
        int neg = labelIds.get(1).getAsJsonObject().getAsJsonArray("token_ids").get(0).getAsInt();
        String prompt = json.get("prompt").getAsString();
        ReferenceGpt2 reference = new ReferenceGpt2(ckpt);
        int layers = ckpt.nLayer() + 1;
        double[][] sum = new double[layers][2];
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(ckpt.tokenizerFile())) {
            for (String input : new String[] {"N/A", "", "[MASK]"}) {
                int[] ids = tokenizer.encodeIds(prompt.replace(REVIEW, input));
                ReferenceGpt2.Result run = reference.run(ids);
                for (int l = 0; l < layers; l++) {
                    double[] p = reference.lensProbabilities(run.afterLayer()[l][ids.length - 1]);
                    sum[l][0] += p[pos];
                    sum[l][1] += p[neg];
                }
            }
            int[] ids = tokenizer.encodeIds(prompt);
            ReferenceGpt2.Result query = reference.run(ids);
            JsonObject calibration = json.getAsJsonObject("calibration");
            for (int l = 0; l < layers; l++) {
                double[] mean = {sum[l][0] / 3, sum[l][1] / 3};
                double[] pcf = {mean[0] / (mean[0] + mean[1]), mean[1] / (mean[0] + mean[1])};
                JsonArray gotCf = calibration.getAsJsonArray("p_cf").get(l).getAsJsonArray();
                assertThat(gotCf.get(0).getAsDouble()).as("p_cf layer %d", l).isCloseTo(pcf[0], within(1e-6));
                assertThat(gotCf.get(1).getAsDouble()).isCloseTo(pcf[1], within(1e-6));
                // and relatively, since a tiny random model's p_cf can sit near 0 or 1
                assertThat(Math.log(gotCf.get(0).getAsDouble() / gotCf.get(1).getAsDouble())).as("log p_cf layer %d", l)
                        .isCloseTo(Math.log(pcf[0] / pcf[1]), within(1e-3));
                JsonArray gotRaw = calibration.getAsJsonArray("mean_label_probs").get(l).getAsJsonArray();
                assertThat(gotRaw.get(0).getAsDouble()).isCloseTo(mean[0], within(1e-4 * mean[0]));
                assertThat(gotRaw.get(1).getAsDouble()).isCloseTo(mean[1], within(1e-4 * mean[1]));

                double[] p = reference.lensProbabilities(query.afterLayer()[l][ids.length - 1]);
                double[] normalized = {p[pos] / (p[pos] + p[neg]), p[neg] / (p[pos] + p[neg])};
                double[] w = {normalized[0] / pcf[0], normalized[1] / pcf[1]};
                JsonObject cal = json.getAsJsonArray("layers").get(l).getAsJsonObject().getAsJsonObject("calibrated");
                assertThat(cal.getAsJsonArray("normalized").get(0).getAsDouble()).as("calibrated layer %d", l)
                        .isCloseTo(w[0] / (w[0] + w[1]), within(1e-5));
                assertThat(cal.get("prediction").getAsString()).isEqualTo(w[0] >= w[1] ? "positive" : "negative");
            }
        }
    }

    /**
     * The inverse-scaling seed scores a class by the model's loss on the whole prompt "This is an
     * example of {class} text: {review}": transformers' {@code labels=input_ids} loss, tokens 1..n−1
     * each predicted from the position before, mean over those n − 1. Recomputed in float64.
     */
    @Test
    void lossJsonScoresTheWholePromptByDefaultAndSaysSo() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(300).seed(4).write(dir.resolve("m"));
        JsonObject loss = reviewJson(ckpt, "--method", "loss", "--gold", "positive").getAsJsonObject("loss");
        ReferenceGpt2 reference = new ReferenceGpt2(ckpt);
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(ckpt.tokenizerFile())) {
            String[] classes = {"positive", "negative"};
            for (int c = 0; c < 2; c++) {
                String text = "This is an example of " + classes[c] + " text: " + REVIEW;
                assertThat(loss.getAsJsonObject("prompts").get(classes[c]).getAsString()).isEqualTo(text);
                int[] ids = tokenizer.encodeIds(text);
                ReferenceGpt2.Result run = reference.run(ids);
                for (int l = 0; l <= ckpt.nLayer(); l++) {
                    double sum = 0;
                    for (int t = 1; t < ids.length; t++) {
                        sum -= Math.log(reference.lensProbabilities(run.afterLayer()[l][t - 1])[ids[t]]);
                    }
                    double got = loss.getAsJsonArray("layers").get(l).getAsJsonObject().getAsJsonArray("mean_loss")
                            .get(c).getAsDouble();
                    assertThat(got).as("%s layer %d", classes[c], l).isCloseTo(sum / (ids.length - 1), within(1e-4));
                }
                assertThat(loss.getAsJsonObject("scored_tokens").get(classes[c]).getAsInt()).isEqualTo(ids.length - 1);
            }
        }
        assertThat(loss.get("span").getAsString()).isEqualTo("whole");
        assertThat(loss.get("description").getAsString()).contains("every predicted token");
        // The review-only span stays available, named as such.
        JsonObject review = reviewJson(ckpt, "--method", "loss", "--loss-span", "review").getAsJsonObject("loss");
        assertThat(review.get("span").getAsString()).isEqualTo("review");
        assertThat(review.get("scored_tokens")).isEqualTo(review.get("review_tokens"));
        assertThat(review.get("layers")).isNotEqualTo(loss.get("layers"));
        assertOneLineError(CliRunner.run("inspect", "-m", ckpt.folder().toString(), "--review", REVIEW,
                "--loss-span", "review"), "--method loss");
        assertOneLineError(CliRunner.run("inspect", "-m", ckpt.folder().toString(), "--review", REVIEW,
                "--method", "loss", "--loss-span", "part"), "whole or review");
    }

    @Test
    void reviewTableShowsVerdictColumnsAndTheOverthinkingLine() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(300).write(dir.resolve("m"));
        CliRunner result = CliRunner.run("inspect", "-m", ckpt.folder().toString(), "--review", REVIEW, "--shots", "1",
                "--gold", "positive", "--calibrate", "--method", "loss", "--mid-block");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("norm+").contains("log-odds").contains("pred").contains("cal+")
                .contains("demo: ").contains("  | Sentiment:").contains("block 2").contains("\n1.5 ")
                .contains("\noverthinking: ").contains("calibrated overthinking: ")
                .contains("loss method (loss-based scoring").contains("loss(pos)");
    }

    @Test
    void reviewErrorsAreOneLine() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(40).write(dir.resolve("m"));
        String model = ckpt.folder().toString();
        assertOneLineError(CliRunner.run("inspect", "-m", model, "--review", "x", "--template", "nope"), "nope");
        assertOneLineError(CliRunner.run("inspect", "-m", model, "--review", "x", "--shots", "many"), "shot");
        assertOneLineError(CliRunner.run("inspect", "-m", model, "--review", "x", "--shots", "-1"), "negative");
        assertOneLineError(CliRunner.run("inspect", "-m", model, "--review", "x", "--demo-labels", "odd"), "flipped");
        assertOneLineError(CliRunner.run("inspect", "-m", model, "--review", "x", "--gold", "meh"), "positive or negative");
        assertOneLineError(CliRunner.run("inspect", "-m", model, "--review", "x", "--method", "vibes"), "next-token or loss");
        assertOneLineError(CliRunner.run("inspect", "-m", model, "--review", "a b c d e f g h i j k l m n o p q r s t"
                + " u v w x y z a b c d e f"), "shorten the review");
        assertOneLineError(CliRunner.run("inspect", "-m", model, "--review", "x", "--labels", " Positive, Negative"),
                "both begin with the token");
        assertOneLineError(CliRunner.run("inspect", "-m", model, "--review", "x", "--labels", " good"), "two words");
        assertOneLineError(CliRunner.run("inspect", "-m", model, "--review", "x", "--prompt", "y"), "exactly one");
        assertOneLineError(CliRunner.run("inspect", "-m", model), "exactly one");
        assertOneLineError(CliRunner.run("inspect", "-m", model, "--prompt", "y", "--gold", "positive"), "--gold");
        assertOneLineError(CliRunner.run("inspect", "-m", model, "--review", "x", "--demo-pool",
                dir.resolve("none.tsv").toString()), "none.tsv");
        TinyCheckpoint roomy = TinyCheckpoint.builder().nPositions(300).write(dir.resolve("roomy"));
        assertOneLineError(CliRunner.run("inspect", "-m", roomy.folder().toString(), "--review", "", "--method", "loss"),
                "empty");
    }

    private static void assertOneLineError(CliRunner result, String mentions) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: ").contains(mentions).doesNotContain("\tat ");
        assertThat(result.err().strip().lines().count()).as(result.err()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void withTheRealTokenizerEveryTemplatesLabelWordsAreSingleTokens() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip();
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nEmbd(8).nHead(2).nPositions(256).realTokenizer(tokenizer)
                .write(dir.resolve("real"));
        for (String template : new String[] {"seed-notebook", "review-sentiment", "review-answer"}) {
            JsonObject json = reviewJson(ckpt, "--template", template, "--shots", "2", "--gold", "negative",
                    "--calibrate", "--method", "loss");
            assertThat(json.getAsJsonArray("warnings")).as(template).isEmpty();
            for (var label : json.getAsJsonArray("labels")) {
                assertThat(label.getAsJsonObject().getAsJsonArray("token_ids")).as(template).hasSize(1);
            }
            // The review is 11 GPT-2 tokens; each class prompt scores all of them.
            assertThat(json.getAsJsonObject("loss").getAsJsonObject("review_tokens").get("positive").getAsInt())
                    .isEqualTo(11);
        }
    }

    @Test
    void anEmptyReviewIsAClearErrorBeforeAnyModelWork() throws Exception {
        CliRunner result = CliRunner.run("inspect", "-m", dir.resolve("never-loaded").toString(), "--review", "  ");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: The review is empty");
    }
}
