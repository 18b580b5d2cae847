package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.testing.OptLikeTokenizer;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.testing.TinyGptNeoCheckpoint;
import dev.logitscope.testing.TinyOptCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@code eval} run over GPT-2, GPT-Neo and a post-LN OPT (its own vocab.json + merges.txt
 * tokenizer with a BOS): the inverse-scaling comparison across families, through the registry
 * alone.
 */
class MixedFamiliesEvalTest {
    @TempDir
    Path dir;

    @Test
    void threeFamiliesRunInOneEvaluationAndTheSummaryNamesEach() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip();
        Path sst2 = SharedFiles.sst2OrSkip().resolve("stsa.binary.dev");
        Path gpt2 = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(1)
                .realTokenizer(tokenizer).write(dir.resolve("gpt2")).folder();
        Path neo = TinyGptNeoCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).windowSize(8)
                .realTokenizer(tokenizer).seed(2).write(dir.resolve("neo")).folder();
        Path opt = TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(32).maxPositions(1024)
                .wordEmbedProjDim(8).doLayerNormBefore(false).vocabSize(OptLikeTokenizer.VOCAB_SIZE + 8).seed(3)
                .write(dir.resolve("opt")).folder();
        Files.delete(opt.resolve("tokenizer.json")); // as facebook/opt-*: vocab.json + merges.txt + configs
        OptLikeTokenizer.writeVocabAndMerges(opt);
        OptLikeTokenizer.writeConfig(opt, true);
        Path out = dir.resolve("run");

        CliRunner result = CliRunner.run("eval", "--models", gpt2 + "," + neo + "," + opt, "--dataset", sst2.toString(),
                "--limit", "4", "--shots", "0,2", "--demo-labels", "correct", "--out", out.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        List<String> families = new ArrayList<>();
        JsonObject optStats = null;
        for (JsonElement m : summary.getAsJsonArray("models")) {
            families.add(m.getAsJsonObject().get("family").getAsString());
            if (m.getAsJsonObject().get("family").getAsString().equals("opt")) {
                optStats = m.getAsJsonObject();
            }
        }
        assertThat(families).containsExactly("gpt2", "gpt_neo", "opt");
        assertThat(optStats.get("readout").getAsString()).isEqualTo("post-LN, no final norm");
        JsonArray conditions = summary.getAsJsonArray("conditions");
        assertThat(conditions).hasSize(3 * 2); // per model: 0-shot and 2 correct demos
        for (JsonElement c : conditions) {
            assertThat(c.getAsJsonObject().get("examples").getAsInt()).isEqualTo(4);
            assertThat(c.getAsJsonObject().getAsJsonArray("layers")).hasSize(3);
        }
        assertThat(out.resolve("accuracy_vs_size.png")).isNotEmptyFile();
        assertThat(out.resolve("accuracy_vs_size.svg")).content().contains("· GPT-Neo").contains("· OPT")
                .contains("post-LN, no final norm");
    }
}
