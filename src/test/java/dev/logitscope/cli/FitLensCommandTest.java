package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.eval.FileHashes;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fit-lens} end to end on a tiny model folder: the lens folder it writes (safetensors +
 * a config recording model, data, ridge and per-layer fit quality), that {@code inspect --lens}
 * reads it, and one clear message for each kind of bad input.
 */
class FitLensCommandTest {
    private static final String[] WORDS = {"the", "film", "was", "a", "not", "bad", "good", "story", "and", "funny",
            "dull", "moving", "of", "it", "is", "acting", "plot", "with", "too", "long", "great", "cast", "in", "but"};

    @TempDir
    static Path dir;

    private static TinyCheckpoint ckpt;
    private static Path sst2;

    @BeforeAll
    static void write() throws Exception {
        ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(128).seed(9).write(dir.resolve("model"));
        sst2 = dir.resolve("data").resolve("stsa.binary.train");
        Files.createDirectories(sst2.getParent());
        Files.write(sst2, lines(150, true), StandardCharsets.UTF_8);
    }

    private static List<String> lines(int count, boolean labelled) {
        Random random = new Random(count);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder(labelled ? (i % 2) + " " : "");
            int words = 4 + random.nextInt(8);
            for (int w = 0; w < words; w++) {
                s.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            lines.add(s.append(" .").toString());
        }
        return lines;
    }

    private static JsonObject json(Path file) throws Exception {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void fitsSavesAndInspectReadsTheLens() throws Exception {
        Path out = dir.resolve("lenses").resolve("tiny-affine");
        CliRunner run = CliRunner.run("fit-lens", "-m", ckpt.folder().toString(), "--data", sst2.toString(), "--out",
                out.toString(), "--max-tokens", "2000", "--ridge", "0.01", "--held-out", "0.2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        // stdout: one row per translated layer (embed, block 1), the plain and fitted lens side by side.
        List<String> rows = run.out().lines().toList();
        assertThat(rows.get(0)).contains("r2_identity", "r2_affine", "kl_logit_lens", "kl_affine_lens");
        assertThat(rows).hasSize(1 + ckpt.nLayer());
        assertThat(rows.get(1)).startsWith("embed");
        // stderr: progress lines with the time left (a pipe here, not a terminal), and where it went.
        assertThat(run.err()).contains("fit-lens: 100%").contains("left").contains("wrote " + out);

        assertThat(out.resolve("params.safetensors")).isRegularFile();
        // Shared like any saved file, not the temporary files' private mode.
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                .isEqualTo("rwxr-xr-x");
        for (String file : List.of("params.safetensors", "config.json")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(out.resolve(file)))).as(file).isEqualTo("rw-r--r--");
        }
        JsonObject config = json(out.resolve("config.json"));
        assertThat(config.get("kind").getAsString()).isEqualTo("affine_lens_least_squares");
        assertThat(config.get("name").getAsString()).isEqualTo("affine lens (least squares)");
        assertThat(config.get("d_model").getAsInt()).isEqualTo(16);
        assertThat(config.get("num_hidden_layers").getAsInt()).isEqualTo(2);
        JsonObject model = config.getAsJsonObject("model");
        assertThat(model.get("source").getAsString()).isEqualTo("folder");
        assertThat(model.getAsJsonObject("sha256").get("model.safetensors").getAsString())
                .isEqualTo(FileHashes.hash(ckpt.modelFile()));
        JsonObject data = config.getAsJsonObject("data");
        assertThat(data.get("sha256").getAsString()).isEqualTo(FileHashes.hash(sst2));
        assertThat(data.get("format").getAsString()).isEqualTo("sst2");
        JsonObject fit = config.getAsJsonObject("fit");
        assertThat(fit.get("ridge").getAsDouble()).isEqualTo(0.01);
        long train = fit.get("train_tokens").getAsLong();
        long held = fit.get("held_out_tokens").getAsLong();
        assertThat(train + held).isEqualTo(2000); // --max-tokens cut the file
        assertThat(held).isBetween(300L, 500L); // ~ a fifth of the documents
        assertThat(config.getAsJsonArray("layers")).hasSize(2);
        for (var layer : config.getAsJsonArray("layers")) {
            JsonObject l = layer.getAsJsonObject();
            assertThat(l.get("kl_to_final_affine_lens").getAsDouble()).isLessThan(l.get("kl_to_final_logit_lens").getAsDouble());
            assertThat(l.get("r2_held_out").getAsDouble()).isLessThanOrEqualTo(1.0);
        }
        // Nothing left beside it.
        try (Stream<Path> siblings = Files.list(out.getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("tiny-affine");
        }

        CliRunner inspect = CliRunner.run("inspect", "-m", ckpt.folder().toString(), "-p", "the film was", "--json",
                "--lens", out.toString());
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        JsonObject report = JsonParser.parseString(inspect.out()).getAsJsonObject();
        assertThat(report.get("lens").getAsString()).isEqualTo("affine lens (least squares) (" + out + ")");
    }

    @Test
    void refineStepsRefineTheLensAndRecordIt() throws Exception {
        Path out = dir.resolve("refined").resolve("tiny-refined");
        CliRunner run = CliRunner.run("fit-lens", "-m", ckpt.folder().toString(), "--data", sst2.toString(), "--out",
                out.toString(), "--max-tokens", "1500", "--refine-steps", "4", "--refine-lr", "0.005");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> rows = run.out().lines().toList();
        assertThat(rows.get(0)).endsWith("kl_refined");
        assertThat(run.err()).contains("wrote " + out) // (which progress lines a pipe gets depends on timing)
                .contains("affine lens (least squares + KL descent)");
        JsonObject config = json(out.resolve("config.json"));
        assertThat(config.get("kind").getAsString()).isEqualTo("affine_lens_least_squares");
        assertThat(config.get("refined_by").getAsString()).isEqualTo("kl_descent");
        assertThat(config.get("name").getAsString()).isEqualTo("affine lens (least squares + KL descent)");
        JsonObject refinement = config.getAsJsonObject("refinement");
        assertThat(refinement.get("steps").getAsInt()).isEqualTo(4);
        assertThat(refinement.get("learning_rate").getAsDouble()).isEqualTo(0.005);
        assertThat(refinement.get("train_tokens").getAsLong()).isPositive();
        assertThat(refinement.getAsJsonArray("layers")).hasSize(2);
        for (var layer : config.getAsJsonArray("layers")) {
            assertThat(layer.getAsJsonObject().has("kl_to_final_refined")).isTrue();
        }
        CliRunner inspect = CliRunner.run("inspect", "-m", ckpt.folder().toString(), "-p", "the film was", "--json",
                "--lens", out.toString());
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        assertThat(JsonParser.parseString(inspect.out()).getAsJsonObject().get("lens").getAsString())
                .isEqualTo("affine lens (least squares + KL descent) (" + out + ")");
    }

    @Test
    void plainTextIsCutIntoWindows() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.write(text, lines(120, false), StandardCharsets.UTF_8);
        Path out = dir.resolve("from-text");
        CliRunner run = CliRunner.run("fit-lens", "-m", ckpt.folder().toString(), "--data", text.toString(), "--out",
                out.toString(), "--held-out", "0.25");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonObject data = json(out.resolve("config.json")).getAsJsonObject("data");
        assertThat(data.get("format").getAsString()).isEqualTo("text");
        assertThat(data.get("window_tokens").getAsInt()).isEqualTo(256);
        // Windows of the model's 128 positions: every document but the last is full.
        assertThat(data.get("documents").getAsInt()).isGreaterThan(4);
    }

