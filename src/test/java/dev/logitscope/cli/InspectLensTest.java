package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.tensors.DType;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.testing.TinyClassifier;
import dev.logitscope.testing.TunedLensFixture;
import dev.logitscope.testing.TunedLensFixture.Layout;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect --lens logit|PATH}: which lens read the layers, in the JSON, the table and the verdict. */
class InspectLensTest {
    private static final String REVIEW = "a gentle, funny and moving film";

    @TempDir
    Path dir;

    private TinyCheckpoint ckpt;
    private TunedLensFixture lens;

    @BeforeEach
    void write() throws Exception {
        ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(128).write(dir.resolve("m"));
        lens = TunedLensFixture.write(dir.resolve("lens"), 16, 2, ckpt.vocabSize(), Layout.MODULE_LIST, DType.F32, 3,
                0.5, true);
    }

    private JsonObject json(String... args) {
        CliRunner result = CliRunner.run(args);
        assertThat(result.exitCode()).as(result.err()).isZero();
        return JsonParser.parseString(result.out()).getAsJsonObject();
    }

    private static double labelProb(JsonObject json, int layer) {
        return json.getAsJsonArray("layers").get(layer).getAsJsonObject().getAsJsonArray("label_probs").get(0).getAsDouble();
    }

    @Test
    void theJsonSaysWhichLensReadTheLayers() {
        String model = ckpt.folder().toString();
        JsonObject plain = json("inspect", "-m", model, "-p", "Hello world", "--json");
        JsonObject logit = json("inspect", "-m", model, "-p", "Hello world", "--json", "--lens", "logit");
        JsonObject tuned = json("inspect", "-m", model, "-p", "Hello world", "--json", "--lens", lens.folder().toString());
        assertThat(plain.get("lens").getAsString()).isEqualTo("logit lens");
        assertThat(logit.get("layers")).isEqualTo(plain.get("layers"));
        assertThat(tuned.get("lens").getAsString()).isEqualTo("tuned lens (" + lens.folder() + ")");
        JsonArray layers = tuned.getAsJsonArray("layers");
        assertThat(layers).hasSize(3);
        // Translated layers read differently; the last layer is the model's output either way.
        assertThat(Math.abs(labelProb(tuned, 0) / labelProb(plain, 0) - 1)).isGreaterThan(0.05);
        assertThat(labelProb(tuned, 2)).isCloseTo(labelProb(plain, 2), within(1e-7));
    }

    @Test
    void theTableAndTheVerdictNameTheLens() {
        String model = ckpt.folder().toString();
        CliRunner plain = CliRunner.run("inspect", "-m", model, "-p", "Hello world");
        CliRunner tuned = CliRunner.run("inspect", "-m", model, "-p", "Hello world", "--lens", lens.folder().toString());
        assertThat(tuned.exitCode()).as(tuned.err()).isZero();
        assertThat(plain.out()).doesNotContain("lens: ");
        assertThat(tuned.out()).contains("lens: tuned lens (" + lens.folder() + ")");

        CliRunner review = CliRunner.run("inspect", "-m", model, "--review", REVIEW, "--gold", "positive", "--lens",
                lens.folder().toString());
        assertThat(review.exitCode()).as(review.err()).isZero();
        assertThat(review.out()).contains("lens: tuned lens (" + lens.folder() + ")")
                .contains("overthinking by the tuned lens (" + lens.folder() + "): ");
        CliRunner plainReview = CliRunner.run("inspect", "-m", model, "--review", REVIEW, "--gold", "positive");
        assertThat(plainReview.out()).contains("\noverthinking: ").doesNotContain("tuned lens");

        JsonObject reviewJson = json("inspect", "-m", model, "--review", REVIEW, "--gold", "positive", "--json",
                "--lens", lens.folder().toString());
        assertThat(reviewJson.get("lens").getAsString()).isEqualTo("tuned lens (" + lens.folder() + ")");
        JsonObject plainJson = json("inspect", "-m", model, "--review", REVIEW, "--gold", "positive", "--json");
        assertThat(plainJson.get("lens").getAsString()).isEqualTo("logit lens");
        assertThat(Math.abs(labelProb(reviewJson, 1) / labelProb(plainJson, 1) - 1)).isGreaterThan(0.05);
    }

    @Test
    void badLensesGetOneMessage() throws Exception {
        String model = ckpt.folder().toString();
        CliRunner missing = CliRunner.run("inspect", "-m", model, "-p", "Hello", "--lens", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("is not a folder").doesNotContain("\tat ");

        TunedLensFixture wide = TunedLensFixture.write(dir.resolve("wide"), 24, 2, ckpt.vocabSize(), Layout.MODULE_LIST,
                DType.F32, 3, 0.5, true);
        CliRunner mismatch = CliRunner.run("inspect", "-m", model, "-p", "Hello", "--lens", wide.folder().toString());
        assertThat(mismatch.exitCode()).isNotZero();
        assertThat(mismatch.err()).contains("d_model 24").contains("d_model 16").doesNotContain("\tat ");

        CliRunner midBlock = CliRunner.run("inspect", "-m", model, "-p", "Hello", "--mid-block", "--lens",
                lens.folder().toString());
        assertThat(midBlock.exitCode()).isNotZero();
        assertThat(midBlock.err()).contains("without mid-block taps").doesNotContain("\tat ");
    }

    @Test
    void theClassifierHeadLensReadsAFineTunedClassifiersClassesAtEveryLayer() throws Exception {
        TinyClassifier classifier = TinyClassifier.write(dir.resolve("clf"), ckpt, java.util.List.of("negative", "positive"), 4);
        String model = classifier.folder().toString();
        JsonObject json = json("inspect", "-m", model, "--review", REVIEW, "--gold", "positive", "--json", "--lens",
                "classifier");
        assertThat(json.get("lens").getAsString()).isEqualTo("classifier-head lens");
        assertThat(json.get("prompt").getAsString()).isEqualTo(REVIEW); // the review as it is
        JsonObject layer = json.getAsJsonArray("layers").get(1).getAsJsonObject();
        double positive = layer.getAsJsonArray("label_probs").get(0).getAsDouble();
        double negative = layer.getAsJsonArray("label_probs").get(1).getAsDouble();
        assertThat(positive + negative).isCloseTo(1.0, within(1e-6)); // two classes: the head's whole distribution
        assertThat(json.getAsJsonObject("provenance").toString()).contains("classifier-head lens");

        CliRunner table = CliRunner.run("inspect", "-m", model, "--review", REVIEW, "--lens", "classifier");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("lens: classifier-head lens").contains("overthinking by the classifier-head lens");

        CliRunner noHead = CliRunner.run("inspect", "-m", ckpt.folder().toString(), "--review", REVIEW, "--lens",
                "classifier");
        assertThat(noHead.exitCode()).isNotZero();
        assertThat(noHead.err()).contains("no classification head").doesNotContain("\tat ");
        CliRunner prompt = CliRunner.run("inspect", "-m", model, "-p", "Hello", "--lens", "classifier");
        assertThat(prompt.exitCode()).isNotZero();
        assertThat(prompt.err()).contains("use --review");
    }
}
