package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.tensors.DType;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.testing.TinyClassifier;
import dev.logitscope.testing.TunedLensFixture;
import dev.logitscope.testing.TunedLensFixture.Layout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect --lens a,b}: one run read through several lenses side by side, each as its single-lens run reads it. */
class InspectLensesTest {
    private static final String REVIEW = "a gentle, funny and moving film";

    @TempDir
    Path dir;

    private TinyCheckpoint ckpt;
    private TunedLensFixture lens;

    @BeforeEach
    void write() throws Exception {
        ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(128).write(dir.resolve("m"));
        lens = TunedLensFixture.write(dir.resolve("tuned"), 16, 2, ckpt.vocabSize(), Layout.MODULE_LIST, DType.F32, 3,
                0.5, true);
    }

    private static JsonObject json(String... args) {
        CliRunner result = CliRunner.run(args);
        assertThat(result.exitCode()).as(result.err()).isZero();
        return JsonParser.parseString(result.out()).getAsJsonObject();
    }

    /** A lens entry's layers without the "lens" key each carries: what a single-lens run prints. */
    private static JsonArray withoutLensKey(JsonArray layers, String key) {
        JsonArray out = layers.deepCopy();
        for (JsonElement layer : out) {
            assertThat(layer.getAsJsonObject().get("lens").getAsString()).isEqualTo(key);
            layer.getAsJsonObject().remove("lens");
        }
        return out;
    }

    /**
     * Equal as JSON, numbers to float32 rounding: a later lens of one run reads the prompt from the
     * engine's KV cache, a forward of another length than a fresh run's, so its last digits may differ.
     */
    private static void assertClose(JsonElement actual, JsonElement expected, String where) {
        if (expected.isJsonArray()) {
            assertThat(actual.getAsJsonArray()).as(where).hasSameSizeAs(expected.getAsJsonArray());
            for (int i = 0; i < expected.getAsJsonArray().size(); i++) {
                assertClose(actual.getAsJsonArray().get(i), expected.getAsJsonArray().get(i), where + "[" + i + "]");
            }
        } else if (expected.isJsonObject()) {
            assertThat(actual.getAsJsonObject().keySet()).as(where).isEqualTo(expected.getAsJsonObject().keySet());
            for (String key : expected.getAsJsonObject().keySet()) {
                if (!key.equals("top")) { // near-ties among the top tokens may swap under rounding
                    assertClose(actual.getAsJsonObject().get(key), expected.getAsJsonObject().get(key), where + "." + key);
                }
            }
        } else if (expected.isJsonPrimitive() && expected.getAsJsonPrimitive().isNumber()) {
            double e = expected.getAsDouble();
            assertThat(actual.getAsDouble()).as(where).isCloseTo(e, within(1e-5 * Math.abs(e) + 1e-9));
        } else {
            assertThat(actual).as(where).isEqualTo(expected);
        }
    }

    @Test
    void twoLensesReadEachLayerAsTwoSingleLensRunsDo() {
        String model = ckpt.folder().toString();
        String tuned = lens.folder().toString();
        String[] review = {"inspect", "-m", model, "--review", REVIEW, "--gold", "positive", "--json"};
        JsonObject both = json(concat(review, "--lens", "logit," + tuned));
        JsonObject logit = json(concat(review, "--lens", "logit"));
        JsonObject single = json(concat(review, "--lens", tuned));
        JsonArray lenses = both.getAsJsonArray("lenses");
        assertThat(lenses).hasSize(2);
        JsonObject a = lenses.get(0).getAsJsonObject();
        JsonObject b = lenses.get(1).getAsJsonObject();
        assertThat(a.get("key").getAsString()).isEqualTo("logit");
        assertThat(a.get("name").getAsString()).isEqualTo("logit lens");
        assertThat(a.get("folder").isJsonNull()).isTrue();
        assertThat(b.get("key").getAsString()).isEqualTo("tuned");
        assertThat(b.get("name").getAsString()).isEqualTo("tuned lens (" + tuned + ")");
        assertThat(b.get("folder").getAsString()).isEqualTo(tuned);
        assertClose(withoutLensKey(a.getAsJsonArray("layers"), "logit"), logit.get("layers"), "layers");
        assertClose(withoutLensKey(b.getAsJsonArray("layers"), "tuned"), single.get("layers"), "layers");
        // the first lens's document is today's single-lens document
        assertClose(both.get("layers"), logit.get("layers"), "layers");
        assertThat(both.get("lens").getAsString()).isEqualTo("logit lens");
        assertThat(a.getAsJsonObject("verdict").get("overthinks")).isEqualTo(logit.getAsJsonObject("overthinking").get("overthinks"));
        assertThat(b.getAsJsonObject("verdict").get("summary").getAsString()).startsWith("overthinking by the tuned lens (");
        assertThat(both.has("plain_only_reversal")).isTrue();
        assertThat(both.getAsJsonObject("provenance").getAsJsonArray("lenses")).hasSize(2);
        assertThat(both.getAsJsonObject("provenance").getAsJsonArray("lenses").get(1).getAsJsonObject()
                .getAsJsonObject("sha256").has("config.json")).isTrue();

        // repeated --lens is the same as a comma list; one lens keeps today's shape
        JsonObject repeated = json(concat(review, "--lens", "logit", "--lens", tuned));
        assertThat(repeated.get("lenses")).isEqualTo(both.get("lenses"));
        assertThat(logit.has("lenses")).isFalse();
    }