    @Test
    void badInputGetsOneClearMessage() throws Exception {
        String model = ckpt.folder().toString();
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "\n\n  \n");
        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("keep.txt"), "mine");
        Path blocker = dir.resolve("a-file");
        Files.writeString(blocker, "x");
        Path tinyData = dir.resolve("one.txt");
        Files.writeString(tinyData, "the film\n");

        assertError(CliRunner.run("fit-lens", "-m", model, "--data", dir.resolve("missing.txt").toString(), "--out",
                dir.resolve("o1").toString()), "No data file at");
        assertError(CliRunner.run("fit-lens", "-m", model, "--data", empty.toString(), "--out", dir.resolve("o2").toString()),
                "holds no text");
        assertError(CliRunner.run("fit-lens", "-m", model, "--data", sst2.toString(), "--out", full.toString()),
                "exists and is not an empty folder");
        assertError(CliRunner.run("fit-lens", "-m", model, "--data", sst2.toString(), "--out",
                blocker.resolve("lens").toString()), "Cannot write to");
        assertError(CliRunner.run("fit-lens", "-m", model, "--data", sst2.toString(), "--out", dir.resolve("o3").toString(),
                "--held-out", "1.5"), "--held-out must be a fraction");
        assertError(CliRunner.run("fit-lens", "-m", model, "--data", sst2.toString(), "--out", dir.resolve("o4").toString(),
                "--ridge", "-1"), "--ridge must be 0 or more");
        assertError(CliRunner.run("fit-lens", "-m", model, "--data", tinyData.toString(), "--out", dir.resolve("o5").toString()),
                "too few to fit");
        assertError(CliRunner.run("fit-lens", "-m", model, "--data", sst2.toString(), "--out", dir.resolve("o6").toString(),
                "--refine-steps", "-1"), "--refine-steps must be 0 (no refinement) or more");
        assertError(CliRunner.run("fit-lens", "-m", model, "--data", sst2.toString(), "--out", dir.resolve("o7").toString(),
                "--refine-steps", "2", "--refine-lr", "0"), "--refine-lr must be a positive learning rate");
        assertThat(Files.readString(full.resolve("keep.txt"))).isEqualTo("mine");
        for (String o : List.of("o1", "o2", "o3", "o4", "o5", "o6", "o7")) {
            assertThat(dir.resolve(o)).doesNotExist();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains(".partial-"));
        }
    }

    @Test
    void aLensFittedForAnotherModelIsRefusedByInspect() throws Exception {
        TinyCheckpoint deeper = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(128).seed(2)
                .write(dir.resolve("deeper"));
        Path out = dir.resolve("deeper-lens");
        CliRunner fit = CliRunner.run("fit-lens", "-m", deeper.folder().toString(), "--data", sst2.toString(), "--out",
                out.toString(), "--max-tokens", "1500");
        assertThat(fit.exitCode()).as(fit.err()).isZero();
        CliRunner inspect = CliRunner.run("inspect", "-m", ckpt.folder().toString(), "-p", "the film", "--lens",
                out.toString());
        assertError(inspect, "was fitted for");
        assertThat(inspect.err()).contains("d_model 16, 3 layers").contains("d_model 16 and 2 layers");
    }

    private static void assertError(CliRunner run, String message) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("error: ").contains(message).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
