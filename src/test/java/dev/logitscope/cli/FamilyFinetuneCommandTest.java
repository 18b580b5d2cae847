package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.lens.ClassReading;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.testing.OptLikeTokenizer;
import dev.logitscope.testing.TinyGptNeoCheckpoint;
import dev.logitscope.testing.TinyOptCheckpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code finetune --model} with a GPT-Neo and an OPT folder end to end: the run trains, saves a
 * GPTNeoForSequenceClassification / OPTForSequenceClassification folder that inspect reads and
 * whose classifier head the lens reads; OPT's examples start with the BOS its tokenizer config asks
 * for, as the lens reads them back.
 */
class FamilyFinetuneCommandTest {
    private static final String[] REVIEWS = {"a tender , funny film", "dull , dull , dull", "the best thing this year",
        "a waste of time"};

    @TempDir
    Path dir;

    private Path data(String name, int lines) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append(i % 2 == 0 ? "1 " : "0 ").append(REVIEWS[i % 4]).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void gptNeo() throws Exception {
        TinyGptNeoCheckpoint ckpt = TinyGptNeoCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).windowSize(4)
                .write(dir.resolve("neo"));
        JsonObject record = finetune(ckpt.folder(), "GPTNeoForSequenceClassification", 0);
        assertThat(record.getAsJsonObject("recipe").get("trainable_blocks").getAsString()).isEqualTo("1");
    }

    @Test
    void optWithItsBos() throws Exception {
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(24).write(dir.resolve("opt"));
        Files.delete(ckpt.folder().resolve("tokenizer.json")); // as OPT's hub repos: vocab.json + merges.txt + configs
        OptLikeTokenizer.writeVocabAndMerges(ckpt.folder());
        OptLikeTokenizer.writeConfig(ckpt.folder(), true);
        finetune(ckpt.folder(), "OPTForSequenceClassification", 1);
    }

    @Test
    void gptNeoAsACausalLm() throws Exception {
        TinyGptNeoCheckpoint ckpt = TinyGptNeoCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).windowSize(4).nPositions(64)
                .write(dir.resolve("neo"));
        finetuneLm(ckpt.folder(), "GPTNeoForCausalLM", 0);
    }

    @Test
    void optAsACausalLmWithItsBos() throws Exception {
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(24).maxPositions(64)
                .wordEmbedProjDim(12).write(dir.resolve("opt"));
        Files.delete(ckpt.folder().resolve("tokenizer.json"));
        OptLikeTokenizer.writeVocabAndMerges(ckpt.folder());
        OptLikeTokenizer.writeConfig(ckpt.folder(), true);
        finetuneLm(ckpt.folder(), "OPTForCausalLM", 1);
    }

    /**
     * {@code finetune --objective lm} on {@code model}, one example per sequence: each starts with
     * {@code bos} BOS tokens (as transformers' tokenizer and run_clm give them), the result is the
     * CausalLM folder the logit lens reads, and --resume of a finished run says so.
     */
    private void finetuneLm(Path model, String architecture, int bos) throws Exception {
        Path out = dir.resolve("lm-" + architecture);
        CliRunner run = CliRunner.run("finetune", "--model", model.toString(), "--objective", "lm", "--train",
                data("train", 12).toString(), "--dev", data("dev", 4).toString(), "--block-size", "row", "--epochs", "2",
                "--batch", "4", "--lr", "1e-2", "--seed", "3", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("12 training examples as 12 sequences").contains("wrote " + out);
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertThat(config.getAsJsonArray("architectures").get(0).getAsString()).isEqualTo(architecture);
        assertThat(config.has("id2label")).isFalse();
        JsonObject record = JsonParser.parseString(Files.readString(out.resolve("training.json"))).getAsJsonObject();
        assertThat(record.get("objective").getAsString()).isEqualTo("lm");
        assertThat(record.get("finished").getAsBoolean()).isTrue();
        assertThat(record.getAsJsonObject("recipe").get("trainable_blocks").getAsString()).isEqualTo("all");
        assertThat(record.getAsJsonArray("epochs").get(1).getAsJsonObject().get("dev_accuracy").getAsDouble()).isBetween(0.0, 1.0);
        try (LensEngine tuned = LensEngine.open(out, "tuned")) {
            assertThat(tuned.classLabels()).isEmpty();
            long tokens = 0;
            for (int i = 0; i < 12; i++) {
                String text = "Text: " + REVIEWS[i % 4] + "\nSentiment: " + (i % 2 == 0 ? "positive" : "negative");
                List<dev.logitscope.tokenize.Token> read = tuned.tokenize(text);
                assertThat(read.stream().filter(dev.logitscope.tokenize.Token::special).count()).isEqualTo(bos);
                tokens += read.size();
            }
            assertThat(record.getAsJsonObject("data").getAsJsonObject("train").get("tokens").getAsLong())
                    .as("every example as the lens tokenizes it, BOS included").isEqualTo(tokens);
        }
        CliRunner inspect = CliRunner.run("inspect", "--model", out.toString(), "--prompt", "Text: a tender film\nSentiment:",
                "--json");
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        CliRunner again = CliRunner.run("finetune", "--out", out.toString(), "--resume");
        assertThat(again.exitCode()).isZero();
        assertThat(again.err()).contains("has finished all 2 epochs");
    }

    /** Runs finetune on {@code model} and checks the result; {@code bos} tokens start each example. */
    private JsonObject finetune(Path model, String architecture, int bos) throws Exception {
        Path out = dir.resolve("tuned-" + architecture);
        Path train = data("train", 12);
        CliRunner run = CliRunner.run("finetune", "--model", model.toString(), "--train", train.toString(),
                "--dev", data("dev", 4).toString(), "--epochs", "2", "--batch", "4", "--lr", "1e-2", "--trainable-blocks", "1",
                "--seed", "3", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("train_loss").contains("dev_accuracy");
        assertThat(run.err()).contains("epoch 2/2").contains("wrote " + out);
        JsonObject record = JsonParser.parseString(Files.readString(out.resolve("training.json"))).getAsJsonObject();
        assertThat(record.get("finished").getAsBoolean()).isTrue();
        assertThat(record.getAsJsonArray("epochs")).hasSize(2);
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertThat(config.getAsJsonArray("architectures").get(0).getAsString()).isEqualTo(architecture);

        try (LensEngine tuned = LensEngine.open(out, "tuned")) {
            // The examples the run trained on are the tokens the lens reads for the same text.
            long tokens = 0;
            for (int i = 0; i < 12; i++) {
                List<dev.logitscope.tokenize.Token> read = tuned.tokenize(REVIEWS[i % 4]);
                assertThat(read.stream().filter(dev.logitscope.tokenize.Token::special).count()).isEqualTo(bos);
                tokens += read.size();
            }
            assertThat(record.getAsJsonObject("data").getAsJsonObject("train").get("tokens").getAsLong()).isEqualTo(tokens);
            List<ClassReading> layers = tuned.classifierLens(REVIEWS[0]);
            assertThat(layers).hasSize(3).allSatisfy(l -> assertThat(l.labels()).containsExactly("negative", "positive"));
        }
        CliRunner inspect = CliRunner.run("inspect", "--model", out.toString(), "--prompt", "a tender film", "--json");
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        return record;
    }
}
