package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
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
}
