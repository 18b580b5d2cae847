package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.tensors.DType;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.testing.TinyClassifier;
import dev.logitscope.testing.TunedLensFixture;
import dev.logitscope.tokenize.Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval --lens a,b}: each lens's conditions are its single-lens run's, the classifier-head
 * lens counts argmax of softmax(score · ln_f(h)) per layer, and shards of a several-lens run merge
 * into the unsharded run.
 */
class EvalLensesTest {
    @TempDir
    static Path dir;
    static TinyCheckpoint ckpt;
    static Path tuned;
    static Path sst2;

    @BeforeAll
    static void write() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip();
        sst2 = SharedFiles.sst2OrSkip().resolve("stsa.binary.dev");
        ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(5).realTokenizer(tokenizer)
                .write(dir.resolve("small"));
        tuned = TunedLensFixture.write(dir.resolve("tuned"), 16, 2, ckpt.vocabSize(), TunedLensFixture.Layout.MODULE_LIST,
                DType.F32, 3, 0.5, true).folder();
    }

    private static List<String> args(Path model, Path out, String... extra) {
        List<String> all = new ArrayList<>(List.of("eval", "--models", model.toString(), "--dataset", sst2.toString(),
                "--sample", "8", "--seed", "3", "--shots", "0,2", "--demo-labels", "correct,flipped", "--calibrate",
                "--out", out.toString()));
        all.addAll(Arrays.asList(extra));
        return all;
    }

    private static JsonObject run(List<String> args) throws Exception {
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path out = Path.of(args.get(args.indexOf("--out") + 1));
        return JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
    }

    /** Condition entries by setting and lens, without the lens key (a single logit run has none). */
    private static Map<String, JsonObject> conditions(JsonObject summary) {
        Map<String, JsonObject> out = new HashMap<>();
        for (JsonElement e : summary.getAsJsonArray("conditions")) {
            JsonObject c = e.getAsJsonObject().deepCopy();
            String lens = c.has("lens") ? c.remove("lens").getAsString() : "logit";
            out.put(lens + " " + c.get("shots") + " " + c.get("demo_labels") + " " + c.get("seed"), c);
        }
        return out;
    }

    @Test
    void eachLensOfOneRunIsItsSingleLensRun() throws Exception {
        Path model = ckpt.folder();
        JsonObject both = run(args(model, dir.resolve("both"), "--lens", "logit," + tuned));
        JsonObject logit = run(args(model, dir.resolve("logit")));
        JsonObject single = run(args(model, dir.resolve("tuned-only"), "--lens", tuned.toString()));
        Map<String, JsonObject> b = conditions(both);
        Map<String, JsonObject> l = conditions(logit);
        Map<String, JsonObject> t = conditions(single);
        assertThat(b).hasSize(l.size() + t.size());
        assertThat(l.keySet()).allMatch(k -> k.startsWith("logit "));
        assertThat(t.keySet()).allMatch(k -> k.startsWith("tuned "));
        l.forEach((k, c) -> assertThat(b.get(k).get("layers")).as(k).isEqualTo(c.get("layers")));
        t.forEach((k, c) -> assertThat(b.get(k).get("layers")).as(k).isEqualTo(c.get("layers")));
        // the critical layer per lens (flipped conditions with a correct partner read through the same lens)
        t.forEach((k, c) -> assertThat(b.get(k).get("critical_layer")).as(k).isEqualTo(c.get("critical_layer")));
        t.forEach((k, c) -> assertThat(b.get(k).get("settling_layer")).as(k).isEqualTo(c.get("settling_layer")));
        // the lenses' accuracies differ: otherwise the comparison above proves nothing
        assertThat(b.get("tuned 0 null null").get("layers")).isNotEqualTo(b.get("logit 0 null null").get("layers"));
        // aggregates keep lenses apart
        long tunedAggregates = both.getAsJsonArray("aggregates").asList().stream()
                .filter(a -> a.getAsJsonObject().has("lens")).count();
        assertThat(tunedAggregates).isEqualTo(single.getAsJsonArray("aggregates").size());
        assertThat(logit.getAsJsonArray("conditions").get(0).getAsJsonObject().has("lens")).isFalse();

        // examples.csv ends with the lens column when a lens other than the logit lens read it
        List<String> csv = Files.readAllLines(dir.resolve("both").resolve("examples.csv"));
        assertThat(csv.get(0)).endsWith(",lens");
        assertThat(csv).anyMatch(r -> r.endsWith(",tuned")).anyMatch(r -> r.endsWith(",logit"));
        assertThat(Files.readAllLines(dir.resolve("logit").resolve("examples.csv")).get(0)).doesNotContain("lens");

        // provenance records each lens, a folder lens by the sha256 of its files
        JsonObject manifest = JsonParser.parseString(Files.readString(dir.resolve("both").resolve("manifest.json")))
                .getAsJsonObject();
        JsonArray lenses = manifest.getAsJsonObject("provenance").getAsJsonArray("lenses");
        assertThat(lenses).hasSize(2);
        assertThat(lenses.get(1).getAsJsonObject().get("folder").getAsString()).isEqualTo("tuned");
        assertThat(lenses.get(1).getAsJsonObject().getAsJsonObject("sha256").get("config.json").getAsString()).hasSize(64);
        assertThat(manifest.getAsJsonObject("options").get("lens").getAsString()).contains("logit,").contains(tuned.toString());

        // the printed table names each lens's settings
        CliRunner again = CliRunner.run(args(model, dir.resolve("both-resumed"), "--lens", "logit," + tuned)
                .toArray(String[]::new));
        assertThat(again.out()).contains("0-shot · tuned").contains("4 flipped".replace("4", "2") + " · tuned");
    }

    @Test
    void theClassifierHeadLensCountsTheArgmaxOfItsClassesAtEveryLayer() throws Exception {
        TinyClassifier classifier = TinyClassifier.write(dir.resolve("clf"), ckpt, List.of("negative", "positive"), 4);
        Path out = dir.resolve("clf-run");
        CliRunner r = CliRunner.run(args(classifier.folder(), out, "--lens", "classifier").toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("classifier-head lens reads the review alone");
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        JsonArray conditions = summary.getAsJsonArray("conditions");
        assertThat(conditions).hasSize(1); // one zero-shot condition, whatever --shots says
        JsonObject c = conditions.get(0).getAsJsonObject();
        assertThat(c.get("lens").getAsString()).isEqualTo("classifier");
        assertThat(c.get("shots").getAsInt()).isZero();

        // the float64 reference: each evaluated review as it is, softmax(score · ln_f(h)) per layer
        List<String[]> examples = new ArrayList<>();
        for (String row : Files.readAllLines(out.resolve("examples.csv")).subList(1, 1 + 8 * 3)) {
            String[] f = row.split(",");
            if (f[8].equals("0")) {
                examples.add(f);
            }
        }
        assertThat(examples).hasSize(8);
        Map<String, String> reviews = reviewsById();
        int[] correct = new int[3];
        try (LensEngine engine = LensEngine.open(classifier.folder(), "clf")) {
            for (String[] f : examples) {
                String review = reviews.get(f[6]);
                int[] ids = engine.tokenize(review).stream().mapToInt(Token::id).toArray();
                ReferenceGpt2.Result reference = new ReferenceGpt2(ckpt).run(ids);
                for (int layer = 0; layer < 3; layer++) {
                    double[] p = classifier.classProbabilities(reference.afterLayer()[layer][ids.length - 1]);
                    String predicted = p[1] > p[0] ? "positive" : "negative"; // class 1 is positive
                    if (predicted.equals(f[7])) {
                        correct[layer]++;
                    }
                }
            }
        }
        JsonArray layers = c.getAsJsonArray("layers");
        for (int layer = 0; layer < 3; layer++) {
            assertThat(layers.get(layer).getAsJsonObject().get("accuracy").getAsDouble()).as("layer %d", layer)
                    .isEqualTo(correct[layer] / 8.0);
        }

        CliRunner loss = CliRunner.run(args(classifier.folder(), dir.resolve("clf-loss"), "--lens", "classifier",
                "--method", "loss").stream().filter(a -> !a.equals("--calibrate")).toArray(String[]::new));
        assertThat(loss.exitCode()).isNotZero();
        assertThat(loss.err()).contains("classifier-head lens reads the model's score head").doesNotContain("\tat ");
    }

    /** The dev split's reviews by the id eval gives them (their line number, from 1). */
    private static Map<String, String> reviewsById() throws Exception {
        Map<String, String> out = new HashMap<>();
        List<String> lines = Files.readAllLines(sst2);
        for (int i = 0; i < lines.size(); i++) {
            out.put(String.valueOf(i + 1), lines.get(i).substring(2));
        }
        return out;
    }

    @Test
    void shardsOfASeveralLensRunMergeIntoTheUnshardedRun() throws Exception {
        Path model = ckpt.folder();
        Path whole = dir.resolve("whole");
        run(args(model, whole, "--lens", "logit," + tuned, "--batch", "2", "--block", "4"));
        List<String> shards = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path s = dir.resolve("shard" + i);
            CliRunner r = CliRunner.run(args(model, s, "--lens", "logit," + tuned, "--batch", "2", "--block", "4",
                    "--shard", i + "/2").toArray(String[]::new));
            assertThat(r.exitCode()).as(r.err()).isZero();
            shards.add(s.toString());
        }
        Path merged = dir.resolve("merged");
        List<String> merge = new ArrayList<>(List.of("eval-merge"));
        merge.addAll(shards);
        merge.addAll(List.of("--out", merged.toString()));
        CliRunner m = CliRunner.run(merge.toArray(String[]::new));
        assertThat(m.exitCode()).as(m.err()).isZero();
        assertThat(Files.readString(merged.resolve("examples.csv"))).isEqualTo(Files.readString(whole.resolve("examples.csv")));
        assertThat(ShardedEvalTest.withoutMeasurements(Files.readString(merged.resolve("summary.json"))))
                .isEqualTo(ShardedEvalTest.withoutMeasurements(Files.readString(whole.resolve("summary.json"))));
        assertThat(conditions(JsonParser.parseString(Files.readString(merged.resolve("summary.json"))).getAsJsonObject())
                .keySet()).anyMatch(k -> k.startsWith("tuned ")).anyMatch(k -> k.startsWith("logit "));
    }
}