    @Test
    void klToFinalPerLayerIsTheLensReportsAndZeroAtTheLastLayer() {
        String model = ckpt.folder().toString();
        String tuned = lens.folder().toString();
        JsonObject review = json("inspect", "-m", model, "--review", REVIEW, "--json", "--lens", "logit," + tuned);
        for (JsonElement entry : review.getAsJsonArray("lenses")) {
            JsonArray kl = entry.getAsJsonObject().getAsJsonArray("kl_to_final");
            JsonArray layers = entry.getAsJsonObject().getAsJsonArray("layers");
            assertThat(kl).hasSize(3);
            assertThat(kl.get(2).getAsDouble()).isCloseTo(0.0, within(1e-12));
            for (int l = 0; l < 3; l++) { // --review: the last position's KL, as each layer reports it
                assertThat(kl.get(l).getAsDouble()).isEqualTo(layers.get(l).getAsJsonObject().get("kl_to_final").getAsDouble());
            }
        }
        JsonObject logitOnly = json("inspect", "-m", model, "--review", REVIEW, "--json");
        JsonArray logitKl = review.getAsJsonArray("lenses").get(0).getAsJsonObject().getAsJsonArray("kl_to_final");
        for (int l = 0; l < 3; l++) {
            double expected = logitOnly.getAsJsonArray("layers").get(l).getAsJsonObject().get("kl_to_final").getAsDouble();
            assertThat(logitKl.get(l).getAsDouble()).isCloseTo(expected, within(1e-5 * expected + 1e-9));
        }
        assertThat(logitKl.get(0).getAsDouble()).isGreaterThan(0);

        // --prompt --positions all: the mean over the positions read
        JsonObject prompt = json("inspect", "-m", model, "-p", "Hello world, again", "--positions", "all", "--json",
                "--lens", "logit," + tuned);
        for (JsonElement entry : prompt.getAsJsonArray("lenses")) {
            JsonArray kl = entry.getAsJsonObject().getAsJsonArray("kl_to_final");
            JsonArray layers = entry.getAsJsonObject().getAsJsonArray("layers");
            for (int l = 0; l < 3; l++) {
                JsonArray positions = layers.get(l).getAsJsonObject().getAsJsonArray("positions");
                double sum = 0;
                for (JsonElement p : positions) {
                    sum += p.getAsJsonObject().get("kl_to_final").getAsDouble();
                }
                assertThat(positions.size()).isGreaterThan(1);
                assertThat(kl.get(l).getAsDouble()).isCloseTo(sum / positions.size(), within(1e-12));
            }
            assertThat(kl.get(2).getAsDouble()).isCloseTo(0.0, within(1e-12));
        }
    }

