package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code finetune} end to end on a tiny model, and one clear line for each mistake a user can make. */
class FinetuneCommandTest {

    @TempDir
    Path dir;

    private Path data(String name, int lines) throws Exception {
        StringBuilder text = new StringBuilder();
        String[] reviews = {"a tender , funny film", "dull , dull , dull", "the best thing this year", "a waste of time"};
        for (int i = 0; i < lines; i++) {
            text.append(i % 2 == 0 ? "1 " : "0 ").append(reviews[i % 4]).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void trainsSavesAndTheResultIsAModelInspectReads() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(32).write(dir.resolve("base"));
        Path out = dir.resolve("tuned");
        CliRunner run = CliRunner.run("finetune", "--model", ckpt.folder().toString(), "--train", data("train", 12).toString(),
                "--dev", data("dev", 4).toString(), "--epochs", "2", "--batch", "4", "--lr", "1e-2", "--trainable-blocks", "1",
                "--seed", "3", "--dropout", "0.2", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("train_loss").contains("dev_accuracy");
        assertThat(run.out().lines().filter(l -> l.matches("\\s+[12]\\s.*"))).hasSize(2);
        assertThat(run.err()).contains("live native arrays");
        assertThat(run.err()).contains("epoch 2/2").contains("examples/s").contains("left").contains("wrote " + out);
        JsonObject record = JsonParser.parseString(Files.readString(out.resolve("training.json"))).getAsJsonObject();
        assertThat(record.get("finished").getAsBoolean()).isTrue();
        assertThat(record.getAsJsonObject("recipe").get("trainable_blocks").getAsString()).isEqualTo("1");
        assertThat(record.getAsJsonObject("recipe").get("seed").getAsLong()).isEqualTo(3);
        JsonObject dropout = record.getAsJsonObject("recipe").getAsJsonObject("dropout");
        assertThat(List.of(dropout.get("embeddings").getAsDouble(), dropout.get("attention").getAsDouble(),
                dropout.get("residual").getAsDouble())).as("--dropout sets every site").containsOnly(0.2);
        JsonObject epoch = record.getAsJsonArray("epochs").get(1).getAsJsonObject();
        assertThat(epoch.get("live_arrays").getAsLong()).isPositive();
        assertThat(epoch.get("peak_mb").getAsLong()).isGreaterThanOrEqualTo(epoch.get("resident_mb").getAsLong() / 2);
        assertThat(record.getAsJsonArray("epochs")).hasSize(2);

        CliRunner inspect = CliRunner.run("inspect", "--model", out.toString(), "--prompt", "a tender film", "--json");
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();

        CliRunner again = CliRunner.run("finetune", "--out", out.toString(), "--resume");
        assertThat(again.exitCode()).isZero();
        assertThat(again.err()).contains("has finished all 2 epochs");
    }

    @Test
    void theLmObjectiveSavesAGpt2LmHeadModelThatInspectReads() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(64).write(dir.resolve("base"));
        Path out = dir.resolve("lm");
        CliRunner run = CliRunner.run("finetune", "--model", ckpt.folder().toString(), "--objective", "lm", "--train",
                data("train", 12).toString(), "--dev", data("dev", 4).toString(), "--block-size", "row", "--loss-on", "label",
                "--epochs", "2", "--batch", "4", "--lr", "1e-2", "--seed", "3", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("12 training examples as 12 sequences (one example per sequence").contains("loss on label");
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertThat(config.getAsJsonArray("architectures").get(0).getAsString()).isEqualTo("GPT2LMHeadModel");
        assertThat(config.has("id2label")).isFalse();
        JsonObject record = JsonParser.parseString(Files.readString(out.resolve("training.json"))).getAsJsonObject();
        assertThat(record.get("objective").getAsString()).isEqualTo("lm");
        assertThat(record.getAsJsonObject("lm").get("template").getAsString()).isEqualTo("Text: {review}\nSentiment: {label}");
        assertThat(record.getAsJsonObject("lm").get("loss_on").getAsString()).isEqualTo("label");
        assertThat(record.getAsJsonObject("recipe").get("trainable_blocks").getAsString()).as("the seed's LM run trained all").isEqualTo("all");
        assertThat(record.getAsJsonArray("epochs").get(1).getAsJsonObject().get("dev_accuracy").getAsDouble()).isBetween(0.0, 1.0);

        CliRunner inspect = CliRunner.run("inspect", "--model", out.toString(), "--prompt", "Text: a tender film\nSentiment:", "--json");
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        CliRunner again = CliRunner.run("finetune", "--out", out.toString(), "--resume");
        assertThat(again.exitCode()).isZero();
        assertThat(again.err()).contains("has finished all 2 epochs");
    }

    @Test
    void mistakesEndInOneLineSayingWhatToDo() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().write(dir.resolve("base"));
        String model = ckpt.folder().toString();
        String train = data("train", 4).toString();
        assertError(CliRunner.run("finetune", "--train", train, "--out", dir.resolve("a").toString()),
                "Give either --model");
        assertError(CliRunner.run("finetune", "--model", model, "--out", dir.resolve("b").toString()), "--train FILE");
        assertError(CliRunner.run("finetune", "--model", model, "--train", train, "--objective", "mlm",
                "--out", dir.resolve("c").toString()), "classifier or lm");
        assertError(CliRunner.run("finetune", "--model", model, "--train", train, "--loss-on", "label",
                "--out", dir.resolve("c2").toString()), "belongs to --objective lm");
        assertError(CliRunner.run("finetune", "--model", model, "--train", train, "--objective", "lm", "--template", "{label}",
                "--out", dir.resolve("c3").toString()), "Fix --template");
        assertError(CliRunner.run("finetune", "--model", model, "--train", train, "--objective", "lm", "--block-size", "x",
                "--out", dir.resolve("c4").toString()), "number of tokens or row");
        assertError(CliRunner.run("finetune", "--model", model, "--train", train, "--trainable-blocks", "x",
                "--out", dir.resolve("d").toString()), "number of blocks or all");
        assertError(CliRunner.run("finetune", "--model", model, "--train", train, "--trainable-blocks", "9",
                "--out", dir.resolve("e").toString()), "at most 2");
        assertError(CliRunner.run("finetune", "--model", model, "--train", train, "--batch", "0",
                "--out", dir.resolve("f").toString()), "batch must be at least 1");
        assertError(CliRunner.run("finetune", "--out", dir.resolve("g").toString(), "--resume"), "no fine-tuning run to resume");
        assertError(CliRunner.run("finetune", "--model", model, "--train", train, "--dropout", "1",
                "--out", dir.resolve("g2").toString()), "--dropout must be a probability in [0, 1)");
        assertError(CliRunner.run("finetune", "--random-init", "huge", "--tokenizer", model, "--train", train,
                "--out", dir.resolve("h").toString()), "knows 'tiny' (2 blocks of width 64, GPT-2's vocabulary) and 'gpt2'");
        assertError(CliRunner.run("finetune", "--model", model, "--train", dir.resolve("missing").toString(),
                "--out", dir.resolve("i").toString()), "missing");
    }

    private static void assertError(CliRunner run, String fragment) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err().lines().filter(l -> l.startsWith("error: "))).singleElement().asString().contains(fragment);
        assertThat(run.err()).doesNotContain("\tat ");
    }
}
