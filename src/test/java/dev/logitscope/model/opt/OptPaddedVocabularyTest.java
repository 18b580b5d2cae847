package dev.logitscope.model.opt;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.cli.CliRunner;
import dev.logitscope.testing.TinyOptCheckpoint;
import dev.logitscope.testing.TinyTokenizer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPT's vocabulary is padded beyond its tokenizer's (50272 rows, 50265 ids): rows no text maps to,
 * which the lens still ranks. They reach the JSON and the tables as their id, never as an empty
 * token. The JSON and the tables name the lens readout of a post-LN model.
 */
class OptPaddedVocabularyTest {
    @TempDir
    Path dir;

    @Test
    void rowsBeyondTheTokenizerAreShownByTheirIdInTheJsonAndTheTable() throws Exception {
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().doLayerNormBefore(false).wordEmbedProjDim(8)
                .write(dir.resolve("opt"));
        int vocab = ckpt.vocabSize();
        assertThat(vocab).isGreaterThan(TinyTokenizer.VOCAB_SIZE);
        CliRunner json = CliRunner.run("inspect", "--model", ckpt.folder().toString(), "--prompt", "Hello world",
                "--top", Integer.toString(vocab), "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonObject root = JsonParser.parseString(json.out()).getAsJsonObject();
        assertThat(root.getAsJsonObject("model").get("readout").getAsString()).isEqualTo("post-LN, no final norm");
        assertThat(root.getAsJsonObject("model").get("vocab_size").getAsInt()).isEqualTo(vocab);
        for (JsonElement layer : root.getAsJsonArray("layers")) {
            JsonArray top = layer.getAsJsonObject().getAsJsonArray("top");
            assertThat(top).hasSize(vocab); // every row ranked, the padding included
            Set<Integer> ids = new HashSet<>();
            for (JsonElement e : top) {
                JsonObject t = e.getAsJsonObject();
                int id = t.get("id").getAsInt();
                ids.add(id);
                String token = t.get("token").getAsString();
                if (id >= TinyTokenizer.VOCAB_SIZE) {
                    assertThat(token).isEqualTo("⟨id:" + id + "⟩");
                } else {
                    assertThat(token).isNotEmpty();
                }
            }
            assertThat(ids).hasSize(vocab);
        }

        CliRunner table = CliRunner.run("inspect", "--model", ckpt.folder().toString(), "--prompt", "Hello world",
                "--top", Integer.toString(vocab));
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("⟨id:" + (vocab - 1) + "⟩").contains("note: lens readout: post-LN, no final norm");
        CliRunner review = CliRunner.run("inspect", "--model", ckpt.folder().toString(), "--review", "A tender film.");
        assertThat(review.exitCode()).as(review.err()).isZero();
        assertThat(review.out()).contains("note: lens readout: post-LN, no final norm");
    }
}