    @Test
    void klToFinalPerLayerEqualsAFloat64RecomputationForEveryLens() {
        String tuned = lens.folder().toString();
        JsonObject prompt = json("inspect", "-m", ckpt.folder().toString(), "-p", "Hello world, again", "--positions",
                "all", "--json", "--lens", "logit," + tuned);
        JsonArray tokens = prompt.getAsJsonArray("tokens");
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokens.get(i).getAsJsonObject().get("id").getAsInt();
        }
        ReferenceGpt2 reference = new ReferenceGpt2(ckpt);
        ReferenceGpt2.Result run = reference.run(ids);
        int last = run.nLayer();
        for (int k = 0; k < 2; k++) {
            JsonArray kl = prompt.getAsJsonArray("lenses").get(k).getAsJsonObject().getAsJsonArray("kl_to_final");
            for (int layer = 0; layer <= last; layer++) {
                double sum = 0;
                for (int t = 0; t < ids.length; t++) {
                    double[] finalP = reference.lensProbabilities(run.afterLayer()[last][t]);
                    double[] h = run.afterLayer()[layer][t];
                    // the tuned lens translates layers 0..L-1; the last layer is read as it is
                    double[] read = k == 1 && layer < last ? lens.transform(layer, h) : h;
                    sum += ReferenceGpt2.klDivergence(finalP, reference.lensProbabilities(read));
                }
                double expected = sum / ids.length; // the mean over the positions read
                assertThat(kl.get(layer).getAsDouble()).as("lens %d layer %d", k, layer)
                        .isCloseTo(expected, within(1e-4 * expected + 1e-6));
            }
        }
    }

    @Test
    void theTablePutsTheLensesSideBySideAndEachVerdictNamesItsLens() {
        String model = ckpt.folder().toString();
        String tuned = lens.folder().toString();
        CliRunner table = CliRunner.run("inspect", "-m", model, "--review", REVIEW, "--gold", "positive", "--lens",
                "logit," + tuned);
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("lens logit: logit lens").contains("lens tuned: tuned lens (" + tuned + ")")
                .contains("overthinking by the logit lens: ").contains("overthinking by the tuned lens (" + tuned + "): ");
        List<String> lines = table.out().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("layer ")).findFirst().orElseThrow());
        assertThat(lines.get(header - 1)).contains("logit").contains("tuned");
        assertThat(lines.get(header)).containsSubsequence("norm+", "pred", "ok", "KL", "norm+", "pred", "ok", "KL");
        assertThat(lines.subList(header, header + 4)).allMatch(l -> Cells.width(l) <= 100);

        CliRunner prompt = CliRunner.run("inspect", "-m", model, "-p", "Hello world", "--lens", "logit," + tuned);
        assertThat(prompt.exitCode()).as(prompt.err()).isZero();
        assertThat(prompt.out()).contains("lens tuned: tuned lens (").contains("P(positive)");
    }

    @Test
    void whatSeveralLensesDoNotOfferIsRefusedClearly() {
        String model = ckpt.folder().toString();
        String tuned = lens.folder().toString();
        CliRunner compare = CliRunner.run("inspect", "-m", model, "--review", REVIEW, "--compare-demos", "--lens",
                "logit," + tuned);
        assertThat(compare.exitCode()).isNotZero();
        assertThat(compare.err()).contains("--compare-demos reads one lens").doesNotContain("\tat ");
        CliRunner grid = CliRunner.run("inspect", "-m", model, "--review", REVIEW, "--plot", "grid", "--png",
                dir.resolve("g.png").toString(), "--lens", "logit," + tuned);
        assertThat(grid.exitCode()).isNotZero();
        assertThat(grid.err()).contains("--plot grid draws one lens").doesNotContain("\tat ");
        CliRunner empty = CliRunner.run("inspect", "-m", model, "-p", "Hi", "--lens", "logit,,x");
        assertThat(empty.exitCode()).isNotZero();
        assertThat(empty.err()).contains("empty entry");
    }

    @Test
    void picturesDrawEveryLens() throws Exception {
        String model = ckpt.folder().toString();
        String tuned = lens.folder().toString();
        TinyClassifier classifier = TinyClassifier.write(dir.resolve("clf"), ckpt, List.of("negative", "positive"), 4);
        Path out = Files.createDirectories(dir.resolve("pictures"));
        for (String plot : List.of("heatmap", "trajectory", "kl")) {
            Path png = out.resolve(plot + ".png");
            CliRunner run = CliRunner.run("inspect", "-m", classifier.folder().toString(), "--review", REVIEW, "--gold",
                    "positive", "--plot", plot, "--png", png.toString(), "--svg", out.resolve(plot + ".svg").toString(),
                    "--lens", "logit," + tuned + ",classifier");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(Files.size(png)).isGreaterThan(1000);
            String svg = Files.readString(out.resolve(plot + ".svg"));
            assertThat(svg).contains("tuned").contains("classifier");
            keep(png);
        }
        Path promptKl = out.resolve("prompt-kl.png");
        CliRunner prompt = CliRunner.run("inspect", "-m", model, "-p", "Hello world, again", "--positions", "all", "--plot",
                "kl", "--png", promptKl.toString(), "--lens", "logit," + tuned);
        assertThat(prompt.exitCode()).as(prompt.err()).isZero();
        keep(promptKl);
        Path single = out.resolve("single-kl.png");
        CliRunner one = CliRunner.run("inspect", "-m", model, "--review", REVIEW, "--plot", "kl", "--png", single.toString());
        assertThat(one.exitCode()).as(one.err()).isZero();
        keep(single);
    }

    /** With -Dlogitscope.keepPictures=DIR the pictures are copied there, to be looked at. */
    private static void keep(Path png) throws Exception {
        String to = System.getProperty("logitscope.keepPictures");
        if (to != null) {
            Files.copy(png, Path.of(to).resolve(png.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String[] concat(String[] head, String... tail) {
        String[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
